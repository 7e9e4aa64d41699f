#!/usr/bin/env bash
# Smoke test of a frozen build (the PyInstaller folder, or /opt/wushe-desktop of an installed
# .deb): both programs start and agree on the version; the folder carries the resources, every
# migration and the Qt libraries and plugins the program uses; a station is made (migrated to
# the newest revision the folder carries) and filled with demo data; PDFs print with the
# Chinese fonts embedded, rare name characters included; a bundle goes to a centre and comes
# back with a receipt; the GUI opens the demo database and a station offscreen.
# Usage: smoke_test.sh DIST_FOLDER (holding wushe, wushe-desktop)
#   WUSHE_EXPECT_VERSION  fail unless the programs say this version
#   WUSHE_SMOKE_PG_URL    an empty PostgreSQL database (postgresql+psycopg://...): a second
#                         centre is made there and imports a bundle (skipped when unset)
# Needs poppler-utils (pdffonts, pdftotext) for the PDF checks; without them they are skipped.
set -euo pipefail
dist="$(cd "${1:?usage: smoke_test.sh DIST_FOLDER}" && pwd)"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
export WUSHE_DATA_DIR="$work/data" WUSHE_BACKUP_PASSPHRASE="correct horse battery" QT_QPA_PLATFORM=offscreen
# no Python of ours on the path: the frozen programs must carry everything
export PYTHONPATH="" PYTHONHOME=""
unset WUSHE_DB
wushe() { "$dist/wushe" "$@"; }
station="$work/station.sqlite3" centre="$work/centre.sqlite3" usb="$work/usb"
mkdir -p "$usb"
step() { printf '== %s\n' "$*"; }
fail() { printf 'SMOKE TEST FAILED: %s\n' "$*" >&2; exit 1; }
internal="$dist/_internal"
[ -d "$internal" ] || internal="$dist"  # PyInstaller before 6 put everything beside the programs

step "versions"
cli_version="$(wushe --version)"
gui_version="$("$dist/wushe-desktop" --version)"
echo "$cli_version"; echo "$gui_version"
[ "${cli_version#wushe }" = "${gui_version#wushe-desktop }" ] || fail "the two programs disagree on the version"
if [ -n "${WUSHE_EXPECT_VERSION:-}" ]; then
  [ "${cli_version#wushe }" = "$WUSHE_EXPECT_VERSION" ] || fail "version ${cli_version#wushe }, expected $WUSHE_EXPECT_VERSION"
fi

step "the folder carries resources, migrations, Qt libraries and plugins"
pkg="$internal/wushe_desktop"
for f in resources/fonts/wqy-microhei.ttc resources/fonts/wushe-han-fallback.ttf resources/icons/wushe-desktop.png \
         migrations/env.py; do
  [ -f "$pkg/$f" ] || fail "missing $f"
done
ls "$pkg"/resources/i18n/*.qm >/dev/null 2>&1 || fail "no compiled translation (.qm) in resources/i18n"
heads="$(find "$pkg/migrations/versions" -maxdepth 1 -name '[0-9][0-9][0-9][0-9]_*.py' -printf '%f\n' | sort)"
head_rev="$(tail -n 1 <<<"$heads" | cut -c1-4)"
echo "migrations: $(tr '\n' ' ' <<<"$heads")"
qt="$(dirname "$(find "$internal" -name 'libQt6Core.so.6' -print -quit)")"
[ -n "$qt" ] || fail "no libQt6Core.so.6"
for lib in Core Gui Widgets PrintSupport Pdf PdfWidgets Charts Svg DBus XcbQpa; do
  [ -e "$qt/libQt6$lib.so.6" ] || [ -n "$(find "$internal" -name "libQt6$lib.so.6" -print -quit)" ] || fail "missing libQt6$lib.so.6"
done
plugins="$(dirname "$(find "$internal" -path '*/plugins/platforms/libqxcb.so' -print -quit)")/.."
for p in platforms/libqxcb.so platforms/libqoffscreen.so platforms/libqwayland-generic.so \
         platforminputcontexts/libibusplatforminputcontextplugin.so platforminputcontexts/libcomposeplatforminputcontextplugin.so \
         imageformats/libqsvg.so xcbglintegrations/libqxcb-glx-integration.so; do
  [ -f "$plugins/$p" ] || fail "missing Qt plugin $p"
