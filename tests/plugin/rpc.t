#!/usr/bin/env bash
# rpc.t - issue #11: the RPC suite's own tests pass on the plugin's builds
# of the stack, as tcp_stream_test does in xkernel.t: profiles/xk_build.sh
# (SUITE=rpc) compiles the stack, the RPC suite and the test with -flto and
# the plugin reading profiles/rpcping.prof, in OUT, PIN and ALL. lossy_test
# (100000 calls with 10% loss, duplication and reordering: at most once,
# each reply its own call's) on each; blast_test (64 KiB in fragments, 5%
# loss, only missing fragments resent) on ALL, whose inlined rpc_call path
# sends one fragment a run.
. tests/plugin/lib.sh

# passes VARIANT TEST: TEST built in VARIANT by xk_build.sh runs, exit 0
passes() {
	local dir=$WORK/$1.$2 log=$WORK/$1.$2.log
	if ! SUITE=rpc BUILD=$BUILD PROFILE=profiles/rpcping.prof MAIN=tests/rpc/$2.c \
		EXTRA=tests/tap/tap.c CC=$CC profiles/xk_build.sh "$1" "$dir" >"$log" 2>&1; then
		diag "build: $(tail -5 "$log")"
		return 1
	fi
	timeout 300 "$dir/$2" >"$log" 2>&1 && return 0
	diag "$(grep -m 5 -e '^not ok' -e '^#' "$log")"
	return 1
}

plan 4
for v in OUT PIN ALL; do
	ok "$v: tests/rpc/lossy_test passes on the plugin's stack" passes "$v" lossy_test
done
ok "ALL: tests/rpc/blast_test passes on the plugin's stack" passes ALL blast_test
done_testing
