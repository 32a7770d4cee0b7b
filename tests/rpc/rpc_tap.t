#!/usr/bin/env bash
# rpc_tap.t - RPC through the real Linux kernel: two of our hosts, each on
# a TAP device of its own, the two devices bridged by Linux in a namespace.
# rpcserver serves rpcping's procedure; rpcping -t calls it and reports
# like on the other wires; the server counts every call it served. Over IP,
# then both with -e, BLAST straight over ETH through the bridge.
set -u
. tests/tap/tap.sh
. tests/xkernel/netns.sh
BUILD=${BUILD:-build}
need "$BUILD"/bin/{rpcping,rpcserver}
xk_netns_start
xk_netns_exec sh -ec '
	ip tuntap add dev xkr0 mode tap
	ip tuntap add dev xkr1 mode tap
	ip link add xkbr0 type bridge
	ip link set xkr0 master xkbr0
	ip link set xkr1 master xkbr0
	ip link set xkr0 up
	ip link set xkr1 up
	ip link set xkbr0 up' 2>/dev/null || skip_all "cannot bridge two TAP devices in the namespace"

plan 8
out=$(mktemp)
trap 'rm -f "$out"; xk_netns_cleanup' EXIT
# over IP (protocol 253), then -e: BLAST straight over ETH (EtherType 0x88b5)
for e in "" -e; do
	ip netns exec "$XK_NETNS" "$BUILD/bin/rpcserver" -t xkr1 -a 10.77.1.3 $e -T 60 >"$out" 2>&1 &
	server=$!
	report="^rpcping${e:+ $e}: 3 samples x 300 round trips \\(1 byte\\), wire xkr0: round trip [0-9.]+ ± [0-9.]+ us; client protocol processing"
	res=$(timeout 60 ip netns exec "$XK_NETNS" "$BUILD/bin/rpcping" $e -t xkr0 -p 10.77.1.3 -n 300 -s 3 2>&1)
	rc=$?
	diag "$res"
	ok "rpcping${e:+ $e} -t xkr0: 3 samples of 300 calls to rpcserver${e:+ $e} across the Linux bridge, one report line" eval \
		'[ $rc = 0 ] && [ "$(echo "$res" | wc -l)" = 1 ] && echo "$res" | grep -Eq "$report"'

	kill -TERM $server
	wait $server
	is $? 0 "rpcserver${e:+ $e} exits cleanly on SIGTERM"
	diag "$(cat "$out")"
	# the warm-up (300/10 + 1 calls) and 3 samples of 300
	lower=ip
	[ -n "$e" ] && lower=eth/0x88b5
	ok "rpcserver${e:+ $e} ran the procedure once per call over $lower: 931" grep -q "served 931 calls over $lower\$" "$out"
	ok "rpcserver${e:+ $e}: no RPC layer dropped anything" eval '! grep -Eq "(blast|bid|chan|select)/" "$out"'
done
done_testing
