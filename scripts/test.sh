#!/usr/bin/env bash
# Set up (first time) and run the whole test suite, with a real Secret Service keyring
# (gnome-keyring in a private D-Bus session) and the real local model.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh dev
export CHINWAG_MODELS_PATH="$PWD/.cache/models"
export QT_QPA_PLATFORM=offscreen
exec dbus-run-session -- scripts/with_keyring.sh .venv/bin/python -m pytest "$@"
