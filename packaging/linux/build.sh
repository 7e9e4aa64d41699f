#!/usr/bin/env bash
# Linux build: the PyInstaller one-folder app, its smoke test, and the .deb.
# Usage (from anywhere): packaging/linux/build.sh [OUT_FOLDER]   (default: build/)
# Needs: Python 3.11+ with the project installed (pip install .), dpkg-deb.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/../.." && pwd)"
out="$(mkdir -p "${1:-$root/build}" && cd "${1:-$root/build}" && pwd)"
cd "$root"
python -m pip install -q "pyinstaller>=6.10"
python -m PyInstaller --noconfirm --log-level WARN --distpath "$out/dist" --workpath "$out/work" packaging/wushe.spec
"$here/smoke_test.sh" "$out/dist/wushe-desktop"
"$here/build_deb.sh" "$out/dist/wushe-desktop" "$out"
