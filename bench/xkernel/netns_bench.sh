# netns_bench.sh - what every TAP benchmark here shares (synflood.sh,
# zerowin.sh, slowread.sh, lossy.sh), as tests/tap/tap.sh and
# tests/xkernel/netns.sh are for the tests.
#   . bench/xkernel/netns_bench.sh
#   xk_bench_netns NAME.sh [TOOL...]  # netns.sh's namespace, each TOOL on PATH
# or, for lossy.sh on impair.sh's link:
#   XK_BENCH_NAME=NAME.sh; need_tool python3   # not on PATH: one line, status 1
# xk_bench_netns names the script in messages, checks its tools, sets PEER (our stack's TAP peer, tests/xkernel/tcp_interop_test
# under BUILD) and TMP (a scratch folder), starts the namespace and its TAP
# device, and removes both on exit.

# netns.sh's and impair.sh's skips and their need_tool end a benchmark with
# one line and status 1: a benchmark cannot pass by not running.
skip_all() { echo "${XK_BENCH_NAME:-$0}: cannot run: $*" >&2; exit 1; }

need_tool() { # need_tool COMMAND...: each on PATH, or skip_all naming it
	local c
	for c in "$@"; do
		command -v "$c" >/dev/null || skip_all "$c is not installed (make deps installs it)"
	done
}

xk_bench_netns() {
	XK_BENCH_NAME=$1
	shift
	need_tool "$@"
	PEER=$BUILD/tests/xkernel/tcp_interop_test
	[ -x "$PEER" ] || { echo "$XK_BENCH_NAME: no $PEER (make first)" >&2; exit 1; }
	. tests/xkernel/netns.sh
	xk_netns_start
	TMP=$(mktemp -d "/tmp/${XK_BENCH_NAME%.sh}.XXXXXX")
	trap 'rm -rf "$TMP"; xk_netns_cleanup' EXIT
}