done
# Libraries the folder's programs and plugins link to that this system does not have. The
# Wayland EGL/cursor libraries are needed only on a Wayland desktop (which has them), the GTK
# theme plugin only on GTK desktops.
missing="$(find "$internal" -type f -name '*.so*' ! -name 'libqgtk3.so' -print0 |
           xargs -0 -r ldd 2>/dev/null | awk '/=> not found/ {print $1}' |
           grep -v -E '^lib(wayland-(egl|cursor)|gtk-3|gdk-3)\.so' | sort -u || true)"
[ -z "$missing" ] || fail "libraries not found on this system: $(tr '\n' ' ' <<<"$missing")"
if ls -d "$internal"/psycopg-*.dist-info >/dev/null 2>&1; then  # psycopg's code is in the archive, its metadata beside it
  [ -n "$(find "$internal" -path '*psycopg_binary*' -name '_psycopg*.so' -print -quit)" ] || fail "psycopg without its binary extension"
  echo "PostgreSQL driver: psycopg with psycopg_binary"
else
  echo "PostgreSQL driver: not in this build (stations and SQLite centres only)"
fi

step "a station with demo data, migrated to $head_rev"
wushe --db "$station" init --station-code 150121101000 --station-name 毕克齐镇社工站
wushe --db "$station" demo --cases 8 --seed 5
check="$(wushe --db "$station" check)"
echo "$check"
grep -q "schema: $head_rev (head $head_rev)" <<<"$check" || fail "the station is not at the newest migration $head_rev"

step "printing one PDF (Chinese font embedded)"
month="$(date +%Y-%m)"
wushe --db "$station" print monthly-report --month "$month" --out "$work/月报.pdf"
head -c 5 "$work/月报.pdf" | grep -q '%PDF-' || fail "月报.pdf is not a PDF"
if command -v pdffonts >/dev/null && command -v pdftotext >/dev/null; then
  pdffonts "$work/月报.pdf" | tee "$work/fonts.txt"
  awk 'NR > 2 && $(NF-4) != "yes" { bad = 1 } END { exit bad }' "$work/fonts.txt" || fail "a font of 月报.pdf is not embedded"
  grep -q 'WenQuanYiMicroHei' "$work/fonts.txt" || fail "月报.pdf does not carry WenQuanYi Micro Hei"
  pdftotext "$work/月报.pdf" - | grep -q '站点：毕克齐镇社工站' || fail "月报.pdf has no extractable Chinese text"
  echo "月报.pdf: Chinese text extracts, fonts embedded"
else
  echo "pdffonts/pdftotext not installed (poppler-utils): font checks skipped"
fi

step "rare name characters print with the fallback font"
printf '%s\n' '序号,姓名,性别,身份证号,联系电话,特长,所属队伍,政治面貌,备注' \
  '1,李䶮,男,150121197610280073,13947100037,文艺,毕克齐镇志愿服务队,群众,' > "$work/生僻字.csv"
wushe --db "$station" import volunteers "$work/生僻字.csv"
vno="$(wushe --db "$station" list volunteers --json | grep -B 2 '"name": "李䶮"' |
       sed -n 's/.*"volunteer_no": "\([^"]*\)".*/\1/p')"
[ -n "$vno" ] || fail "the imported volunteer 李䶮 is not listed"
wushe --db "$station" print volunteer-form "$vno" --out "$work/志愿者登记表.pdf"
if command -v pdffonts >/dev/null && command -v pdftotext >/dev/null; then
  pdffonts "$work/志愿者登记表.pdf" | grep 'WusheHanFallback' | awk '$(NF-4) == "yes"' | grep -q . ||
    fail "志愿者登记表.pdf does not embed the rare-character fallback font"
  pdftotext "$work/志愿者登记表.pdf" - | grep -q '李䶮' || fail "志愿者登记表.pdf lost the name 李䶮"
  echo "志愿者登记表.pdf: 李䶮 printed with Wushe Han Fallback embedded"
