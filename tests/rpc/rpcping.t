#!/usr/bin/env bash
# rpcping.t - rpcping on the in-process wire and between two host
# processes (and threads) on the IPC kernel: one report line each, like
# tcpping's, of null calls (0 bytes each way) by default; -b 0 the same,
# -b 1 one byte each way; with -b 65536 (64 KiB each way; the harness checks that the
# replies brought the bytes back) on the in-process wire (its virtual clock
# keeps BLAST's and CHAN's timers out of a loaded machine's way); with -e
# (BLAST straight over ETH) on the three wires, and 4000 bytes each way (3
# fragments) between two host processes; a bad
# command line (-n 0, -b 65537: the range it names starts at 0) gets one
# message and exit status 2. Under
# callgrind (bench/xkernel/callgrind.sh, the harness's measured loop on the
# virtual clock): the same instruction count per RPC round trip twice, and
# in the steady state not one call to malloc, free, calloc or realloc.
set -u
. tests/tap/tap.sh
BUILD=${BUILD:-build}
export BUILD
need "$BUILD"/bin/rpcping
plan 15
report='^rpcping: 3 samples x 300 round trips \(0 bytes\), wire [a-z]+: round trip [0-9.]+ ± [0-9.]+ us; client protocol processing [0-9.]+ ± [0-9.]+ us per round trip'

for wire in inproc process thread; do
	out=$(timeout 120 "$BUILD"/bin/rpcping -w $wire -n 300 -s 3 2>&1)
	rc=$?
	diag "$out"
	ok "rpcping -w $wire: 3 samples of 300 round trips, one report line" eval \
		'[ $rc = 0 ] && [ "$(echo "$out" | wc -l)" = 1 ] && echo "$out" | grep -Eq "$report"'
done

ereport='^rpcping -e: 3 samples x 300 round trips \(0 bytes\), wire [a-z]+: round trip [0-9.]+ ± [0-9.]+ us; client protocol processing'
for wire in inproc process thread; do
	out=$(timeout 120 "$BUILD"/bin/rpcping -e -w $wire -n 300 -s 3 2>&1)
	rc=$?
	diag "$out"
	ok "rpcping -e -w $wire: BLAST over ETH, 3 samples of 300 round trips, one report line" eval \
		'[ $rc = 0 ] && [ "$(echo "$out" | wc -l)" = 1 ] && echo "$out" | grep -Eq "$ereport"'
done
out=$(timeout 120 "$BUILD"/bin/rpcping -e -w process -n 100 -s 2 -b 4000 2>&1)
rc=$?
diag "$out"
ok "rpcping -e -w process -b 4000: 3 fragments each way over ETH between two processes" eval \
	'[ $rc = 0 ] && [ "$(echo "$out" | wc -l)" = 1 ] && echo "$out" | grep -Eq "^rpcping -e: 2 samples x 100 round trips \(4000 bytes\), wire process"'

for b in 0 1; do
	[ $b = 1 ] && want='1 byte' || want='0 bytes'
	out=$(timeout 120 "$BUILD"/bin/rpcping -w inproc -n 300 -s 2 -b $b 2>&1)
	rc=$?
	diag "$out"
	ok "rpcping -w inproc -b $b: $want each way, one report line" eval \
		'[ $rc = 0 ] && [ "$(echo "$out" | wc -l)" = 1 ] && echo "$out" | grep -Eq "^rpcping: 2 samples x 300 round trips \($want\), wire inproc"'
done

big='^rpcping: 2 samples x 20 round trips \(65536 bytes\), wire [a-z]+: round trip'
out=$(timeout 120 "$BUILD"/bin/rpcping -w inproc -n 20 -s 2 -b 65536 2>&1)
rc=$?
diag "$out"
ok "rpcping -w inproc -b 65536: 64 KiB each way, one report line" eval \
	'[ $rc = 0 ] && [ "$(echo "$out" | wc -l)" = 1 ] && echo "$out" | grep -Eq "$big"'
err=$(timeout 20 "$BUILD"/bin/rpcping -b 65537 2>&1 >/dev/null)
rc=$?
ok "rpcping -b 65537 -> exit 2, one message naming -b and the range 0 to 65536 (got $rc: $err)" eval \
	'[ $rc = 2 ] && [ "$(echo "$err" | wc -l)" = 1 ] && echo "$err" | grep -q -- "-b '"'65537'"'.*from 0 to 65536"'

err=$(timeout 20 "$BUILD"/bin/rpcping -n 0 2>&1 >/dev/null)
rc=$?
ok "rpcping -n 0 -> exit 2, one message naming -n (got $rc: $err)" eval \
	'[ $rc = 2 ] && [ "$(echo "$err" | wc -l)" = 1 ] && echo "$err" | grep -q -- "-n '"'0'"'"'
out=$(timeout 20 "$BUILD"/bin/rpcping --help)
ok "rpcping --help prints its usage" eval 'echo "$out" | grep -q "^usage: rpcping"'

need_tool valgrind
why=
case $BUILD in *san*) why="valgrind cannot run an ASan build ($BUILD)" ;; esac
if [ -n "$why" ]; then
	skip "rpcping: the same instruction count twice" "$why"
	skip "rpcping: no allocator call per round trip" "$why"
else
	read -r n1 al <<<"$(bench/xkernel/callgrind.sh -q -m -n 500 rpcping | awk '{ print $2, $3 }')"
	n2=$(bench/xkernel/callgrind.sh -q -n 500 rpcping | awk '{ print $2 }')
	diag "rpcping: $n1 and $n2 instructions per round trip; $al allocator calls"
	ok "rpcping: the same instruction count per round trip twice, between 1,000 and 100,000" eval \
		'[ -n "$n1" ] && [ "$n1" = "$n2" ] && awk -v c="$n1" "BEGIN { exit !(c >= 1000 && c <= 100000) }"'
	ok "rpcping: no call to malloc, free, calloc or realloc per round trip in the steady state" \
		test "$al" = 0.00
fi
done_testing
