#!/usr/bin/env bash
# mcsim, saying how it ended (a crash shows as "mcsim exited with status 139", SIGSEGV) and
# leaving a core file in its working folder. For tools/sim: INCUNEST_MCSIM=tools/sim/mcsim-status.sh
ulimit -c unlimited
"${MODDABLE:?set MODDABLE}/build/bin/lin/release/mcsim" "$@"
rc=$?
echo "mcsim exited with status $rc" >&2
exit $rc
