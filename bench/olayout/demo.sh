#!/usr/bin/env bash
# demo.sh - olayout on the bundled TCP/IP stack, end to end (make demo-olayout):
# builds tcpping with outlining (OUT, profiles/xk_build.sh) linked with
# -ffunction-sections -Wl,--emit-relocs, then olayout clones the send path
# named in profiles/tcpping.prof, places the clones (hot parts first, then
# the .cold parts) in path order, and routes each direct call along the path
# to the next clone. The output must pass `olayout verify` and echo like the
# input; callgrind counts instructions and I1 misses per round trip of both.
# This is the mechanism only: the bipartite layout planner is olayout part 2.
#   BUILD=build bench/olayout/demo.sh
set -eu -o pipefail
export LC_ALL=C
: "${BUILD:=build}"
OL=$BUILD/bin/olayout
DIR=$BUILD/bench/olayout-demo
PROFILE=profiles/tcpping.prof
mkdir -p "$DIR"

echo "== OUT tcpping, linked with --emit-relocs"
CC="gcc -ffunction-sections -Wl,--emit-relocs" profiles/xk_build.sh OUT "$DIR/OUT" >/dev/null
exe=$DIR/OUT/tcpping

# The path's functions as linked (GCC may have renamed one f.isra.0, or
# inlined it away): hot parts in path order, then their .cold parts.
read -r -a path < <(awk '$1 == "path" { $1 = $2 = ""; print; exit }' "$PROFILE")
"$OL" info "$exe" >"$DIR/info.txt"
units=()
for f in "${path[@]}"; do
	u=$(awk -v f="$f" '$1 == "fn" && ($2 == f || index($2, f ".isra.") == 1 || index($2, f ".constprop.") == 1) { print $2; exit }' "$DIR/info.txt")
	if [ -n "$u" ]; then units+=("$u"); else echo "  $f: not in the executable (inlined by GCC)"; fi
done
{
	echo "olayout-layout 1"
	echo "align 16"
	for u in "${units[@]}"; do echo "clone $u tcp_send"; done
	for u in "${units[@]}"; do
		grep -q "fragment $u.cold " "$DIR/info.txt" && echo "clone $u.cold tcp_send"
	done
	for ((i = 0; i + 1 < ${#units[@]}; i++)); do echo "route ${units[i]} ${units[i + 1]} tcp_send"; done
} >"$DIR/layout"
echo "== layout ($DIR/layout): ${#units[@]} path functions cloned for tcp_send"

"$OL" rewrite --layout "$DIR/layout" -o "$DIR/tcpping.clo" "$exe"
"$OL" verify "$DIR/tcpping.clo"
"$OL" info "$DIR/tcpping.clo" | grep -c '\.clone\.tcp_send' | sed 's/^/  clone symbols in the output: /'

echo "== both echo (in-process wire, 2000 round trips)"
for e in "$exe" "$DIR/tcpping.clo"; do "$e" -w inproc -n 2000 -s 1 | sed "s#^#  $(basename "$e"): #"; done

echo "== callgrind, per round trip (instructions, I1 misses; alpha21064 i-cache)"
BUILD=$BUILD bench/xkernel/callgrind.sh -q -n 1000 -g alpha21064 "$exe" "$DIR/tcpping.clo" | sed 's#^#  #'
