#!/usr/bin/env bash
# Sets up Chinwag on this machine: system libraries, .venv with the pinned (hashed)
# packages, and the built-in local model. Safe to run again: it skips what is done.
#   scripts/setup.sh        for running the app
#   scripts/setup.sh dev    also what the tests need (keyring daemon, Xvfb, test tools)
set -euo pipefail
cd "$(dirname "$0")/.."
mode=${1:-app}

app_debs=(libegl1 libgl1 libfontconfig1 libxkbcommon0 libxkbcommon-x11-0 libdbus-1-3
          libxcb-cursor0 libxcb-icccm4 libxcb-keysyms1 libxcb-shape0 libxcb-randr0
          libxcb-render-util0 libxcb-image0 libxcb-xinerama0 gnome-keyring)
dev_debs=(dbus dbus-daemon libsecret-tools xvfb xauth binutils)  # binutils: PyInstaller (objdump, strip)
debs=("${app_debs[@]}")
[ "$mode" = dev ] && debs+=("${dev_debs[@]}")

if command -v dpkg-query >/dev/null; then
  missing=()
  for deb in "${debs[@]}"; do
    dpkg-query -W -f='${Status}' "$deb" 2>/dev/null | grep -q "ok installed" || missing+=("$deb")
  done
  if [ ${#missing[@]} -gt 0 ]; then
    sudo=""; [ "$(id -u)" -eq 0 ] || sudo="sudo"
    echo "setup: installing system packages: ${missing[*]}"
    $sudo apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends \
      "${missing[@]}" >/dev/null
  fi
fi

python=${PYTHON:-python3}
"$python" -c 'import sys; sys.exit(sys.version_info < (3, 11))' \
  || { echo "setup: Chinwag needs Python 3.11 or newer ($python is older)" >&2; exit 1; }

lock=requirements.lock
[ "$mode" = dev ] && lock=requirements-dev.lock
[ -x .venv/bin/python ] || "$python" -m venv .venv
stamp=.venv/.installed-$mode-$(sha256sum "$lock" pyproject.toml | sha256sum | cut -c1-16)
if [ ! -e "$stamp" ]; then
  echo "setup: installing pinned packages from $lock"
  .venv/bin/python -m pip install --quiet --require-hashes --no-deps -r "$lock"
  .venv/bin/python -m pip install --quiet --no-deps --no-build-isolation -e .
  rm -f .venv/.installed-"$mode"-*
  touch "$stamp"
fi

.venv/bin/python scripts/fetch_model.py .cache/models
