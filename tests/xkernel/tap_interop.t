#!/usr/bin/env bash
# tap_interop.t - our stack on a TAP device against Linux, in a namespace:
# Linux's ping gets echo replies, Linux UDP sockets exchange datagrams with
# us both ways, and our ICMP ping gets Linux's replies.
set -u
. tests/tap/tap.sh
. tests/xkernel/netns.sh
BUILD=${BUILD:-build}
need "$BUILD"/bin/{xkhost,icmpping}
need_tool python3
xk_netns_start

plan 10

out=$(mktemp)
trap 'rm -f "$out"; xk_netns_cleanup' EXIT
ip netns exec "$XK_NETNS" "$BUILD/bin/xkhost" -t "$XK_TAP" -a "$XK_STACK_IP" -u 7 -T 30 >"$out" 2>&1 &
host=$!
ok "our stack answers on $XK_STACK_IP" xk_netns_wait_stack

res=$(xk_netns_exec ping -c 5 -i 0.2 -W 2 -s 1000 "$XK_STACK_IP" 2>&1)
diag "$(echo "$res" | tail -3)"
ok "Linux ping: 5 of 5 echo replies (1000-byte payload)" grep -q " 5 received" <<<"$res"

res=$(xk_netns_exec ping -c 2 -i 0.2 -W 2 -s 4000 "$XK_STACK_IP" 2>&1)
ok "Linux ping: 4000-byte payload, fragmented both ways, answered" grep -q " 2 received" <<<"$res"

udp_client='
import socket, sys
s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
s.settimeout(2)
bad = 0
for i, size in enumerate([1, 100, 1472, 3000, 8000]):
    data = bytes((i * 7 + k) % 256 for k in range(size))
    s.sendto(data, (sys.argv[1], 7))
    got, _ = s.recvfrom(65535)
    bad += got != data
print("bad", bad)
sys.exit(1 if bad else 0)
'
res=$(xk_netns_exec python3 -c "$udp_client" "$XK_STACK_IP" 2>&1)
rc=$?
diag "$res"
is $rc 0 "Linux UDP socket -> our echo on port 7: 5 datagrams (1..8000 bytes) come back identical"

kill -TERM $host
wait $host
is $? 0 "our host exits cleanly on SIGTERM"
diag "$(cat "$out")"
ok "it counted the 5 datagrams it echoed" grep -q "5 UDP datagrams echoed" "$out"

res=$(xk_netns_exec "$BUILD/bin/xkhost" -t xktypo -T 1 2>&1)
rc=$?
ok "xkhost -t on a TAP name that does not exist: exit 1, one line (got $rc: $res)" eval \
	'[ $rc = 1 ] && [ "$(echo "$res" | wc -l)" = 1 ] && grep -q "xktypo: no such TAP device" <<<"$res"'
res=$(xk_netns_exec "$BUILD/bin/xkhost" -t xktypo -C -T 1 2>&1)
ok "xkhost -t xktypo -C makes the device and serves on it (got $?)" grep -q "xkhost: served" <<<"$res"

udp_server='
import socket, sys
s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
s.bind((sys.argv[1], 9000))
s.settimeout(10)
for _ in range(20):
    data, peer = s.recvfrom(65535)
    s.sendto(data, peer)
'
ip netns exec "$XK_NETNS" python3 -c "$udp_server" "$XK_LINUX_IP" &
for _ in $(seq 100); do	# until the server is bound
	xk_netns_exec ss -Hlun 2>/dev/null | grep -q ":9000 " && break
	sleep 0.1
done
res=$(xk_netns_exec "$BUILD/bin/xkhost" -t "$XK_TAP" -a "$XK_STACK_IP" -c "$XK_LINUX_IP:9000" -k 20 2>&1)
rc=$?
diag "$res"
is $rc 0 "our UDP -> Linux echo server: 20 of 20 datagrams echoed intact"

res=$(xk_netns_exec "$BUILD/bin/icmpping" -t "$XK_TAP" -p "$XK_LINUX_IP" -n 200 -s 2 2>&1)
rc=$?
diag "$res"
ok "our ICMP ping -> Linux: 2 x 200 echo replies" eval '[[ $rc == 0 ]] && grep -q "round trip" <<<"$res"'
done_testing
