#!/usr/bin/env bash
# Upgrade test of the .deb (needs root, apt and xvfb-run; sqlite3 for the backup check):
# install the OLD package, make a station with demo data with it, install the NEW package over
# it, and check that the new program opens the same database — backed up first (the backup
# still at the old schema, with the old rows), migrated to the newest revision, every person,
# case, volunteer and activity and every figure unchanged, the audit chain intact — and that
# the GUI starts on it under Xvfb. Leaves the NEW package installed.
# Usage: upgrade_test.sh OLD.deb NEW.deb
set -euo pipefail
old="$(realpath "${1:?usage: upgrade_test.sh OLD.deb NEW.deb}")"
new="$(realpath "${2:?usage: upgrade_test.sh OLD.deb NEW.deb}")"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
export WUSHE_DATA_DIR="$work/data" WUSHE_BACKUP_PASSPHRASE="correct horse battery"
unset WUSHE_DB QT_QPA_PLATFORM
db="$work/data/wushe.sqlite3"
step() { printf '== %s\n' "$*"; }
fail() { printf 'UPGRADE TEST FAILED: %s\n' "$*" >&2; exit 1; }
wushe() { /usr/bin/wushe --db "$db" "$@"; }
snapshot() {  # snapshot FOLDER: what must survive the upgrade, one file per listing
  mkdir -p "$1"
  for what in people cases volunteers activities; do wushe list "$what" --json > "$1/$what.json"; done
  wushe stats --json > "$1/stats.json"
}
rows_kept() {  # rows_kept OLD.sqlite3 NEW.sqlite3: every row of every table of OLD, in OLD's columns, is in NEW
  local old="$1" new="$2" bad=0 table cols lost count
  q() { sqlite3 -batch "file:$1?mode=ro" "$2"; }
  for table in $(q "$old" "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'
                           AND name != 'alembic_version' ORDER BY name"); do
    if ! q "$new" "SELECT 1 FROM \"$table\" LIMIT 0" >/dev/null 2>&1; then echo "table $table is gone"; bad=1; continue; fi
    cols="$(q "$old" "SELECT group_concat('quote(\"' || name || '\")', ' || ''|'' || ') FROM pragma_table_info('$table')")"
    lost="$(comm -23 <(q "$old" "SELECT $cols FROM \"$table\"" | LC_ALL=C sort) \
                     <(q "$new" "SELECT $cols FROM \"$table\"" 2>&1 | LC_ALL=C sort) | wc -l)"
    count="$(q "$old" "SELECT count(*) FROM \"$table\"")"
    [ "$lost" = 0 ] || { echo "table $table: $lost of $count rows missing or changed"; bad=1; }
  done
  return $bad
}
command -v xvfb-run >/dev/null || fail "xvfb-run not installed (apt install xvfb)"
command -v sqlite3 >/dev/null || fail "sqlite3 not installed (apt install sqlite3)"
old_version="$(dpkg-deb -f "$old" Version)" new_version="$(dpkg-deb -f "$new" Version)"
new_head="$(dpkg-deb -c "$new" | grep -o 'wushe_desktop/migrations/versions/[0-9]\{4\}_' | grep -o '[0-9]\{4\}' | sort | tail -n 1)"
echo "old $old_version, new $new_version (migrations up to $new_head)"

step "the old release ($old_version)"
DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --allow-downgrades "$old" >/dev/null
[ "$(dpkg-query -W -f '${Version}' wushe-desktop)" = "$old_version" ] || fail "the old package did not install"
/usr/bin/wushe --version
wushe init --station-code 150121101000 --station-name 毕克齐镇社工站
wushe demo --cases 12 --seed 3
old_check="$(wushe check)"
echo "$old_check"
old_rev="$(sed -n 's/.*schema: \([0-9]\{4\}\) (head.*/\1/p' <<<"$old_check")"
snapshot "$work/before"
cp "$db" "$work/old-release.sqlite3"
echo "made with $old_version at schema $old_rev: $(wc -c < "$db") bytes," \
     "$(for w in people cases volunteers activities; do printf '%s %s ' "$(grep -c '"uuid"' "$work/before/$w.json")" "$w"; done)"

step "the new release ($new_version) installed over it"
DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$new" >/dev/null
[ "$(dpkg-query -W -f '${Version}' wushe-desktop)" = "$new_version" ] || fail "the new package did not install"
/usr/bin/wushe --version | grep -q "$new_version" || fail "/usr/bin/wushe is not $new_version"
[ -f /usr/share/applications/wushe-desktop.desktop ] && [ -f /usr/share/icons/hicolor/256x256/apps/wushe-desktop.png ] ||
  fail "menu entry or icon missing"
# The first open backs the database up and migrates it.
new_check="$(wushe check)"
echo "$new_check"
grep -q "schema: $new_head (head $new_head)" <<<"$new_check" || fail "the database is not at $new_head after the upgrade"
snapshot "$work/after"
for f in people.json cases.json volunteers.json activities.json stats.json; do
  cmp -s "$work/before/$f" "$work/after/$f" || { diff "$work/before/$f" "$work/after/$f" | head -20; fail "$f changed by the upgrade"; }
done
echo "unchanged: people, cases, volunteers, activities (list --json), stats --json"
rows_kept "$work/old-release.sqlite3" "$db" || fail "rows of the old release's database were lost or changed"
echo "every row of all $(sqlite3 "file:$work/old-release.sqlite3?mode=ro" "SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'") tables kept, in the old columns"
wushe audit verify || fail "the audit chain is broken after the upgrade"

step "the backup taken before the migration"
backup="$(ls -t "$work/data/backups/"*.sqlite3 2>/dev/null | head -n 1)"
[ -n "$backup" ] || fail "no backup in $work/data/backups/"
echo "$backup"
backup_rev="$(sqlite3 "file:$backup?mode=ro" 'SELECT version_num FROM alembic_version' | cut -c1-4)"
[ "$backup_rev" = "$old_rev" ] || fail "the backup is at schema $backup_rev, not the old $old_rev"
rows_kept "$work/old-release.sqlite3" "$backup" && rows_kept "$backup" "$work/old-release.sqlite3" ||
  fail "the backup differs from the old release's database"
echo "the backup is at $old_rev and holds exactly the old release's rows"

step "the GUI opens the upgraded database under Xvfb"
out="$(xvfb-run -a -s "-screen 0 1366x768x24" /usr/bin/wushe-desktop --db "$db" --quit-when-ready 2>"$work/gui.err")" ||
  { cat "$work/gui.err" >&2; fail "the GUI exited with an error"; }
echo "$out"
head -n 1 <<<"$out" | grep -q '^shown: ' && tail -n 1 <<<"$out" | grep -q '^ready: ' || fail "the GUI did not print shown: then ready:"
! grep -q Traceback "$work/gui.err" || { cat "$work/gui.err" >&2; fail "the GUI printed a traceback"; }
step "upgrade test passed: $old_version (schema $old_rev) -> $new_version (schema $new_head), nothing lost"
