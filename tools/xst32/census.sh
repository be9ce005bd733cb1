#!/usr/bin/env bash
# Live-heap census of the IncuNest firmware on a 32-bit XS (16-byte slots, 32-bit chunk
# headers, as on the ESP32).
#
#   MODDABLE=/path/to/moddable tools/xst32/census.sh [<firmware checkout> ...]   (default: this one)
#
# Another checkout (an older revision: `git worktree add --detach <dir> <rev>`, with its
# node_modules) is measured with this checkout's entry, so both run the same composition.
#
# 1. Builds Moddable's `xst` for i386 into $XST32_BUILD (default: <this folder>/build) from a
#    COPY of $MODDABLE/xs (the SDK is never modified), with one host function added:
#    heapFigures() -> [the->currentHeapCount (slots), the->currentChunksSize (chunk bytes)].
#    Needs gcc-multilib; runs it under qemu-i386 when the kernel runs no 32-bit binaries.
# 2. Bundles host-sim/bench/entries/heap-census.ts (the bench entry host-sim/bench/entries/firmware-ticks.ts's
#    composition, with the log store an erased flash that keeps nothing in RAM and without the
#    bench's second model and stub-bus drivers) against each checkout with esbuild (the
#    checkout's node_modules), as host-sim/xs/run-on-xs.ts's bundleForXS does.
# 3. Runs census-driver.js on xst: live heap after a forced full collection, less the live heap
#    once the modules are loaded, at boot+therapy, after 900 s warm-up, and with the four
#    clients of the soak at 300 s and 1800 s of simulated time. Prints one table a checkout.
set -euo pipefail
HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
REPO="$(cd "$HERE/../.." && pwd)"
ENTRY_REL="host-sim/bench/entries/heap-census.ts"
# This checkout's bench files, copied into another checkout for its run.
BENCH_FILES=("$ENTRY_REL" host-sim/bench/bench-firmware.ts host-sim/bench/sink-socket.ts host-sim/bench/sim-device-config.ts)
# Outside the repository: nothing built from the SDK is ever committed.
BUILD="${XST32_BUILD:-${TMPDIR:-/tmp}/incunest-xst32}"

die() { echo "census.sh: $*" >&2; exit 1; }
[ $# -ge 1 ] || set -- "$REPO"
[ -n "${MODDABLE:-}" ] || die "MODDABLE is not set (the Moddable SDK whose xs/ is built)"
[ -f "$MODDABLE/xs/tools/xst.c" ] || die "no xs/tools/xst.c under MODDABLE=$MODDABLE"
command -v node >/dev/null || die "node is missing"

# --- 1. xst for i386 -------------------------------------------------------------------
XST="$BUILD/bin/lin/release/xst"
if [ ! -x "$XST" ]; then
  echo "building xst (i386) into $BUILD" >&2
  rm -rf "$BUILD/xs"; mkdir -p "$BUILD/xs/makefiles"
  for d in includes platforms sources tools; do cp -r "$MODDABLE/xs/$d" "$BUILD/xs/"; done
  cp -r "$MODDABLE/xs/makefiles/lin" "$BUILD/xs/makefiles/"
  SRC="$BUILD/xs/tools/xst.c"
  grep -q 'xsID("gc")' "$SRC" || die "xst.c has no gc registration to patch next to"
  # the host function, and its registration on the global object beside print()
  sed -i 's|^static void fx_gc(xsMachine\* the);|&\nstatic void fx_heapFigures(xsMachine* the);|' "$SRC"
  sed -i 's|^\(\t*\)slot = fxNextHostFunctionProperty(the, slot, fx_print, 1, xsID("print"), XS_DONT_ENUM_FLAG);|&\n\1slot = fxNextHostFunctionProperty(the, slot, fx_heapFigures, 0, xsID("heapFigures"), XS_DONT_ENUM_FLAG);|' "$SRC"
  cat >> "$SRC" <<'C'

/* census.sh: live slots and chunk bytes of this machine */
void fx_heapFigures(xsMachine* the)
{
	xsResult = xsNewArray(2);
	xsSetAt(xsResult, xsInteger(0), xsInteger((txInteger)the->currentHeapCount));
	xsSetAt(xsResult, xsInteger(1), xsInteger((txInteger)the->currentChunksSize));
}
C
  grep -q 'fx_heapFigures, 0, xsID("heapFigures")' "$SRC" || die "patching xst.c failed"
  (cd "$BUILD/xs/makefiles/lin" && make -f xst.mk GOAL=release \
      CC="cc -m32 -msse2 -mfpmath=sse" XS_DIR="$BUILD/xs" BUILD_DIR="$BUILD") \
    || die "the i386 build failed (gcc-multilib installed?)"
fi
[ -x "$XST" ] || die "no $XST after the build"

RUN=("$XST")
if ! "$XST" -v >/dev/null 2>&1; then
  command -v qemu-i386 >/dev/null || die "this kernel runs no 32-bit binaries and qemu-i386 is missing (apt-get install qemu-user)"
  [ -d /usr/i686-linux-gnu ] || die "qemu-i386 needs the i386 libraries in /usr/i686-linux-gnu (apt-get install libc6-i386-cross)"
  RUN=(qemu-i386 -L /usr/i686-linux-gnu "$XST")
fi
"${RUN[@]}" -v >&2
"${RUN[@]}" -v | grep -q "slot 16 bytes" || die "this xst's slots are not 16 bytes"

# --- 2 and 3, each checkout ----------------------------------------------------------------
for CHECKOUT in "$@"; do
  CHECKOUT="$(cd "$CHECKOUT" && pwd)"
  [ -f "$CHECKOUT/host-sim/bench/entries/firmware-ticks.ts" ] || die "$CHECKOUT has no host-sim/bench/entries/firmware-ticks.ts"
  [ -x "$CHECKOUT/node_modules/.bin/esbuild" ] || die "$CHECKOUT has no node_modules (npm ci there)"
  OUT="$BUILD/run/$(basename "$CHECKOUT")"; mkdir -p "$OUT"
  # This checkout's entry, placed beside the bench's entries so its imports resolve there.
  ENTRY="$CHECKOUT/$ENTRY_REL"
  COPIED=0
  if [ "$CHECKOUT" != "$REPO" ]; then
    for f in "${BENCH_FILES[@]}"; do cp "$REPO/$f" "$CHECKOUT/$f"; done
    COPIED=1
  fi
  "$CHECKOUT/node_modules/.bin/esbuild" "$ENTRY" --bundle --format=iife --global-name=CensusEntry \
      --platform=neutral --target=es2022 --log-level=warning --outfile="$OUT/entry.js"
  if [ "$COPIED" = 1 ]; then
    for f in "${BENCH_FILES[@]}"; do git -C "$CHECKOUT" checkout -q -- "$f" 2>/dev/null || rm -f "$CHECKOUT/$f"; done
  fi
  { cat "$OUT/entry.js"; echo; echo "globalThis.CensusEntry = CensusEntry;"; cat "$HERE/census-driver.js"; } > "$OUT/census.js"
  echo "census of $CHECKOUT ($(git -C "$CHECKOUT" rev-parse --short HEAD 2>/dev/null || echo '?'))" >&2
  "${RUN[@]}" "$OUT/census.js" | tee "$OUT/census.txt"
done
