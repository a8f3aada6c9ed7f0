#!/usr/bin/env bash
# Set up (first time) and open the desktop app on the built-in local model.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh app
export CHINWAG_MODELS_PATH="$PWD/.cache/models${CHINWAG_MODELS_PATH:+:$CHINWAG_MODELS_PATH}"
exec .venv/bin/chinwag "$@"
