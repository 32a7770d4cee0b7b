# impair.sh - a bash library for scripts (tests, bench) that want Linux and
# our stack on the two ends of an impaired link: tapimpair between two TAP
# devices, each in a network namespace of its own.
#
#   . tests/tap/tap.sh                 # first: the skips are tap.sh's skip_all
#   . tests/xkernel/impair.sh
#   xk_impair_start                   # or prints "1..0 # SKIP reason", exits 0
#   xk_impair_link DROP DUP REORDER SEED [DELAY_US]   # (re)starts tapimpair
#   xk_impair_wait                    # until Linux pings across (0), or 1 after 10 s
#
#   $XK_NSL: Linux at $XK_LEFT_IP (10.79.0.1) on TAP device xkl0, one end;
#   $XK_NSR: the other end: a bridge holding TAP device xkr0 (tapimpair's) and
#     $XK_STACK_TAP (xks0), where our stack runs as $XK_STACK_IP (10.79.0.2);
#     Linux answers there too, as $XK_RIGHT_IP (10.79.0.3) on the bridge.
#   tapimpair -d DROP -u DUP -r REORDER -D DELAY_US (default 1000) -S SEED runs
#   between xkl0 and xkr0 (its summary goes to $XK_IMPAIR_LOG when it stops).
# So "ours to Linux" and "Linux to Linux" cross the same impaired link, in
# the same direction, from the same namespace. Everything is removed on exit.
XK_LEFT_IP=10.79.0.1
XK_STACK_IP=10.79.0.2
XK_RIGHT_IP=10.79.0.3
XK_STACK_TAP=xks0

xk_impair_cleanup() {
	local pids
	pids=$(jobs -p)
	[[ -n $pids ]] && kill $pids 2>/dev/null
	wait 2>/dev/null
	[[ -n ${XK_NSL:-} ]] && ip netns del "$XK_NSL" 2>/dev/null
	[[ -n ${XK_NSR:-} ]] && ip netns del "$XK_NSR" 2>/dev/null
	XK_NSL= XK_NSR=
}

# need_tool and skip_all come from the caller, as for netns.sh's xk_netns_start.
xk_impair_start() {
	need_tool ip	# iproute2: make deps installs it
	[[ $EUID -eq 0 ]] || skip_all "needs root for network namespaces"
	[[ -c /dev/net/tun ]] || skip_all "no /dev/net/tun on this machine"
	XK_NSL="xkl-$$-$RANDOM" XK_NSR="xkr-$$-$RANDOM"
	XK_IMPAIR_LOG=$(mktemp /tmp/tapimpair.XXXXXX)
	trap xk_impair_cleanup EXIT
	if ! ip netns add "$XK_NSL" 2>/dev/null || ! ip netns add "$XK_NSR" 2>/dev/null; then
		skip_all "cannot create network namespaces (ip netns add failed)"
	fi
	if ! ip netns exec "$XK_NSL" sh -ec "
		ip link set lo up
		ip tuntap add dev xkl0 mode tap
		ip addr add $XK_LEFT_IP/24 dev xkl0
		ip link set xkl0 up" 2>/dev/null ||
	   ! ip netns exec "$XK_NSR" sh -ec "
		ip link set lo up
		ip tuntap add dev xkr0 mode tap
		ip tuntap add dev $XK_STACK_TAP mode tap
		ip link add br0 type bridge
		ip link set xkr0 master br0
		ip link set $XK_STACK_TAP master br0
		ip addr add $XK_RIGHT_IP/24 dev br0
		ip link set xkr0 up
		ip link set $XK_STACK_TAP up
		ip link set br0 up" 2>/dev/null; then
		skip_all "cannot make TAP devices and a bridge in namespaces"
	fi
}

xk_impair_link() { # DROP DUP REORDER SEED [DELAY_US]
	if [[ -n ${XK_IMPAIR_PID:-} ]]; then
		kill "$XK_IMPAIR_PID" 2>/dev/null
		wait "$XK_IMPAIR_PID" 2>/dev/null
	fi
	"$BUILD/bin/tapimpair" -d "$1" -u "$2" -r "$3" -D "${5:-1000}" -S "$4" \
		"$XK_NSL/xkl0" "$XK_NSR/xkr0" >"$XK_IMPAIR_LOG" 2>&1 &
	XK_IMPAIR_PID=$!
}

# Stop tapimpair: its summary is then in $XK_IMPAIR_LOG.
xk_impair_stop() {
	kill "$XK_IMPAIR_PID" 2>/dev/null
	wait "$XK_IMPAIR_PID" 2>/dev/null
	XK_IMPAIR_PID=
}

xk_impair_wait() {
	local i
	for i in $(seq 50); do
		ip netns exec "$XK_NSR" ping -c 1 -W 0.2 "$XK_LEFT_IP" >/dev/null 2>&1 && return 0
	done
	return 1
}
