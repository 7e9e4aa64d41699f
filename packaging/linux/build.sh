#!/usr/bin/env bash
# Linux build: the PyInstaller one-folder app, its smoke test, and the .deb.
# Usage (from anywhere): packaging/linux/build.sh [OUT_FOLDER]   (default: build/ of this checkout)
#
# The build runs in its own virtualenv (OUT_FOLDER/venv, reused by later builds), where the
# project with its PostgreSQL driver and PyInstaller are installed from PyPI: the Python that
# runs this script (and any editable install of the project in it) is never changed.
#   WUSHE_BUILD_PYTHON  the Python 3.11+ that makes the virtualenv (default: python3)
#   WUSHE_BUILD_VENV    another virtualenv folder to use (made if missing)
# Needs: Python 3.11+ with venv, dpkg-deb, binutils (objdump); poppler-utils (pdffonts,
# pdftotext) for the PDF checks of the smoke test.
# Output: OUT/dist/wushe-desktop/ (the app), OUT/wushe-desktop_<version>_<arch>.deb, OUT/build-info.txt
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/../.." && pwd)"
out="$(mkdir -p "${1:-$root/build}" && cd "${1:-$root/build}" && pwd)"
venv="${WUSHE_BUILD_VENV:-$out/venv}"
cd "$root"
stamp() { date +%s; }
t0=$(stamp)

if [ ! -x "$venv/bin/python" ]; then
  "${WUSHE_BUILD_PYTHON:-python3}" -m venv "$venv"
fi
py="$venv/bin/python"
"$py" -m pip install -q --upgrade pip
"$py" -m pip install -q ".[postgres]" "pyinstaller>=6.10,<7"  # the driver too: a centre may run on PostgreSQL
"$py" -m pip install -q --no-deps --force-reinstall .          # this checkout, even at an unchanged version
t1=$(stamp)

"$py" -m PyInstaller --noconfirm --log-level WARN --distpath "$out/dist" --workpath "$out/work" packaging/wushe.spec
t2=$(stamp)
dist="$out/dist/wushe-desktop"

"$here/smoke_test.sh" "$dist"
t3=$(stamp)
deb="$("$here/build_deb.sh" "$dist" "$out")"
t4=$(stamp)

{
  echo "commit: $(git -C "$root" rev-parse HEAD 2>/dev/null || echo unknown)$(git -C "$root" diff --quiet HEAD 2>/dev/null || echo ' (with uncommitted changes)')"
  echo "version: $("$dist/wushe" --version | awk '{print $2}')"
  echo "built on: $(. /etc/os-release && echo "$PRETTY_NAME"), $(uname -m), glibc $(ldd --version | head -1 | awk '{print $NF}')"
  echo "python: $("$py" -c 'import platform; print(platform.python_version())')"
  "$py" -m pip list --format=freeze 2>/dev/null | grep -i -E '^(pyside6|shiboken6|pyinstaller|sqlalchemy|alembic|reportlab|psycopg)' | sed 's/^/  /'
  echo "needs glibc: $("$here/glibc_needed.sh" "$dist")"
  echo "folder: $(du -sm "$dist" | awk '{print $1}') MB, $(find "$dist" -type f | wc -l) files"
  echo "deb: $(basename "$deb"), $(( $(stat -c %s "$deb") / 1048576 )) MB"
  echo "time: install $((t1 - t0)) s, PyInstaller $((t2 - t1)) s, smoke test $((t3 - t2)) s, .deb $((t4 - t3)) s"
} > "$out/build-info.txt"
cat "$out/build-info.txt"
echo "$deb"
