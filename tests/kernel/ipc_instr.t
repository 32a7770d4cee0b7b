#!/usr/bin/env bash
# ipc_instr.t - the instructions a null round trip executes (issue #14: the
# cross-core null call is bound by its code path, not by cache lines).
# Under callgrind, ipc_pingpong in thread mode, counting only inside
# ipc_call and ipc_return_receive and not inside ipc_wait or ipc_wait_full
# (the spin, whose length depends on scheduling): the difference of two run
# lengths cancels start-up. Both threads run pinned to one CPU: each
# handoff then yields to the peer (ipc_wait.c) and never sleeps, so the
# count is the code's: 443.0 per round trip (both sides) with the reply in
# the callee's line (the caller's wait ipc_wait_reply left out too); 455.0 with the FULL
# wait inlined, the domains at a constant offset and FULL a plain store;
# 513.0 with the null-call fast path alone (reply slot rearmed, message
# steps inlined; 826 before on a loaded machine, 870-878 idle). Unpinned, a waiter whose peer sat on the other CPU spins,
# sleeps and is woken, and the count takes the futex wake and the sender
# queue in a share of the round trips that depends on the machine's load
# (602 to over 1000 with every wait spinning: ipc_peer_here forced false).
# So the two lengths must agree within 3%, and the bound (453) is a guard
# against a slower path: the FULL wait through the generic ipc_wait (a
# call per spin turn) 469, the reply through the caller's line (ipc_reply_here
# never taken) 560, without the rearm (a free-slot search per call) over
# 540, without the inlining over 660.
set -u
. tests/tap/tap.sh
BUILD=${BUILD:-build}
need "$BUILD"/bin/ipc_pingpong
plan 2
need_tool valgrind taskset
case $BUILD in *san*)
	skip "null round trip: the same count within 3% for two run lengths" "valgrind cannot run an ASan build ($BUILD)"
	skip "null round trip: at most 453 instructions" "valgrind cannot run an ASan build ($BUILD)"
	done_testing; exit 0 ;;
esac
dir=$(mktemp -d) || bail_out "mktemp failed"
trap 'rm -rf "$dir"' EXIT

# The first CPU this script may run on.
cpu=$(taskset -pc $$ | sed 's/.*: //; s/[-,].*//')
# ipc_pingpong runs 1.1 N + 1 round trips (a tenth to warm up, one to stop).
per_rt() {
	local n1=$1 n2=$2 c1 c2
	c1=$(count_in "$n1") && c2=$(count_in "$n2") || return 1
	awk -v a="$c1" -v b="$c2" -v n="$(( (n2 - n1) * 11 / 10 ))" 'BEGIN { printf "%.1f\n", (b - a) / n }'
}
# count_in N: the count in the supervisor's file, named by its pid: the
# subshell execs into valgrind, so $! is that pid (not the smallest pid of
# the run: pids wrap on a busy machine, and a domain's file was then read,
# 216 or 694 per round trip). At most 600 s, as a hang.
count_in() {
	( exec taskset -c "$cpu" valgrind --tool=callgrind --callgrind-out-file="$dir/cg.$1.%p" \
		--toggle-collect=ipc_call --toggle-collect=ipc_return_receive \
		--toggle-collect=ipc_wait --toggle-collect=ipc_wait_full --toggle-collect=ipc_wait_reply \
		"$BUILD"/bin/ipc_pingpong "$1" >/dev/null 2>&1 ) &
	local pid=$!
	timeout 600 tail --pid="$pid" -s 0.1 -f /dev/null
	kill "$pid" 2>/dev/null
	wait "$pid" || return 1
	awk '/^summary:/ { print $2; exit }' "$dir/cg.$1.$pid"
	rm -f "$dir"/cg."$1".*
}
a=$(per_rt 10000 20000)
b=$(per_rt 10000 30000)
diag "instructions per null round trip (call + reply, waits excluded): $a and $b"
ok "null round trip: the same count within 3% for two run lengths ($a, $b)" eval \
	'[ -n "$a" ] && [ -n "$b" ] && awk -v a="$a" -v b="$b" "BEGIN { d = a - b; if (d < 0) d = -d; exit !(a > 0 && d <= 3 * a / 100) }"'
ok "null round trip: at most 453 instructions ($a)" eval \
	'[ -n "$a" ] && awk -v a="$a" "BEGIN { exit !(a > 0 && a <= 453) }"'
done_testing
