#!/usr/bin/env bash
# Linux build: the PyInstaller one-folder app, its smoke test, and the .deb.
# Usage (from anywhere): packaging/linux/build.sh [OUT_FOLDER]   (default: build/)
# Needs: Python 3.11+ and dpkg-deb; installs the project (with the PostgreSQL driver) and PyInstaller.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/../.." && pwd)"
out="$(mkdir -p "${1:-$root/build}" && cd "${1:-$root/build}" && pwd)"
cd "$root"
python -m pip install -q ".[postgres]" "pyinstaller>=6.10"  # the driver too: a centre may run on PostgreSQL
python -m PyInstaller --noconfirm --log-level WARN --distpath "$out/dist" --workpath "$out/work" packaging/wushe.spec
"$here/smoke_test.sh" "$out/dist/wushe-desktop"
"$here/build_deb.sh" "$out/dist/wushe-desktop" "$out"
