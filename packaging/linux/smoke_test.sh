#!/usr/bin/env bash
# Smoke test of a frozen build: both programs start, a station is made and filled with demo
# data, a PDF prints, a bundle goes to a centre and comes back with a receipt, and the GUI
# opens the demo database offscreen. Usage: smoke_test.sh DIST_FOLDER (holding wushe, wushe-desktop)
set -euo pipefail
dist="$(cd "${1:?usage: smoke_test.sh DIST_FOLDER}" && pwd)"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
export WUSHE_DATA_DIR="$work/data" WUSHE_BACKUP_PASSPHRASE="correct horse battery" QT_QPA_PLATFORM=offscreen
# no Python of ours on the path: the frozen programs must carry everything
export PYTHONPATH="" PYTHONHOME=""
wushe() { "$dist/wushe" "$@"; }
station="$work/station.sqlite3" centre="$work/centre.sqlite3" usb="$work/usb"
mkdir -p "$usb"
step() { printf '== %s\n' "$*"; }

step "versions"
wushe --version
"$dist/wushe-desktop" --version

step "a station with demo data"
wushe --db "$station" init --station-code 150121101000 --station-name 毕克齐镇社工站
wushe --db "$station" demo --cases 8 --seed 5
wushe --db "$station" check

step "printing one PDF (Chinese font embedded)"
month="$(date +%Y-%m)"
wushe --db "$station" print monthly-report --month "$month" --out "$work/月报.pdf"
head -c 5 "$work/月报.pdf" | grep -q '%PDF-'
if command -v pdffonts >/dev/null; then
  pdffonts "$work/月报.pdf" | awk 'NR > 2 && $(NF-2) != "yes" { bad = 1 } END { exit bad }'
fi

step "a bundle to the centre and its receipt back"
wushe --db "$centre" centre init --name 土默特左旗社会工作服务中心
wushe --db "$centre" keys export-card --out "$usb/"
wushe --db "$station" keys import-centre "$usb"/*-centre.card
wushe --db "$station" keys export-card --out "$usb/"
wushe --db "$centre" centre trust "$usb"/150121101000-station.card
wushe --db "$station" export --out "$usb/"
wushe --db "$centre" centre import "$usb"/150121101000-000001.wsb
wushe --db "$station" receipt import "$usb"/150121101000-000001.wsb.receipt

step "the GUI opens the demo database"
out="$("$dist/wushe-desktop" --demo --quit-when-ready 2>"$work/gui.err")" || { cat "$work/gui.err"; exit 1; }
echo "$out"
grep -q '^ready: ' <<<"$out"

step "smoke test passed"
