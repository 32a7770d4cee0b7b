# netns.sh - a bash library for script tests that put our stack on a TAP
# device facing the real Linux stack, inside a network namespace of their own.
#
#   . tests/tap/tap.sh            # first: the skips are tap.sh's skip_all
#   . tests/xkernel/netns.sh
#   xk_netns_start                # or prints "1..0 # SKIP reason" and exits 0
#   xk_netns_exec ping -c 1 "$XK_STACK_IP"
#   ip netns exec "$XK_NETNS" "$BUILD/bin/xkhost" -t "$XK_TAP" & pid=$!
#                    (in the background call ip directly: then $! is the program)
#
# After xk_netns_start: the namespace $XK_NETNS holds lo and a persistent TAP
# device $XK_TAP with Linux's address $XK_LINUX_IP/24; our stack takes
# $XK_STACK_IP on it (attach with xk_tap_open($XK_TAP)). The namespace, and
# every background job started after xk_netns_start, is removed on exit.

XK_TAP=xktap0
XK_LINUX_IP=10.77.0.1
XK_STACK_IP=10.77.0.2

xk_netns_cleanup() {
	local pids
	pids=$(jobs -p)
	[[ -n $pids ]] && kill $pids 2>/dev/null
	wait 2>/dev/null
	[[ -n ${XK_NETNS:-} ]] && ip netns del "$XK_NETNS" 2>/dev/null
	XK_NETNS=
}

# need_tool and skip_all come from the caller: tests/tap/tap.sh for a test
# (a missing tool fails it), bench/xkernel/netns_bench.sh for a benchmark
# (one line, status 1). A missing tool fails even where root would skip.
xk_netns_start() {
	need_tool ip	# iproute2: make deps installs it
	[[ $EUID -eq 0 ]] || skip_all "needs root for network namespaces"
	[[ -c /dev/net/tun ]] || skip_all "no /dev/net/tun on this machine"
	XK_NETNS="xk-$$-$RANDOM"
	if ! ip netns add "$XK_NETNS" 2>/dev/null; then
		XK_NETNS=
		skip_all "cannot create a network namespace (ip netns add failed)"
	fi
	trap xk_netns_cleanup EXIT
	if ! ip netns exec "$XK_NETNS" sh -ec "
		ip link set lo up
		ip tuntap add dev $XK_TAP mode tap
		ip addr add $XK_LINUX_IP/24 dev $XK_TAP
		ip link set $XK_TAP up" 2>/dev/null; then
		skip_all "cannot make a TAP device in a namespace"
	fi
}

xk_netns_exec() {
	ip netns exec "$XK_NETNS" "$@"
}

# Wait until our stack answers ARP for $XK_STACK_IP (it is up), up to 5 s.
xk_netns_wait_stack() {
	local i
	for i in $(seq 50); do
		xk_netns_exec ping -c 1 -W 0.1 "$XK_STACK_IP" >/dev/null 2>&1 && return 0
	done
	return 1
}

# Wait until FILE exists (a Linux server's "listening" mark), up to 10 s;
# the caller's next step fails on its own when the server never came up.
xk_netns_wait_file() {
	local i
	for i in $(seq 100); do
		[[ -e $1 ]] && return 0
		sleep 0.1
	done
	return 1
}
