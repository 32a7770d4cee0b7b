#!/usr/bin/env bash
# tapimpair.t - the impaired link between two TAP devices (tapimpair, set up
# by impair.sh): Linux pings across it clean, through 100% loss (nothing
# arrives), 100% duplication (every reply twice) and 100% reordering with a
# 50 ms hold-back (every round trip that much slower), and the summary counts
# what it did. A bad command line and a missing device are refused.
set -u
. tests/tap/tap.sh
BUILD=${BUILD:-build}
. tests/xkernel/impair.sh
need "$BUILD/bin/tapimpair"
plan 7

"$BUILD/bin/tapimpair" -d 101 a b >/dev/null 2>"${TMPDIR:-/tmp}/imp.err.$$"
is "$?/$(wc -l <"${TMPDIR:-/tmp}/imp.err.$$")" "2/1" "-d 101: refused with one line, status 2"
"$BUILD/bin/tapimpair" xk-no-such-tap0 xk-no-such-tap1 >/dev/null 2>"${TMPDIR:-/tmp}/imp.err.$$"
is "$?" 1 "a TAP device that does not exist: an error, not a new device"
rm -f "${TMPDIR:-/tmp}/imp.err.$$"

xk_impair_start
pings() { # COUNT: ping's summary lines across the link
	ip netns exec "$XK_NSR" ping -c "$1" -i 0.05 -W 1 "$XK_LEFT_IP" 2>&1 | tail -2
}
xk_impair_link 0 0 0 1
ok "clean: Linux pings across" xk_impair_wait
xk_impair_link 100 0 0 1
res=$(pings 5)
ok "-d 100: no reply comes back" grep -q " 0 received" <<<"$res" || diag "$res"
xk_impair_link 0 100 0 1
res=$(pings 5)
dups=$(sed -n 's/.*+\([0-9]*\) duplicates.*/\1/p' <<<"$res")
ok "-u 100: every frame goes twice (ping counts 5 or more duplicate replies)" test "${dups:-0}" -ge 5 || diag "$res"
xk_impair_link 0 0 100 1 50000
res=$(pings 5)
min=$(sed -n 's|.*= \([0-9.]*\)/.*|\1|p' <<<"$res")
ok "-r 100 -D 50000: each way held 50 ms, the fastest round trip takes 100 ms or more" \
	awk "BEGIN { exit !(${min:-0} >= 100) }" || diag "$res"
xk_impair_stop
# "tapimpair: A->B: F frames, 0 dropped, 0 duplicated, D delayed, ...": D = F >= 5 both ways
all_delayed() {
	awk '/frames/ { n++; if ($3 != $9 || $3 < 5) bad = 1 } END { exit bad || n != 2 }' "$XK_IMPAIR_LOG"
}
ok "the summary: with -r 100 every frame delayed, 5 or more each way" all_delayed ||
	diag "$(cat "$XK_IMPAIR_LOG")"
done_testing
