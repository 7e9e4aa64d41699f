#!/usr/bin/env bash
# The whole Linux release chain from a clean clone of one commit: build (own virtualenv,
# PyInstaller), smoke test of the frozen folder (with a centre on a throwaway PostgreSQL
# cluster when PostgreSQL is installed), the .deb, the upgrade test over the previous
# release's .deb (installs both: needs root, apt, xvfb-run, sqlite3), and the smoke test again
# on the installed /opt/wushe-desktop. Prints a summary; exits non-zero at the first failure.
#
# Usage: packaging/linux/release_check.sh [COMMIT] [OLD.deb] [WORK]
#   COMMIT   what to build (default: HEAD of WUSHE_REPO)
#   OLD.deb  the previous release's package (default: the newest wushe-desktop_*.deb in
#            WUSHE_PKG_CACHE, /work/pkg-cache unless set, older than the version built)
#   WORK     scratch folder (default: /tmp/wushe-release-check); WORK/venv is kept and
#            reused, so a second run installs nothing new
#   WUSHE_REPO  the repository to clone (default: the one holding this script)
# Leaves the new package installed.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
repo="${WUSHE_REPO:-$(git -C "$here" rev-parse --show-toplevel)}"
commit="$(git -C "$repo" rev-parse "${1:-HEAD}^{commit}")"
cache="${WUSHE_PKG_CACHE:-/work/pkg-cache}"
work="${3:-/tmp/wushe-release-check}"
step() { printf '\n######## %s\n' "$*"; }
fail() { printf 'RELEASE CHECK FAILED: %s\n' "$*" >&2; exit 1; }
[ "$(id -u)" = 0 ] || fail "run as root (the upgrade test installs packages)"
for tool in git dpkg-deb apt-get xvfb-run sqlite3 objdump pdffonts pdftotext; do
  command -v "$tool" >/dev/null || fail "$tool not found (apt install git dpkg-dev xvfb sqlite3 binutils poppler-utils)"
done
t_start=$(date +%s)

step "clean clone of $commit"
mkdir -p "$work" && chmod 755 "$work"
rm -rf "$work/clone" "$work/out"
git clone -q "$repo" "$work/clone"
git -C "$work/clone" -c advice.detachedHead=false checkout -q "$commit"
[ -z "$(git -C "$work/clone" status --porcelain)" ] || fail "the clone is not clean"
git -C "$work/clone" log -1 --format='%h %s' | cut -c1-120
version="$(sed -n 's/^version = "\(.*\)"/\1/p' "$work/clone/pyproject.toml" | head -n 1)"
echo "version $version"

old="${2:-}"
if [ -z "$old" ]; then
  old="$(for deb in "$cache"/wushe-desktop_*.deb; do
           [ -f "$deb" ] || continue
           v="$(dpkg-deb -f "$deb" Version)"
           dpkg --compare-versions "$v" lt "$version" && echo "$v $deb"
         done | sort -V | tail -n 1 | cut -d' ' -f2-)"
  [ -n "$old" ] || fail "no previous release's .deb older than $version in $cache (pass OLD.deb)"
fi
old="$(realpath "$old")"
echo "previous release: $old ($(dpkg-deb -f "$old" Version))"

# A throwaway PostgreSQL cluster (socket only, in WORK/pg) for the centre-on-PostgreSQL step.
pg_bin="$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1 || true)"
pg_dir="$work/pg"
stop_pg() { [ -f "$pg_dir/postmaster.pid" ] && su postgres -s /bin/sh -c "$pg_bin/pg_ctl -D '$pg_dir' -m fast stop" >/dev/null 2>&1 || true; }
trap stop_pg EXIT
if [ -n "$pg_bin" ] && id postgres >/dev/null 2>&1; then
  stop_pg; rm -rf "$pg_dir"; mkdir -p "$pg_dir"; chown postgres "$pg_dir"
  pg_port=55439
  su postgres -s /bin/sh -c "$pg_bin/initdb -D '$pg_dir' -U postgres --auth=trust -E UTF8 --locale=C.UTF-8" >/dev/null
  su postgres -s /bin/sh -c "$pg_bin/pg_ctl -D '$pg_dir' -l '$pg_dir/log' -w -o \"-p $pg_port -k $pg_dir -c listen_addresses=''\" start" >/dev/null
  su postgres -s /bin/sh -c "$pg_bin/createdb -h '$pg_dir' -p $pg_port -U postgres wushe_smoke"
  export WUSHE_SMOKE_PG_URL="postgresql+psycopg://postgres@/wushe_smoke?host=$pg_dir&port=$pg_port"
  echo "PostgreSQL $("$pg_bin/postgres" --version | awk '{print $3}') on $pg_dir, port $pg_port"
else
  echo "PostgreSQL not installed: the centre-on-PostgreSQL step is skipped"
fi

step "build, smoke test, .deb"
t0=$(date +%s)
WUSHE_BUILD_VENV="$work/venv" WUSHE_EXPECT_VERSION="$version" "$work/clone/packaging/linux/build.sh" "$work/out" \
  2>&1 | tee "$work/build.log"
new="$(tail -n 1 "$work/build.log")"
[ -f "$new" ] || fail "no .deb made (see $work/build.log)"
t1=$(date +%s)
stop_pg

step "upgrade: $(basename "$old") -> $(basename "$new")"
"$work/clone/packaging/linux/upgrade_test.sh" "$old" "$new" 2>&1 | tee "$work/upgrade.log"
t2=$(date +%s)

step "the installed package passes the smoke test"
unset WUSHE_SMOKE_PG_URL
WUSHE_EXPECT_VERSION="$version" "$work/clone/packaging/linux/smoke_test.sh" /opt/wushe-desktop > "$work/installed-smoke.log" 2>&1 ||
  { tail -n 30 "$work/installed-smoke.log"; fail "smoke test of /opt/wushe-desktop"; }
tail -n 1 "$work/installed-smoke.log"
t3=$(date +%s)

step "summary"
cat "$work/out/build-info.txt"
echo "deb Depends: $(dpkg-deb -f "$new" Depends | cut -d, -f1), ..."
grep -E '^== upgrade test passed' "$work/upgrade.log"
echo "times: build+smoke+deb $((t1 - t0)) s, upgrade test $((t2 - t1)) s, installed smoke test $((t3 - t2)) s, all $((t3 - t_start)) s"
echo "RELEASE CHECK PASSED: $commit ($version), $new"
