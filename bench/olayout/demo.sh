#!/usr/bin/env bash
# demo.sh - olayout on the bundled TCP/IP stack, end to end (make demo-olayout):
# builds tcpping with outlining (OUT, profiles/xk_build.sh) linked with
# -ffunction-sections -Wl,--emit-relocs, trains a profile of it
# (bench/variants/train.sh: `olayout profile` of the measured loop, plus the
# paths and library marks of profiles/tcpping.prof), then `olayout optimize
# --strategy bipartite` plans, clones, rewrites and verifies. The output must
# echo like the input; callgrind counts instructions and I1 misses per round
# trip of both, and `olayout map` draws the alpha21064 i-cache of both.
# tcpping binds its sessions to the clones it finds (xk_sess_bind_path,
# stack/xkernel/framework/bind.c), so the cloned paths are the ones that run.
#   BUILD=build RESULTS=build/results bench/olayout/demo.sh
set -eu -o pipefail
case ${1:-} in -h | --help) sed -n '2,/^set -eu/{/^#/s/^# \{0,1\}//p}' "$0" | sed '1s/^/usage: /'; exit 0 ;; esac
[ $# = 0 ] || { echo "usage: demo.sh (no arguments; BUILD and RESULTS from the environment; -h)" >&2; exit 2; }
export LC_ALL=C
: "${BUILD:=build}" "${RESULTS:=bench/results}"
OL=$BUILD/bin/olayout
DIR=$BUILD/bench/olayout-demo
mkdir -p "$DIR" "$RESULTS"

echo "== OUT tcpping, linked with --emit-relocs"
CC="gcc -ffunction-sections -Wl,--emit-relocs" profiles/xk_build.sh OUT "$DIR/OUT" >/dev/null
exe=$DIR/OUT/tcpping

echo "== olayout profile of its measured loop ($DIR/OUT.prof)"
bench/variants/train.sh "$OL" profiles/tcpping.prof "$exe" "$DIR/OUT.prof" -w inproc -n 1000 -s 1

echo "== olayout optimize --strategy bipartite --cache alpha21064"
"$OL" optimize --strategy bipartite --profile "$DIR/OUT.prof" --cache alpha21064 \
	--save-layout "$DIR/layout" -o "$DIR/tcpping.bip" "$exe" | sed 's/^/  /'
"$OL" verify "$DIR/tcpping.bip"

echo "== both echo (in-process wire, 2000 round trips)"
for e in "$exe" "$DIR/tcpping.bip"; do "$e" -w inproc -n 2000 -s 1 | sed "s#^#  $(basename "$e"): #"; done

echo "== callgrind, per round trip (instructions, I1 misses; alpha21064 i-cache)"
BUILD=$BUILD bench/xkernel/callgrind.sh -q -n 1000 -g alpha21064 "$exe" "$DIR/tcpping.bip" | sed 's#^#  #'

echo "== the alpha21064 i-cache of both ($RESULTS/olayout-map.svg)"
"$OL" map --cache alpha21064 --profile "$DIR/OUT.prof" -o "$RESULTS/olayout-map.svg" "$exe" --vs "$DIR/tcpping.bip" | sed 's/^/  /'
