#!/usr/bin/env bash
# Builds Chinwag for macOS: Chinwag.app (PyInstaller, packaging/chinwag.spec, with the
# built-in model) in a DMG. Signing and notarization run only when the release secrets
# are set (GitHub Actions secrets, see packaging/README.md); unsigned otherwise.
#   packaging/macos/build.sh      -> build/macos/Chinwag-VERSION-macos-ARCH.dmg
set -euo pipefail
cd "$(dirname "$0")/../.."
out=build/macos
python=${PYTHON:-python3}
[ -x .venv/bin/python ] || "$python" -m venv .venv
.venv/bin/python -m pip install --quiet --require-hashes --no-deps -r requirements-dev.lock
.venv/bin/python -m pip install --quiet --no-deps --no-build-isolation -e .
model=$(.venv/bin/python scripts/fetch_model.py .cache/models | sed 's/^model: //')
version=$(.venv/bin/python -c 'import chinwag; print(chinwag.__version__)')

rm -rf build/icons/chinwag.iconset && mkdir -p build/icons
.venv/bin/python packaging/render_icons.py iconset build/icons/chinwag.iconset
iconutil -c icns -o build/icons/chinwag.icns build/icons/chinwag.iconset

rm -rf "$out/dist"
LITELLM_LOCAL_MODEL_COST_MAP=True CHINWAG_BUNDLE_MODEL="$PWD/$model" CHINWAG_VERSION="$version" \
  .venv/bin/python -m PyInstaller --noconfirm --log-level WARN \
  --distpath "$out/dist" --workpath "$out/work" packaging/chinwag.spec
app=$out/dist/Chinwag.app

if [ -n "${MACOS_CERTIFICATE:-}" ]; then
  # A throwaway keychain holding the Developer ID certificate (base64 .p12).
  keychain=$RUNNER_TEMP/chinwag.keychain-db
  security create-keychain -p "$MACOS_KEYCHAIN_PASSWORD" "$keychain"
  security set-keychain-settings -lut 21600 "$keychain"
  security unlock-keychain -p "$MACOS_KEYCHAIN_PASSWORD" "$keychain"
  echo "$MACOS_CERTIFICATE" | base64 --decode > "$RUNNER_TEMP/cert.p12"
  security import "$RUNNER_TEMP/cert.p12" -k "$keychain" -P "$MACOS_CERTIFICATE_PASSWORD" \
    -T /usr/bin/codesign
  security set-key-partition-list -S apple-tool:,apple: -s -k "$MACOS_KEYCHAIN_PASSWORD" "$keychain"
  security list-keychains -d user -s "$keychain" login.keychain
  rm "$RUNNER_TEMP/cert.p12"
  # Hardened runtime (required for notarization) with what an embedded Python needs.
  codesign --force --deep --timestamp --options runtime \
    --entitlements packaging/macos/entitlements.plist --sign "$MACOS_SIGN_IDENTITY" "$app"
  codesign --verify --strict --verbose=2 "$app"
fi

dmg=$out/Chinwag-$version-macos-$(uname -m).dmg
rm -f "$dmg"
staging=$out/dmg && rm -rf "$staging" && mkdir -p "$staging"
cp -R "$app" "$staging/" && ln -s /Applications "$staging/Applications"
hdiutil create -volname Chinwag -srcfolder "$staging" -fs HFS+ -format UDZO -ov "$dmg"

if [ -n "${MACOS_CERTIFICATE:-}" ] && [ -n "${APPLE_ID:-}" ]; then
  codesign --force --timestamp --sign "$MACOS_SIGN_IDENTITY" "$dmg"
  xcrun notarytool submit "$dmg" --apple-id "$APPLE_ID" --team-id "$APPLE_TEAM_ID" \
    --password "$APPLE_APP_PASSWORD" --wait
  xcrun stapler staple "$dmg"
fi
echo "build: $(du -sh "$app" | cut -f1) app, $(du -h "$dmg" | cut -f1) $dmg"
