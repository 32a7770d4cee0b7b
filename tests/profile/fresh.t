#!/bin/bash
# fresh.t - the checked-in profiles are today's: training again on today's
# sources gives the same file, byte for byte. Every variant and the plugin's
# tests build from these profiles; one made from older sources names lines
# that moved, and the plugin then builds on wrong counts (its fdo pass warns,
# -Werror stops the build). The fix the failure names: run the script again.
#   BUILD=build tests/profile/fresh.t
cd "$(dirname "$0")/../.." || exit 1
. tests/tap/tap.sh
BUILD=${BUILD:-build}
export BUILD
need "$BUILD/bin/olayout"

T=$(mktemp -d) || bail_out "mktemp failed"
trap 'rm -rf "$T"' EXIT

plan 2
for app in tcpping rpcping; do
	prof=profiles/$app.prof
	profiles/$app.sh >"$T/$app.prof" 2>"$T/$app.err" ||
		bail_out "profiles/$app.sh failed: $(tail -1 "$T/$app.err")"
	ok "$prof is today's (else: profiles/$app.sh >$prof)" cmp -s "$T/$app.prof" "$prof"
done
done_testing
