#!/usr/bin/env bash
# tcp_lossy_tap.t - our TCP against Linux's through tapimpair (issue 17
# item 4; impair.sh's two namespaces, the link bench/xkernel/lossy.sh
# measures): 5% of frames lost, 5% duplicated, 25% held back 1 ms
# (reordered), seeded. Our client (tcpsend) sends 2 x 300 kB to Linux's echo
# server and checks the echo; Linux's client (lossy_linux.py) sends 2 x 300 kB
# to our server (tcpecho) and checks its echo. Checked: every byte back
# intact both ways, within 25 s each; our sender repaired losses with fast
# retransmits; tapimpair dropped, duplicated and delayed frames each way.
# Skips with the reason without root, /dev/net/tun or namespaces.
set -u
. tests/tap/tap.sh
. tests/xkernel/impair.sh
BUILD=${BUILD:-build}
LINUX=bench/xkernel/lossy_linux.py
SEED=17
need "$BUILD/bin/tcpsend" "$BUILD/bin/tcpecho" "$BUILD/bin/tapimpair"
need_tool python3
xk_impair_start
xk_impair_link 5 5 25 $SEED 1000
xk_impair_wait || bail_out "no ping across tapimpair"
T=$(mktemp -d /tmp/tcp_lossy_tap.XXXXXX)
trap 'rm -rf "$T" "$XK_IMPAIR_LOG"; xk_impair_cleanup' EXIT
plan 5

# 1-2. Our client, Linux's echo server.
ip netns exec "$XK_NSL" python3 "$LINUX" serve 5001 5002 >"$T/linux_serve.log" 2>&1 &
for _ in $(seq 100); do
	ip netns exec "$XK_NSL" ss -Hltn "( sport = :5001 )" | grep -q . && break
	sleep 0.1
done
ok "our client: 2 x 300 kB to Linux's echo server through the lossy link, echoed intact" \
	eval 'ip netns exec "$XK_NSR" "$BUILD/bin/tcpsend" -t "$XK_STACK_TAP" -a "$XK_STACK_IP" \
		-c "$XK_LEFT_IP:5001" -P 2 -b 300000 -S $SEED -T 25 >"$T/ours.log" 2>&1 &&
		grep -q " 2 of 2 intact" "$T/ours.log"'
diag "$(cat "$T/ours.log")"
rexmits=$(sed -n 's/.*fast retransmits \([0-9]*\).*/\1/p' "$T/ours.log")
ok "our sender repaired losses by fast retransmit (${rexmits:-none})" test "${rexmits:-0}" -ge 1

# 3. Linux's client, our echo server.
ip netns exec "$XK_NSR" "$BUILD/bin/tcpecho" -t "$XK_STACK_TAP" -a "$XK_STACK_IP" -l 5003 -T 40 \
	>"$T/echo.log" 2>&1 &
echo_pid=$!
ok "Linux's client: 2 x 300 kB through the lossy link to our echo server, echoed intact" \
	eval 'timeout 25 ip netns exec "$XK_NSL" python3 "$LINUX" send "$XK_STACK_IP" 5003 2 300000 echo $SEED \
		>"$T/linux.log" 2>&1'
diag "$(cat "$T/linux.log")"
kill "$echo_pid" 2>/dev/null
wait "$echo_pid" 2>/dev/null
diag "$(cat "$T/echo.log")"

# 4-5. The link did impair: "tapimpair: A->B: F frames, D dropped, U duplicated, R delayed, ..."
xk_impair_stop
diag "$(cat "$XK_IMPAIR_LOG")"
impaired() { # impaired DIRECTION: dropped, duplicated and delayed frames all > 0
	awk -v d="$1:" '$2 == d && $5 > 0 && $7 > 0 && $9 > 0 { hit = 1 } END { exit !hit }' "$XK_IMPAIR_LOG"
}
ok "tapimpair dropped, duplicated and delayed frames towards Linux" impaired "A->B"
ok "tapimpair dropped, duplicated and delayed frames towards our stack" impaired "B->A"
done_testing