fi

step "a bundle to the centre and its receipt back"
wushe --db "$centre" centre init --name 土默特左旗社会工作服务中心
wushe --db "$centre" keys export-card --out "$usb/"
wushe --db "$station" keys import-centre "$usb"/*-centre.card
wushe --db "$station" keys export-card --out "$usb/"
wushe --db "$centre" centre trust "$usb"/150121101000-station.card
wushe --db "$station" export --out "$usb/"
[ -s "$usb/150121101000-000001.wsb" ] || fail "no bundle written"
wushe --db "$centre" centre import "$usb"/150121101000-000001.wsb
wushe --db "$station" receipt import "$usb"/150121101000-000001.wsb.receipt

if [ -n "${WUSHE_SMOKE_PG_URL:-}" ]; then
  step "a centre on PostgreSQL imports a bundle"
  pg_usb="$work/pg-usb" pg_station="$work/station2.sqlite3"
  mkdir -p "$pg_usb"
  WUSHE_DATA_DIR="$work/pg-centre" wushe --db "$WUSHE_SMOKE_PG_URL" centre init --name 土默特左旗社会工作服务中心
  WUSHE_DATA_DIR="$work/pg-centre" wushe --db "$WUSHE_SMOKE_PG_URL" keys export-card --out "$pg_usb/"
  wushe --db "$pg_station" init --station-code 150121102000 --station-name 察素齐镇社工站
  wushe --db "$pg_station" demo --cases 4 --seed 7 >/dev/null
  wushe --db "$pg_station" keys import-centre "$pg_usb"/*-centre.card
  wushe --db "$pg_station" keys export-card --out "$pg_usb/"
  WUSHE_DATA_DIR="$work/pg-centre" wushe --db "$WUSHE_SMOKE_PG_URL" centre trust "$pg_usb"/150121102000-station.card
  wushe --db "$pg_station" export --out "$pg_usb/"
  WUSHE_DATA_DIR="$work/pg-centre" wushe --db "$WUSHE_SMOKE_PG_URL" centre import "$pg_usb"/150121102000-000001.wsb
  pg_check="$(WUSHE_DATA_DIR="$work/pg-centre" wushe --db "$WUSHE_SMOKE_PG_URL" check)"
  echo "$pg_check"
  grep -q "schema: $head_rev (head $head_rev)" <<<"$pg_check" || fail "the PostgreSQL centre is not at $head_rev"
fi

gui() {  # gui LABEL ARGS...: run the GUI offscreen until its first screen has its data
  local label="$1"; shift
  local t0 t1 out
  t0=$(date +%s)
  out="$("$dist/wushe-desktop" "$@" --quit-when-ready 2>"$work/gui.err")" || { cat "$work/gui.err" >&2; fail "the GUI ($label) exited with an error"; }
  t1=$(date +%s)
  echo "$out"
  [ "$(grep -c -E '^(shown|ready): ' <<<"$out")" = 2 ] && head -n 1 <<<"$out" | grep -q '^shown: ' &&
    tail -n 1 <<<"$out" | grep -q '^ready: ' || fail "the GUI ($label) did not print shown: then ready:"
  ! grep -q 'Traceback' "$work/gui.err" || { cat "$work/gui.err" >&2; fail "the GUI ($label) printed a traceback"; }
  if [ -d "$WUSHE_DATA_DIR/logs" ] && grep -h -E ' (ERROR|CRITICAL) |Traceback' "$WUSHE_DATA_DIR"/logs/*.log 2>/dev/null; then
    fail "the GUI ($label) logged an error"
  fi
  echo "($label: $((t1 - t0)) s)"
}

step "the GUI opens the demo database"
gui demo --demo
step "the GUI opens the station"
gui station --db "$station"

step "smoke test passed"
