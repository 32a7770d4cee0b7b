#!/usr/bin/env bash
# tcptools.t - tcpsend and tcpecho, the TCP programs a user runs: on the
# in-process wire (tcpsend's peer is tcpecho's server; deterministic, with a
# seeded lossy wire), on the IPC wire (each host a domain: threads, processes,
# a seeded lossy one), then over TAP against Linux in a namespace: Linux's
# client through tcpecho (echo and sink), tcpsend to Linux's echo server.
set -u
. tests/tap/tap.sh
. tests/xkernel/netns.sh
BUILD=${BUILD:-build}
need "$BUILD"/bin/{tcpsend,tcpecho}
T=$(mktemp -d)
trap 'rm -rf "$T"; xk_netns_cleanup' EXIT

plan 14

# tcpsend's own line: "N of N intact", its exit status 0 (in the namespace once there is one)
sends_ok() { # sends_ok WANT_CONNS ARGS...
	local n=$1
	shift
	${XK_NETNS:+ip netns exec "$XK_NETNS"} "$BUILD/bin/tcpsend" "$@" >"$T/out" 2>&1 &&
		grep -q " $n of $n intact" "$T/out"
}

ok "wire: 5 connections x 300 kB echoed intact" sends_ok 5 -P 5 -b 300000 || diag "$(cat "$T/out")"
# ten SYNs at once while ARP resolves: IP held 8 and dropped the rest, which waited out a 1 s timeout
ok "wire: 20 connections opened at once before ARP answers: no SYN lost (timeouts 0)" eval \
	'sends_ok 20 -P 20 -b 100000 -s && grep -q "timeouts 0," "$T/out"' || diag "$(cat "$T/out")"
ok "wire: 8 connections through 5% loss, 5% dup, 25% reordering, echoed intact" \
	sends_ok 8 -P 8 -b 100000 -i 5,5,25 -S 7 || diag "$(cat "$T/out")"
head -c 70000 /dev/urandom >"$T/file"
ok "wire: a file to a sink, 3 connections" sends_ok 3 -P 3 -s -f "$T/file" || diag "$(cat "$T/out")"
ok "IPC wire, threads: 3 connections x 200 kB echoed intact" eval \
	'sends_ok 3 -w thread -P 3 -b 200000 && grep -q "(IPC wire, threads)" "$T/out"' || diag "$(cat "$T/out")"
ok "IPC wire, processes: 4 connections x 200 kB echoed intact" eval \
	'sends_ok 4 -w process -P 4 -b 200000 && grep -q "(IPC wire, processes)" "$T/out"' || diag "$(cat "$T/out")"
ok "IPC wire, processes: 2 connections through 5% loss, 5% dup, 5% reordering, echoed intact" eval \
	'sends_ok 2 -w process -P 2 -b 100000 -i 5,5,5 -S 7 && grep -q "(IPC wire, processes)" "$T/out"' ||
	diag "$(cat "$T/out")"
ok "IPC wire: a connection that cannot finish in time (-T 0) fails with status 1" eval \
	'"$BUILD/bin/tcpsend" -w process -T 0 >"$T/out" 2>&1; [ $? = 1 ] && grep -q " 0 of 1 intact" "$T/out"'
bad_line() { # bad_line ARGS...: refused with one line on stderr, status 2
	"$BUILD/bin/tcpsend" "$@" >/dev/null 2>"$T/err"
	[ $? = 2 ] && [ "$(wc -l <"$T/err")" = 1 ]
}
ok "bad command lines (-c without -t, -w bogus, -w with -t) are refused with one line, status 2" eval \
	'bad_line -c 10.0.0.2:5001 && bad_line -w bogus && bad_line -w thread -t xk0 -c 10.0.0.2:5001'

need_tool python3
xk_netns_start

ip netns exec "$XK_NETNS" "$BUILD/bin/tcpecho" -t "$XK_TAP" -a "$XK_STACK_IP" -T 60 >"$T/echo.log" 2>&1 &
echo_pid=$!
xk_netns_wait_stack || bail_out "tcpecho does not answer on $XK_STACK_IP"
linux_client='
import socket, sys, threading
host, n, size, sink = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), sys.argv[4] == "sink"
bad = []
def one(i):
    data = bytes((i * 31 + k * 7 + k // 251) % 256 for k in range(size))
    s = socket.create_connection((host, 5001), timeout=30)
    t = threading.Thread(target=s.sendall, args=(data,)); t.start()
    got = bytearray()
    if sink:
        t.join(); s.shutdown(socket.SHUT_WR)
    while True:
        if not sink and len(got) >= size and t.is_alive() is False:
            s.shutdown(socket.SHUT_WR)
        b = s.recv(65536)
        if not b: break
        got += b
    t.join()
    if got != (b"" if sink else data): bad.append(i)
ts = [threading.Thread(target=one, args=(i,)) for i in range(n)]
[t.start() for t in ts]; [t.join() for t in ts]
sys.exit("bad connections: %s" % bad if bad else 0)
'
ok "TAP: 10 Linux connections x 500 kB through tcpecho, echoed intact" \
	timeout 60 ip netns exec "$XK_NETNS" python3 -c "$linux_client" "$XK_STACK_IP" 10 500000 echo
kill -TERM $echo_pid
wait $echo_pid
is "$?" 0 "tcpecho: exits 0 at SIGTERM"
ok "tcpecho: its summary counts the 10 connections, all finished" grep -q "10 connections, 10 finished" "$T/echo.log" ||
	diag "$(cat "$T/echo.log")"

ip netns exec "$XK_NETNS" python3 -c '
import socketserver, sys
class H(socketserver.BaseRequestHandler):
    def handle(self):
        while True:
            b = self.request.recv(65536)
            if not b: break
            self.request.sendall(b)
socketserver.ThreadingTCPServer.allow_reuse_address = True
socketserver.ThreadingTCPServer(("0.0.0.0", 5002), H).serve_forever()' &
for _ in $(seq 50); do ip netns exec "$XK_NETNS" ss -ltn | grep -q :5002 && break; sleep 0.1; done
ok "TAP: tcpsend, 4 connections x 1 MB to Linux's echo server, intact" \
	sends_ok 4 -t "$XK_TAP" -a "$XK_STACK_IP" -c "$XK_LINUX_IP:5002" -P 4 -T 60 || diag "$(cat "$T/out")"
ok "TAP: tcpsend to a port nobody listens on fails" \
	eval '! ip netns exec "$XK_NETNS" "$BUILD/bin/tcpsend" -t "$XK_TAP" -a "$XK_STACK_IP" -c "$XK_LINUX_IP:5999" -T 5 >/dev/null 2>&1'
done_testing
