# netns_bench.sh - the start every TAP benchmark here shares (synflood.sh,
# zerowin.sh), as tests/xkernel/netns.sh is for the tests.
#   . bench/xkernel/netns_bench.sh
#   xk_bench_netns NAME.sh  # the script's name, for its messages
# Sets PEER (our stack's TAP peer, tests/xkernel/tcp_interop_test under
# BUILD) and TMP (a scratch folder), starts the namespace and its TAP
# device, and removes both on exit.

# netns.sh's skips end a benchmark with one line and status 1: a
# benchmark cannot pass by not running.
skip_all() { echo "$XK_BENCH_NAME: cannot run: $*" >&2; exit 1; }

xk_bench_netns() {
	XK_BENCH_NAME=$1
	PEER=$BUILD/tests/xkernel/tcp_interop_test
	[ -x "$PEER" ] || { echo "$XK_BENCH_NAME: no $PEER (make first)" >&2; exit 1; }
	. tests/xkernel/netns.sh
	xk_netns_start
	TMP=$(mktemp -d "/tmp/${XK_BENCH_NAME%.sh}.XXXXXX")
	trap 'rm -rf "$TMP"; xk_netns_cleanup' EXIT
}
