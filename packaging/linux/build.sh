#!/usr/bin/env bash
# Builds Chinwag for Linux in one command, from a clone:
#   packaging/linux/build.sh
# 1. the PyInstaller onedir bundle (packaging/chinwag.spec) with the built-in model,
#    in build/linux/dist/chinwag/ (run build/linux/dist/chinwag/chinwag);
# 2. build/linux/chinwag-VERSION-linux-x86_64.tar.gz, that bundle as one archive;
# 3. build/linux/chinwag_VERSION_amd64.deb: the bundle in /opt/chinwag, /usr/bin/chinwag,
#    the desktop entry, hicolor icons and AppStream metainfo.
# --package-only reuses the bundle of a previous run and only makes the archives.
# CHINWAG_BUNDLE_MODEL=0 leaves the model out (the app then finds none until the user puts
# a .gguf in ~/.local/share/chinwag/models).
set -euo pipefail
cd "$(dirname "$0")/../.."
out=build/linux
scripts/setup.sh dev >/dev/null  # .venv with pyinstaller, and the model in .cache/models
python=.venv/bin/python
version=$($python -c 'import chinwag; print(chinwag.__version__)')
started=$(date +%s)

bundle=$out/dist/chinwag
if [ "${1:-}" != --package-only ]; then
  model=""
  if [ "${CHINWAG_BUNDLE_MODEL:-1}" != 0 ]; then
    model=$($python scripts/fetch_model.py .cache/models | sed 's/^model: //')
  fi
  rm -rf "$out/dist"
  LITELLM_LOCAL_MODEL_COST_MAP=True CHINWAG_BUNDLE_MODEL="$model" \
    $python -m PyInstaller --noconfirm --log-level WARN \
    --distpath "$out/dist" --workpath "$out/work" packaging/chinwag.spec
fi
echo "build: bundle $(du -sh "$bundle" | cut -f1) in $bundle ($(($(date +%s) - started)) s)"

tar -C "$out/dist" -czf "$out/chinwag-$version-linux-x86_64.tar.gz" chinwag

# The .deb. PyInstaller bundles most libraries; Depends names those it leaves to the
# system (libc, GL/EGL, libxcb, Wayland, libdrm: checked with ldd over the bundle) and
# the xcb helpers Qt's xcb platform loads, bundled from the build host only if it has them.
glibc=$(getconf GNU_LIBC_VERSION | cut -d' ' -f2)  # the bundle needs the build's glibc
root=$out/deb
rm -rf "$root"
mkdir -p "$root/DEBIAN" "$root/opt" "$root/usr/bin" "$root/usr/share/applications" \
  "$root/usr/share/metainfo" "$root/usr/share/icons/hicolor"
cp -a "$bundle" "$root/opt/chinwag"
ln -s /opt/chinwag/chinwag "$root/usr/bin/chinwag"
install -m644 resources/chinwag.desktop "$root/usr/share/applications/chinwag.desktop"
install -m644 resources/io.github.chinwag.Chinwag.metainfo.xml "$root/usr/share/metainfo/"
install -Dm644 LICENSE "$root/usr/share/doc/chinwag/copyright"
$python packaging/render_icons.py hicolor "$root/usr/share/icons/hicolor"
cat > "$root/DEBIAN/control" <<EOF
Package: chinwag
Version: $version
Architecture: amd64
Maintainer: Chinwag developers <chinwag@users.noreply.github.com>
Installed-Size: $(du -sk "$root" | cut -f1)
Depends: libc6 (>= $glibc), libegl1, libgl1, libfontconfig1, libfreetype6, libdbus-1-3,
 libxkbcommon0, libxkbcommon-x11-0, libxcb1, libxcb-cursor0, libxcb-icccm4,
 libxcb-keysyms1, libxcb-image0, libxcb-randr0, libxcb-render-util0, libxcb-shape0,
 libxcb-xinerama0, libxcb-xkb1, libwayland-client0, libwayland-cursor0, libwayland-egl1,
 libdrm2
Recommends: gnome-keyring | kwalletmanager | keepassxc
Section: net
Priority: optional
Homepage: https://github.com/chinwag/chinwag
Description: Chat with language models, local and remote
 A fast, private desktop chat app for language models. It works out of the box
 with a small model on your CPU (no key, no network), talks to every major
 provider through plugins, keeps API keys only in the OS keyring (a Secret
 Service provider such as gnome-keyring) and the history in a local SQLite file.
EOF
deb=$out/chinwag_${version}_amd64.deb
dpkg-deb --root-owner-group -Zgzip --build "$root" "$deb" >/dev/null
echo "build: $(du -h "$deb" | cut -f1) $deb; $(du -h "$out/chinwag-$version-linux-x86_64.tar.gz" | cut -f1) tarball; $(($(date +%s) - started)) s in all"
