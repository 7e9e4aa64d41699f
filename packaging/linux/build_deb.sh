#!/usr/bin/env bash
# Build a .deb from the PyInstaller folder: the app in /opt/wushe-desktop, `wushe` and
# `wushe-desktop` on the PATH, a menu entry and an icon. Data stays in each user's folder
# (~/.local/share/WusheDesktop), never in /opt, so removing or upgrading the package keeps it.
# Usage: build_deb.sh DIST_FOLDER OUT_FOLDER
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/../.." && pwd)"
dist="$(cd "${1:?usage: build_deb.sh DIST_FOLDER OUT_FOLDER}" && pwd)"
out="${2:?usage: build_deb.sh DIST_FOLDER OUT_FOLDER}"
mkdir -p "$out"
version="$("$dist/wushe" --version | awk '{print $2}')"
arch="$(dpkg --print-architecture)"
# PyInstaller carries the build machine's Python and libraries: the package needs at least the
# build machine's glibc, and says so, so that apt refuses it on an older system (UOS 20 and
# Kylin V10 have 2.28) instead of installing a program that cannot start.
glibc="$("$here/glibc_needed.sh" "$dist")"
[ -n "$glibc" ] || { echo "build_deb.sh: could not tell which glibc the folder needs" >&2; exit 1; }
stage="$(mktemp -d)"
trap 'rm -rf "$stage"' EXIT

mkdir -p "$stage/opt" "$stage/usr/bin" "$stage/usr/share/applications" \
         "$stage/usr/share/icons/hicolor/256x256/apps" "$stage/DEBIAN"
cp -a "$dist" "$stage/opt/wushe-desktop"
ln -s /opt/wushe-desktop/wushe "$stage/usr/bin/wushe"
ln -s /opt/wushe-desktop/wushe-desktop "$stage/usr/bin/wushe-desktop"
cp "$here/wushe-desktop.desktop" "$stage/usr/share/applications/"
cp "$root/resources/icons/wushe-desktop.png" "$stage/usr/share/icons/hicolor/256x256/apps/"
size="$(du -sk "$stage" | awk '{print $1}')"
cat > "$stage/DEBIAN/control" <<CONTROL
Package: wushe-desktop
Version: $version
Architecture: $arch
Maintainer: Wushe Desktop team <wushe@example.invalid>
Installed-Size: $size
Section: misc
Priority: optional
Depends: libc6 (>= $glibc), libgl1, libegl1, libxkbcommon0, libxkbcommon-x11-0, libglib2.0-0, libfontconfig1, libfreetype6, libdbus-1-3, libxcb-cursor0, libxcb-icccm4, libxcb-image0, libxcb-keysyms1, libxcb-randr0, libxcb-render-util0, libxcb-shape0, libxcb-xinerama0, libxcb-xkb1, libxcb1
Description: Wushe Desktop (五社联动 社工站桌面端)
 Offline records for township social-work stations: case services, volunteers and their
 hours, activities and charity resources; Chinese printed forms; signed, encrypted
 bundles for the banner centre. The same program runs the centre.
CONTROL
cat > "$stage/DEBIAN/postinst" <<'POSTINST'
#!/bin/sh
set -e
command -v update-desktop-database >/dev/null && update-desktop-database -q /usr/share/applications || true
command -v gtk-update-icon-cache >/dev/null && gtk-update-icon-cache -q /usr/share/icons/hicolor || true
exit 0
POSTINST
chmod 755 "$stage/DEBIAN/postinst"
deb="$out/wushe-desktop_${version}_${arch}.deb"
dpkg-deb --root-owner-group --build "$stage" "$deb" >/dev/null
echo "$deb"
