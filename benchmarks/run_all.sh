#!/usr/bin/env bash
# Run every benchmark with the project's virtualenv and the built-in model; one JSON per line.
set -euo pipefail
cd "$(dirname "$0")/.."
export CHINWAG_MODELS_PATH="${CHINWAG_MODELS_PATH:-$PWD/.cache/models}"
export LITELLM_LOCAL_MODEL_COST_MAP=True
export QT_QPA_PLATFORM="${QT_QPA_PLATFORM:-offscreen}"
exec .venv/bin/python -m benchmarks "$@"
