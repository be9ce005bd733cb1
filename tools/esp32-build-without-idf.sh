#!/usr/bin/env bash
# Runs every stage of the ESP32 build that does not need ESP-IDF: mcconfig generates the
# makefile, then make compiles every module (tsc, xsc) and links them with xsl into mc.xs.c,
# and mcrez builds mc.resources.c. The stages after (idf.py: component dependencies such as
# espressif/onewire_bus, sdkconfig.h, the xtensa C compiler, the link, the flash image) need
# ESP-IDF and are not run.
#
#   tools/esp32-build-without-idf.sh [output-dir]        (default: /tmp/incunest-esp32)
#
# Needs $MODDABLE (a Moddable SDK with its Linux tools built) and `npm install` done here.
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
OUT=${1:-/tmp/incunest-esp32}
: "${MODDABLE:?set MODDABLE to the Moddable SDK checkout}"
export PATH="$MODDABLE/build/bin/lin/release:$ROOT/node_modules/.bin:$PATH"
mkdir -p "$OUT"

# A dummy IDF_PATH: mcconfig and the makefile only ask that it exists, that `git describe`
# there names the ESP-IDF version the SDK expects, and that export.sh can be sourced.
expected=$(sed -n 's/.*"EXPECTED_ESP_IDF": *"\([^"]*\)".*/\1/p' "$MODDABLE/build/devices/esp32/manifest.json")
export IDF_PATH="$OUT/dummy-idf"
if [ ! -d "$IDF_PATH/.git" ]; then
	mkdir -p "$IDF_PATH"
	echo "# dummy IDF_PATH (no ESP-IDF): see tools/esp32-build-without-idf.sh" > "$IDF_PATH/export.sh"
	git -C "$IDF_PATH" init -q
	git -C "$IDF_PATH" add export.sh
	git -C "$IDF_PATH" -c user.name=incunest -c user.email=incunest@localhost commit -qm "dummy IDF_PATH"
	git -C "$IDF_PATH" -c user.name=incunest -c user.email=incunest@localhost tag -a "$expected" -m "dummy $expected"
fi

cd "$ROOT"
echo "# stage 1: mcconfig -m -p esp32 -t build (stops where ESP-IDF's idf.py is first needed)"
# One make job, so it stops at the first ESP-IDF step (idf.py add-dependency) every time.
set +e
MAKEFLAGS_JOBS=--jobs=1 mcconfig -m -p esp32 -o "$OUT" -t build 2>&1 | tail -4
set -e
TMP_DIR="$OUT/tmp/esp32/release/$(basename "$ROOT")"
[ -f "$TMP_DIR/makefile" ] || { echo "no makefile generated in $TMP_DIR"; exit 1; }

echo "# stage 2: tsc + xsc of every module, xsl into mc.xs.c, mcrez into mc.resources.c"
# SDKCONFIG_H= drops the dependency on ESP-IDF's generated sdkconfig.h, which only the C
# compile of these files needs.
make -C "$TMP_DIR" -f makefile "$TMP_DIR/mc.xs.c" "$TMP_DIR/mc.resources.c" SDKCONFIG_H= 2>&1 | grep -v '^# \(tsc\|xsc\) ' || true

if [ -f "$TMP_DIR/mc.xs.c" ]; then
	modules=$(find "$TMP_DIR/modules" -name '*.xsb' | wc -l)
	echo "# done: $modules modules compiled and linked into $TMP_DIR/mc.xs.c ($(wc -c < "$TMP_DIR/mc.xs.c") bytes)"
	grep -h '^### ' "$TMP_DIR/xsl.log" 2>/dev/null || true
else
	echo "# FAILED before mc.xs.c"
	exit 1
fi
