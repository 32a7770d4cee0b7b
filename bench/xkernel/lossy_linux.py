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
import os
import random
import socket
import socketserver
import sys
import threading
import time

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "lib", "py"))
from ol_args import ArgumentParser  # noqa: E402


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


def main():
    ap = ArgumentParser(description=__doc__.splitlines()[0])
    sub = ap.add_subparsers(dest="cmd", required=True, metavar="serve|send")
    sv = sub.add_parser("serve", help="echo on PORT_ECHO, discard on PORT_SINK")
    sv.add_argument("echo_port", type=int, metavar="PORT_ECHO")
    sv.add_argument("sink_port", type=int, metavar="PORT_SINK")
    sd = sub.add_parser("send", help="CONNS connections at once, each sending BYTES")
    sd.add_argument("host", metavar="HOST")
    for name in ("PORT", "CONNS", "BYTES"):
        sd.add_argument(name.lower(), type=int, metavar=name)
    sd.add_argument("mode", choices=("echo", "sink"))
    sd.add_argument("seed", type=int, nargs="?", default=1, metavar="SEED")
    a = ap.parse_args()
    if a.cmd == "serve":
        return serve(a.echo_port, a.sink_port)
    return send(a.host, a.port, a.conns, a.bytes, a.mode, a.seed)


if __name__ == "__main__":
    sys.exit(main())
