#!/usr/bin/env bash
# demo.sh - olayout on the bundled TCP/IP stack, end to end (make demo-olayout):
# builds tcpping with outlining (OUT, profiles/xk_build.sh) linked with
# -ffunction-sections -Wl,--emit-relocs, then olayout clones the send path
# named in profiles/tcpping.prof, places the clones (hot parts first, then
# the .cold parts) in path order, and routes each direct call along the path
# to the next clone. The output must pass `olayout verify` and echo like the
# input; callgrind counts instructions and I1 misses per round trip of both.
# This is the mechanism only: the bipartite layout planner is olayout part 2.
# tcpping binds its sessions to the clones it finds (xk_sess_bind_path,
# stack/xkernel/framework/bind.c), so the cloned send path is the one that runs.
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
# inlined it away), as `olayout paths` maps them: hot parts in path order,
# then their .cold parts.
"$OL" paths --profile "$PROFILE" "$exe" 2>/dev/null >"$DIR/paths.txt"
read -r -a units < <(awk '($1 == "root" || $1 == "layer") && $3 != "missing" { printf "%s ", $3 } END { print "" }' "$DIR/paths.txt")
read -r -a colds < <(awk '($1 == "root" || $1 == "layer") && $3 != "missing" && $7 > 0 { printf "%s.cold ", $3 } END { print "" }' "$DIR/paths.txt")
{
	echo "olayout-layout 1"
	echo "align 16"
	for u in "${units[@]}"; do echo "clone $u tcp_send"; done
	for u in "${colds[@]}"; do echo "clone $u tcp_send"; done
	for ((i = 0; i + 1 < ${#units[@]}; i++)); do echo "route ${units[i]} ${units[i + 1]} tcp_send"; done
} >"$DIR/layout"
echo "== layout ($DIR/layout): ${#units[@]} path functions cloned for tcp_send"

"$OL" rewrite --layout "$DIR/layout" -o "$DIR/tcpping.clo" "$exe"
"$OL" verify "$DIR/tcpping.clo"
"$OL" paths --profile "$PROFILE" "$DIR/tcpping.clo" 2>/dev/null | sed -n '/^path/,/^library/p' | sed '$d; s/^/  /'

echo "== both echo (in-process wire, 2000 round trips)"
for e in "$exe" "$DIR/tcpping.clo"; do "$e" -w inproc -n 2000 -s 1 | sed "s#^#  $(basename "$e"): #"; done

echo "== callgrind, per round trip (instructions, I1 misses; alpha21064 i-cache)"
BUILD=$BUILD bench/xkernel/callgrind.sh -q -n 1000 -g alpha21064 "$exe" "$DIR/tcpping.clo" | sed 's#^#  #'
