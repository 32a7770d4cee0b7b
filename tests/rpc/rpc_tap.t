#!/usr/bin/env bash
# rpc_tap.t - RPC through the real Linux kernel between two network
# namespaces: in each, one of our hosts on a TAP device bridged by Linux to
# a veth end; the veth pair joins the namespaces. rpcserver (namespace 2)
# serves rpcping's procedure; rpcping -t (namespace 1) calls it and reports
# like on the other wires; the server counts every call it served. Over IP,
# then both with -e, BLAST straight over ETH across the bridges and veth.
set -u
. tests/tap/tap.sh
. tests/xkernel/netns.sh
BUILD=${BUILD:-build}
need "$BUILD"/bin/{rpcping,rpcserver}
xk_netns_start
ns2="$XK_NETNS-2"
cleanup() { rm -f "${out:-}"; xk_netns_cleanup; ip netns del "$ns2" 2>/dev/null; }
trap cleanup EXIT
ip netns add "$ns2" 2>/dev/null || skip_all "cannot create a second network namespace"
# bridge N holds TAP device xkrN and veth end xkvN; xkv1 moves to ns2
xk_netns_exec ip link add xkv0 type veth peer name xkv1 2>/dev/null &&
	xk_netns_exec ip link set xkv1 netns "$ns2" 2>/dev/null ||
	skip_all "cannot join two namespaces with a veth pair"
for i in 0 1; do
	ns=$XK_NETNS
	[ $i = 1 ] && ns=$ns2
	ip netns exec "$ns" sh -ec "
		ip tuntap add dev xkr$i mode tap
		ip link add xkbr$i type bridge
		ip link set xkr$i master xkbr$i
		ip link set xkv$i master xkbr$i
		ip link set xkr$i up
		ip link set xkv$i up
		ip link set xkbr$i up" 2>/dev/null || skip_all "cannot bridge a TAP device to veth in a namespace"
done

plan 8
out=$(mktemp)
# over IP (protocol 253), then -e: BLAST straight over ETH (EtherType 0x88b5)
for e in "" -e; do
	ip netns exec "$ns2" "$BUILD/bin/rpcserver" -t xkr1 -a 10.77.1.3 $e -T 60 >"$out" 2>&1 &
	server=$!
	report="^rpcping${e:+ $e}: 3 samples x 300 round trips \\(0 bytes\\), wire xkr0: round trip [0-9.]+ ± [0-9.]+ us; client protocol processing"
	res=$(timeout 60 ip netns exec "$XK_NETNS" "$BUILD/bin/rpcping" $e -t xkr0 -p 10.77.1.3 -n 300 -s 3 2>&1)
	rc=$?
	diag "$res"
	ok "rpcping${e:+ $e} -t xkr0: 3 samples of 300 calls to rpcserver${e:+ $e} across bridges and veth, one report line" eval \
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
