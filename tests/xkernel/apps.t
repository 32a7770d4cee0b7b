#!/usr/bin/env bash
# apps.t - the ping apps between two host processes on the IPC kernel (the
# default wire) and on threads: each runs its samples and prints one report
# line (round trip mean ± std, client processing per round trip); bad
# command lines get one message naming the problem and exit status 2.
set -u
. tests/tap/tap.sh
BUILD=${BUILD:-build}
need "$BUILD"/bin/{tcpping,udpping,icmpping}
plan 13
report='^[a-z]+ping: 3 samples x 300 round trips \(1 byte\), wire [a-z]+: round trip [0-9.]+ ± [0-9.]+ us; client protocol processing [0-9.]+ ± [0-9.]+ us per round trip'

for run in "tcpping" "udpping" "icmpping" "tcpping -w thread"; do
	out=$(timeout 120 $BUILD/bin/$run -n 300 -s 3 2>&1)
	rc=$?
	diag "$out"
	ok "$run: 3 samples of 300 round trips, one report line" eval \
		'[ $rc = 0 ] && [ "$(echo "$out" | wc -l)" = 1 ] && echo "$out" | grep -Eq "$report"'
done

bad() {	# bad WHAT ARGS...: exit 2 and one line on stderr mentioning WHAT
	local what=$1 err rc
	shift
	err=$(timeout 20 "$BUILD/bin/$@" 2>&1 >/dev/null)
	rc=$?
	ok "$* -> exit 2, one message naming '$what' (got $rc: $err)" eval \
		'[ $rc = 2 ] && [ "$(echo "$err" | wc -l)" = 1 ] && echo "$err" | grep -q -- "$what"'
}
bad "-n '0'" tcpping -n 0
bad "-n 'x'" udpping -n x
bad "-s '1001'" icmpping -s 1001
bad "-w 'bogus'" tcpping -w bogus
bad "unknown option '-q'" tcpping -q
bad "unexpected argument 'extra'" udpping extra
bad "TAP is for icmpping" tcpping -t xktap0 -p 10.77.0.1
bad "-t TAPIF and -p PEER_IP go together" icmpping -t xktap0
bad "-p '10.0.0': want an IPv4 address" icmpping -t xktap0 -p 10.0.0
done_testing
