#!/usr/bin/env bash
# netns_tools.t - netns.sh and impair.sh call need_tool and skip_all, which
# their caller defines: tests/tap/tap.sh in a test, bench/xkernel/netns_bench.sh
# in a benchmark. With `ip` (iproute2) off PATH, each TAP benchmark stops
# with one line naming it and status 1, and a test sourcing either library
# fails naming it: no "command not found" and no run past the check. Needs
# neither root nor namespaces (the tool is checked first).
set -u
. tests/tap/tap.sh
BUILD=${BUILD:-build}
need "$BUILD/tests/xkernel/tcp_interop_test" "$BUILD/bin/tcpsend" "$BUILD/bin/tapimpair"
need_tool python3 ip
T=$(mktemp -d /tmp/netns_tools.XXXXXX)
trap 'rm -rf "$T"' EXIT
# PATH without ip: only what the scripts run before their check
mkdir "$T/bin"
for c in dirname python3 nstat; do
	ln -s "$(command -v "$c")" "$T/bin/$c" || bail_out "cannot link $c into $T/bin"
done
plan 6

bench() { # bench SCRIPT: its status and stderr, with ip off PATH
	PATH=$T/bin BUILD=$BUILD "$BASH" "bench/xkernel/$1" >/dev/null 2>"$T/err"
	echo "$?: $(cat "$T/err")"
}
for b in synflood.sh zerowin.sh slowread.sh lossy.sh; do
	is "$(bench $b)" "1: $b: cannot run: ip is not installed (make deps installs it)" \
		"$b without ip: one line naming it, status 1"
done

test_side() { # test_side LIBRARY START: a test's TAP output, with ip off PATH
	PATH=$T/bin "$BASH" -c ". tests/tap/tap.sh; . tests/xkernel/$1; $2; echo reached" >"$T/out" 2>&1
	echo "$?: $(cat "$T/out")"
}
want="1: 1..1
not ok 1 - ip is installed (make deps installs it)"
is "$(test_side netns.sh xk_netns_start)" "$want" "a test on netns.sh without ip: fails naming it"
is "$(test_side impair.sh xk_impair_start)" "$want" "a test on impair.sh without ip: fails naming it"

done_testing
