#!/usr/bin/env python3
"""Linux's side of the TCP interop test (tcp_interop.sh): one TCP connection
through the Linux stack that sends a file and writes what it receives.

    tcp_interop_linux.py [--pause SEC] [--rcvbuf BYTES] connect|listen HOST PORT SEND_FILE OUT_FILE [READY_FILE]

connect retries for a few seconds until the x-kernel's server listens;
listen creates READY_FILE once it listens. Both send SEND_FILE, shut down
their sending side, read to EOF, and write OUT_FILE through a rename.
--pause makes a slow reader: nothing is read for SEC seconds after the
connection opens (with a small --rcvbuf the window closes to zero) while
SEND_FILE goes in 20 pieces spread over the pause; then "drain D" on
stdout says how many seconds the rest took to arrive.
"""
import os
import socket
import sys
import threading
import time

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "lib", "py"))
from ol_args import ArgumentParser  # noqa: E402


def new_socket(rcvbuf):
    s = socket.socket()
    if rcvbuf:	# before connect/listen: the window scale follows the buffer
        s.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, rcvbuf)
    return s


def open_conn(mode, host, port, ready, rcvbuf):
    if mode == "connect":
        deadline = time.time() + 20
        while True:
            s = new_socket(rcvbuf)
            s.settimeout(60)
            try:
                s.connect((host, port))
                return s
            except OSError:
                s.close()
                if time.time() > deadline:
                    raise
                time.sleep(0.2)
    lsock = new_socket(rcvbuf)
    lsock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    lsock.bind((host, port))
    lsock.listen(1)
    lsock.settimeout(60)
    open(ready, "w").close()
    conn, _ = lsock.accept()
    lsock.close()
    return conn


def parse():
    ap = ArgumentParser(description="Linux's end of a TCP interop connection")
    ap.add_argument("--pause", type=float, default=0, help="read nothing for SEC seconds")
    ap.add_argument("--rcvbuf", type=int, default=0, help="SO_RCVBUF in bytes")
    ap.add_argument("mode", choices=("connect", "listen"))
    ap.add_argument("host")
    ap.add_argument("port", type=int)
    ap.add_argument("send")
    ap.add_argument("out")
    ap.add_argument("ready", nargs="?")
    return ap.parse_args()


def main():
    a = parse()
    out = a.out
    with open(a.send, "rb") as f:
        data = f.read()
    conn = open_conn(a.mode, a.host, a.port, a.ready or out + ".ready", a.rcvbuf)
    conn.settimeout(60)

    def sender():
        # a slow reader sends through its pause: our ACKs must go while its window is zero
        pieces = 20 if a.pause else 1
        step = -(-len(data) // pieces)
        for i in range(0, len(data), step):
            conn.sendall(data[i:i + step])
            time.sleep(a.pause / pieces)
        conn.shutdown(socket.SHUT_WR)

    t = threading.Thread(target=sender)
    t.start()
    time.sleep(a.pause)
    start = time.monotonic()
    chunks = []
    while True:
        b = conn.recv(65536)
        if not b:
            break
        chunks.append(b)
    if a.pause:
        print("drain %.3f" % (time.monotonic() - start), flush=True)
    t.join()
    conn.close()
    with open(out + ".tmp", "wb") as f:
        f.write(b"".join(chunks))
    os.rename(out + ".tmp", out)


if __name__ == "__main__":
    main()
