#!/usr/bin/env bash
# Upgrade test of the .deb (needs root, apt and xvfb-run): install the OLD package, make a
# station with demo data with it, install the NEW package over it, and check that the new
# program opens the same database — backed up first, migrated, every record still there —
# and that the GUI starts on it under Xvfb.
# Usage: upgrade_test.sh OLD.deb NEW.deb
set -euo pipefail
old="$(realpath "${1:?usage: upgrade_test.sh OLD.deb NEW.deb}")"
new="$(realpath "${2:?usage: upgrade_test.sh OLD.deb NEW.deb}")"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
export WUSHE_DATA_DIR="$work/data" WUSHE_BACKUP_PASSPHRASE="correct horse battery"
db="$work/data/wushe.sqlite3"
step() { printf '== %s\n' "$*"; }
counts() { /usr/bin/wushe --db "$db" stats --json; }

step "the old release"
DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --allow-downgrades "$old" >/dev/null
/usr/bin/wushe --version
/usr/bin/wushe --db "$db" init --station-code 150121101000 --station-name 毕克齐镇社工站
/usr/bin/wushe --db "$db" demo --cases 12 --seed 3
before="$(counts)"

step "the new release installed over it"
DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$new" >/dev/null
/usr/bin/wushe --version
after="$(counts)"  # the first open backs the database up and migrates it
[ "$before" = "$after" ] || { echo "figures changed by the upgrade"; diff <(echo "$before") <(echo "$after"); exit 1; }
ls "$work/data/backups/"*.sqlite3 >/dev/null  # the copy taken before the migration
/usr/bin/wushe --db "$db" check

step "the GUI opens the upgraded database"
out="$(env -u QT_QPA_PLATFORM xvfb-run -a -s "-screen 0 1366x768x24" /usr/bin/wushe-desktop --db "$db" --quit-when-ready)"
echo "$out"
grep -q '^ready: ' <<<"$out"
step "upgrade test passed"
