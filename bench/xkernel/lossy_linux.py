#!/usr/bin/env python3
"""lossy_linux.py - Linux's side of bench/xkernel/lossy.sh, doing what
tcpecho and tcpsend do with kernel sockets.

  lossy_linux.py serve PORT_ECHO PORT_SINK
      echo every connection on PORT_ECHO, discard on PORT_SINK, many at once
  lossy_linux.py send HOST PORT CONNS BYTES (echo|sink) [SEED]
      CONNS connections at once, each sending BYTES seeded bytes, shutting its
      sending down, reading to the end (checking the echo); prints
      "linux: CONNS x BYTES ... in S s" and exits 0 only if all came back intact
"""
import random
import socket
import socketserver
import sys
import threading
import time


def serve(echo_port, sink_port):
    class Echo(socketserver.BaseRequestHandler):
        def handle(self):
            while True:
                b = self.request.recv(65536)
                if not b:
                    break
                self.request.sendall(b)

    class Sink(socketserver.BaseRequestHandler):
        def handle(self):
            while self.request.recv(65536):
                pass

    class Server(socketserver.ThreadingTCPServer):
        allow_reuse_address = True
        daemon_threads = True
        # socketserver's listen backlog is 5: with more connections opened at
        # once Linux answers SYNs with SYN cookies, which carry no SACK for a
        # peer without timestamps (ours) and reset a connection whose first
        # segment after the handshake is lost or overtaken (the cookie is
        # checked against seq - 1 of whichever segment comes first).
        request_queue_size = 128

    servers = [Server(("0.0.0.0", p), h)
               for p, h in ((echo_port, Echo), (sink_port, Sink))]
    threads = [threading.Thread(target=s.serve_forever, daemon=True) for s in servers]
    for t in threads:
        t.start()
    threading.Event().wait()


def send(host, port, conns, size, mode, seed):
    data = random.Random(seed).randbytes(size)
    bad = []

    def one(i):
        s = socket.create_connection((host, port), timeout=120)
        got = bytearray()

        def writer():
            s.sendall(data)
            s.shutdown(socket.SHUT_WR)
        w = threading.Thread(target=writer)
        w.start()
        while True:
            b = s.recv(65536)
            if not b:
                break
            got += b
        w.join()
        s.close()
        if got != (data if mode == "echo" else b""):
            bad.append(i)

    start = time.monotonic()
    ts = [threading.Thread(target=one, args=(i,)) for i in range(conns)]
    for t in ts:
        t.start()
    for t in ts:
        t.join()
    secs = time.monotonic() - start
    print("linux: %d x %d bytes%s, %d of %d intact, in %.3f s" %
          (conns, size, " and back" if mode == "echo" else " (sink)", conns - len(bad), conns, secs))
    return 1 if bad else 0


if __name__ == "__main__":
    if len(sys.argv) == 4 and sys.argv[1] == "serve":
        serve(int(sys.argv[2]), int(sys.argv[3]))
    elif len(sys.argv) in (7, 8) and sys.argv[1] == "send":
        sys.exit(send(sys.argv[2], int(sys.argv[3]), int(sys.argv[4]), int(sys.argv[5]), sys.argv[6],
                      int(sys.argv[7]) if len(sys.argv) == 8 else 1))
    else:
        sys.exit(__doc__)
