#!/usr/bin/env python3
"""A SYN flood from spoofed sources, and a legitimate connection in the
middle of it (tcp_synflood_tap.t, bench/xkernel/synflood.sh). Run as root
inside the test's network namespace.

    tcp_synflood.py [--syns N] [--rate PER_SEC] [--seed S] DST_IP PORT

Sends N SYNs (raw IP, seeded) to DST_IP:PORT from 10.77.0.3-254 (addresses
nobody answers ARP for) and, when half are out, connects to DST_IP:PORT for
real, sends 1000 bytes and reads the server's 1000, then after the flood
shuts down and reads to EOF. A connection reset before the server's bytes
came is tried again, up to 3 attempts: without SYN cookies, a burst of more
SYNs than the server's backlog between ours and our ACK evicts our
half-open connection (our stack before them, or with them off).
Prints "legit: connected at attempt A in T s, sent 1000, received N" or
"legit: failed (REASON)", and exits 0 only if the legitimate connection got
through.
"""
import os
import random
import socket
import struct
import sys
import threading
import time

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "lib", "py"))
from ol_args import ArgumentParser  # noqa: E402


def csum(b):
    if len(b) % 2:
        b += b"\0"
    s = sum(struct.unpack("!%dH" % (len(b) // 2), b))
    while s >> 16:
        s = (s & 0xFFFF) + (s >> 16)
    return ~s & 0xFFFF


def syn(src, dst, sport, dport, seq):
    opts = struct.pack("!BBH", 2, 4, 1460)	# MSS
    tcp = struct.pack("!HHIIBBHHH", sport, dport, seq, 0, 6 << 4, 0x02, 65535, 0, 0) + opts
    ph = socket.inet_aton(src) + socket.inet_aton(dst) + struct.pack("!BBH", 0, 6, len(tcp))
    tcp = tcp[:16] + struct.pack("!H", csum(ph + tcp)) + tcp[18:]
    ip = struct.pack("!BBHHHBBH4s4s", 0x45, 0, 20 + len(tcp), 0, 0, 64, 6, 0,
                     socket.inet_aton(src), socket.inet_aton(dst))
    return ip + tcp


class Legit(threading.Thread):
    """The legitimate client: connect, send, wait for the flood's end, read to EOF."""

    def __init__(self, dst, port, flood_done):
        super().__init__()
        self.dst, self.port, self.flood_done = dst, port, flood_done
        self.result = "legit: failed (did not run)"
        self.ok = False

    def attempt(self):
        """A connection that got the server's first 1000 bytes, or OSError."""
        c = socket.create_connection((self.dst, self.port), timeout=10)
        try:
            c.sendall(bytes(1000))
            got = 0
            while got < 1000:
                b = c.recv(1000 - got)
                if not b:
                    raise OSError("EOF after %d bytes" % got)
                got += len(b)
            return c
        except OSError:
            c.close()
            raise

    def run(self):
        t0 = time.monotonic()
        for n in range(1, 4):
            try:
                c = self.attempt()
                break
            except ConnectionResetError as e:
                self.result = "legit: failed (%s, %d attempts)" % (e, n)
            except OSError as e:
                self.result = "legit: failed (%s)" % e
                return
        else:
            return
        took = time.monotonic() - t0
        try:
            self.flood_done.wait(60)
            c.shutdown(socket.SHUT_WR)
            got = 1000
            while True:
                b = c.recv(65536)
                if not b:
                    break
                got += len(b)
            c.close()
            self.result = "legit: connected at attempt %d in %.3f s, sent 1000, received %d" % (n, took, got)
            self.ok = True
        except OSError as e:
            self.result = "legit: failed after connecting (%s)" % e


def main():
    ap = ArgumentParser(description="SYN flood from spoofed sources, with a legitimate connection")
    ap.add_argument("--syns", type=int, default=10000)
    ap.add_argument("--rate", type=float, default=5000, help="SYNs per second")
    ap.add_argument("--seed", type=int, default=1717)
    ap.add_argument("dst")
    ap.add_argument("port", type=int)
    a = ap.parse_args()
    r = random.Random(a.seed)
    raw = socket.socket(socket.AF_INET, socket.SOCK_RAW, socket.IPPROTO_RAW)
    done = threading.Event()
    legit = Legit(a.dst, a.port, done)
    t0 = time.monotonic()
    for i in range(a.syns):
        if i == a.syns // 2:
            legit.start()
        src = "10.77.0.%d" % (3 + i % 252)
        raw.sendto(syn(src, a.dst, 1024 + i // 252, a.port, r.getrandbits(32)), (a.dst, 0))
        ahead = t0 + (i + 1) / a.rate - time.monotonic()
        if ahead > 0:
            time.sleep(ahead)
    print("flood: %d SYNs in %.2f s" % (a.syns, time.monotonic() - t0), flush=True)
    done.set()
    if legit.is_alive() or legit.ident:
        legit.join()
    print(legit.result, flush=True)
    raise SystemExit(0 if legit.ok else 1)


if __name__ == "__main__":
    main()
