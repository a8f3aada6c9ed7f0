#!/usr/bin/env bash
# Run a command with a fresh, unlocked gnome-keyring in a throwaway folder.
# Call it inside dbus-run-session so the keyring lives and dies with that bus.
set -euo pipefail
XDG_DATA_HOME=$(mktemp -d)
export XDG_DATA_HOME
trap 'rm -rf "$XDG_DATA_HOME"' EXIT
eval "$(printf 'chinwag-test-keyring' | gnome-keyring-daemon --unlock --components=secrets)"
export GNOME_KEYRING_CONTROL
"$@"
