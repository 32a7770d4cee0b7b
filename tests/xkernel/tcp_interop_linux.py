#!/usr/bin/env python3
"""Linux's side of the TCP interop test (tcp_interop.sh): one TCP connection
through the Linux stack that sends a file and writes what it receives.

    tcp_interop_linux.py connect|listen HOST PORT SEND_FILE OUT_FILE [READY_FILE]

connect retries for a few seconds until the x-kernel's server listens;
listen creates READY_FILE once it listens. Both send SEND_FILE, shut down
their sending side, read to EOF, and write OUT_FILE through a rename.
"""
import os
import socket
import sys
import threading
import time


def open_conn(mode, host, port, ready):
    if mode == "connect":
        deadline = time.time() + 20
        while True:
            try:
                return socket.create_connection((host, port), timeout=60)
            except OSError:
                if time.time() > deadline:
                    raise
                time.sleep(0.2)
    lsock = socket.socket()
    lsock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    lsock.bind((host, port))
    lsock.listen(1)
    lsock.settimeout(60)
    open(ready, "w").close()
    conn, _ = lsock.accept()
    lsock.close()
    return conn


def main():
    if len(sys.argv) not in (6, 7) or sys.argv[1] not in ("connect", "listen"):
        sys.exit("usage: tcp_interop_linux.py connect|listen HOST PORT SEND OUT [READY]")
    mode, host, port, send, out = sys.argv[1:6]
    ready = sys.argv[6] if len(sys.argv) == 7 else out + ".ready"
    with open(send, "rb") as f:
        data = f.read()
    conn = open_conn(mode, host, int(port), ready)
    conn.settimeout(60)

    def sender():
        conn.sendall(data)
        conn.shutdown(socket.SHUT_WR)

    t = threading.Thread(target=sender)
    t.start()
    chunks = []
    while True:
        b = conn.recv(65536)
        if not b:
            break
        chunks.append(b)
    t.join()
    conn.close()
    with open(out + ".tmp", "wb") as f:
        f.write(b"".join(chunks))
    os.rename(out + ".tmp", out)


if __name__ == "__main__":
    main()
