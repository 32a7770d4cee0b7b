#!/usr/bin/env bash
# clonebind.t - the x-kernel binds sessions to their paths' clones. tcpping,
# built with relocations and rewritten by olayout with a layout that clones
# its send path (tcp_send: TCP's push down to the driver) and its receive
# path (tcp_recv: ETH's demux up to the app) and routes the direct calls
# along each, passes verify and echoes like the input; callgrind's call
# counts of the measured loop (runs of N and 2N round trips: the difference
# is the steady state's) show every path function running as its clone
# (FN.clone.PATH) and its original not at all: the sessions' operations are
# bound to the clones (xk_sess_bind_path) and the classifier sends every
# frame of the connection to the receive path's root clone. The input, not
# rewritten, runs the originals (binding changes nothing there).
set -u
. tests/tap/tap.sh
BUILD=${BUILD:-build}
need_tool valgrind
case $BUILD in *san*) skip_all "valgrind cannot run an ASan build ($BUILD)" ;; esac
OL=$BUILD/bin/olayout
need "$OL" "$BUILD/plugin/olayout.so"
T=$(mktemp -d /tmp/xkbind.XXXXXXXX)
trap 'rm -rf "$T"' EXIT
N=200

CC="gcc -ffunction-sections -Wl,--emit-relocs" BUILD=$BUILD profiles/xk_build.sh STD "$T/std" >/dev/null ||
	bail_out "cannot build tcpping (profiles/xk_build.sh STD)"
exe=$T/std/tcpping
cat >"$T/prof" <<'PROF'
olayout-profile 1
cache alpha21064 8192 1 32
path tcp_send tcp_sess_push tcp_output tcp_send_segment push_segment ip_push ip_send_one ip_output eth_push drv_push
path tcp_recv eth_demux eth_pop ip_demux ip_deliver ip_pop tcp_demux tcp_pop tcp_output app_demux
PROF
# Per path: its functions as linked ("PATH SYMBOL COLD_BYTES"), in path order.
"$OL" paths --profile "$T/prof" "$exe" 2>/dev/null |
	awk '$1 == "path" { p = $2 } ($1 == "root" || $1 == "layer") && $3 != "missing" { print p, $3, $7 }' >"$T/units"
# Clone each (and its .cold part), then route every direct call between two of a path's clones.
awk 'BEGIN { print "olayout-layout 1"; print "align 16" }
     { print "clone", $2, $1; if ($3 > 0) cold[++nc] = $2 ".cold " $1; u[$1, ++n[$1]] = $2 }
     END {
	for (i = 1; i <= nc; i++) print "clone", cold[i]
	for (p in n) for (i = 1; i <= n[p]; i++) for (j = 1; j <= n[p]; j++)
		if (i != j) print "route", u[p, i], u[p, j], p
     }' "$T/units" >"$T/layout"
diag "$(wc -l <"$T/units") path functions cloned: $(awk '{ printf "%s.clone.%s ", $2, $1 }' "$T/units")"

plan 6
ok "olayout rewrite with both paths cloned" "$OL" rewrite --layout "$T/layout" -o "$T/tcpping.clo" "$exe"
ok "the output passes olayout verify" "$OL" verify "$T/tcpping.clo"
run_same() {	# both run N round trips and report the same line but for the times
	"$exe" -w inproc -n $N -s 1 | sed 's/[0-9.]* ±.*//' >"$T/a.out" &&
		"$T/tcpping.clo" -w inproc -n $N -s 1 | sed 's/[0-9.]* ±.*//' >"$T/b.out" &&
		[ -s "$T/a.out" ] && cmp -s "$T/a.out" "$T/b.out"
}
ok "the output echoes like the input" run_same

calls() {	# calls EXE ROUND_TRIPS: "FUNCTION CALLS" of the measured loop
	(cd "$T" && env -i valgrind --tool=callgrind --instr-atstart=no --callgrind-out-file="$T/cg.out" \
		"$1" -w inproc -n "$2" -s 1 >/dev/null 2>&1) && awk -f bench/xkernel/calls.awk "$T/cg.out"
}
steady() {	# steady EXE: "FUNCTION CALLS" the N more round trips of a 2N run made
	calls "$1" $N >"$T/c1" && calls "$1" $((2 * N)) >"$T/c2" &&
		awk 'NR == FNR { c[$1] = $2; next } { print $1, $2 - c[$1] }' "$T/c1" "$T/c2"
}
steady "$exe" >"$T/calls.std"
steady "$T/tcpping.clo" >"$T/calls.clo"
# Every path function: "PATH SYMBOL ORIGINAL_CALLS CLONE_CALLS" in the rewritten run.
awk 'NR == FNR { c[$1] = $2; next } { print $1, $2, c[$2] + 0, c[$2 ".clone." $1] + 0 }' \
	"$T/calls.clo" "$T/units" >"$T/counts"
diag "rewritten, calls in N = $N round trips (path, function, original, clone):" "$(sed 's/^/  /' "$T/counts")"
rt=$((N + N / 10))	# the 2N run's loop has N + N/10 more round trips
ok "the input runs every path function's original, at least once a round trip (no clones there)" eval \
	"awk -v rt=$rt 'NR == FNR { c[\$1] = \$2; if (\$1 ~ /\\.clone\\./) bad = 1; next } c[\$2] < rt { bad = 1 }
	     END { exit bad }' '$T/calls.std' '$T/units'"
ok "rewritten: every path function runs as its clone, at least once a round trip" eval \
	"awk -v rt=$rt '\$4 < rt { bad = 1 } END { exit bad || NR == 0 }' '$T/counts'"
ok "rewritten: no path function's original runs in the measured loop" eval \
	"awk '\$3 != 0 { bad = 1 } END { exit bad || NR == 0 }' '$T/counts'"
done_testing
