#!/usr/bin/env bash
# The newest glibc symbol version that any program or library in a frozen folder needs, e.g.
# "2.36": the folder runs only on systems with at least that glibc. PyInstaller carries the
# build machine's Python and libraries, so this is about the build machine's glibc — build on
# the oldest system you support (UOS 20 and Kylin V10 have glibc 2.28).
# Usage: glibc_needed.sh DIST_FOLDER   (needs objdump, from binutils)
set -euo pipefail
dist="${1:?usage: glibc_needed.sh DIST_FOLDER}"
command -v objdump >/dev/null || { echo "glibc_needed.sh: objdump not found (install binutils)" >&2; exit 1; }
{ find "$dist" -type f \( -name '*.so' -o -name '*.so.*' -o -perm -u+x \) -print0 |
    xargs -0 -r objdump -T 2>/dev/null || true; } |
  { grep -o 'GLIBC_[0-9][0-9.]*' || true; } | sed 's/GLIBC_//' | sort -u -V | tail -n 1
