#!/usr/bin/env bash
# Runs a command in a namespace of its own, as Moddable's simulator must run on a shared
# machine: a private network (loopback only, so port 8080 is this namespace's own), a
# private /tmp (mcsim keeps its preferences in /tmp/modpreferences.json, and the SDK's
# makefile kills every mcsim it can see), a private ~/.config/tech.moddable.mcsim (mcsim
# copies the firmware it runs to mc.so there and deletes it when it quits: two simulators
# sharing that file crash each other with SIGSEGV), its own PIDs, and an Xvfb display.
# Everything the command starts ends with it.
#
#   tools/sim/isolated.sh <command> [args...]      e.g. tools/sim/isolated.sh bash
#
# Needs root (or user namespaces), Xvfb and iproute2.
set -euo pipefail
if [ "${INCUNEST_ISOLATED:-}" != "1" ]; then
	exec unshare -n -m -p --fork --mount-proc env INCUNEST_ISOLATED=1 "$0" "$@"
fi
mount -t tmpfs -o size=512m tmpfs /tmp
mcsim_home="${XDG_CONFIG_HOME:-$HOME/.config}/tech.moddable.mcsim"
mkdir -p "$mcsim_home"
mount -t tmpfs -o size=256m tmpfs "$mcsim_home"
ip link set lo up
Xvfb :9 -screen 0 800x600x24 -nolisten tcp >/tmp/xvfb.log 2>&1 &
for _ in $(seq 1 50); do [ -e /tmp/.X11-unix/X9 ] && break; sleep 0.1; done
export DISPLAY=:9
"$@"
