#!/usr/bin/env python3
"""arpcount.py - count the ARP requests that arrive on a network interface
(bench/xkernel/synflood.sh: those our stack sends during a SYN flood).
Run as root, in the interface's namespace.

    arpcount.py IFACE READY_FILE

Creates READY_FILE once it listens, counts until SIGTERM or SIGINT, then
prints "arp: N requests received in T s (first to last); per second: C1 C2 ..."
(whole seconds from the first request on).
"""
import os
import signal
import socket
import struct
import sys
import time

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "lib", "py"))
from ol_args import ArgumentParser  # noqa: E402

ETH_P_ARP = 0x0806
PACKET_OUTGOING = 4	# Linux's own frames, seen on its way out
ARP_REQUEST = 1


def stop(signum, frame):
    raise KeyboardInterrupt


def count(sock):
    """Arrival times of the ARP requests until a signal stops it."""
    times = []
    try:
        while True:
            frame, addr = sock.recvfrom(2048)
            if addr[2] != PACKET_OUTGOING and len(frame) >= 22 and \
                    struct.unpack("!H", frame[20:22])[0] == ARP_REQUEST:
                times.append(time.monotonic())
    except KeyboardInterrupt:
        return times


def report(times):
    if not times:
        return "arp: 0 requests received"
    per = [0] * (int(times[-1] - times[0]) + 1)
    for t in times:
        per[int(t - times[0])] += 1
    return "arp: %d requests received in %.2f s (first to last); per second: %s" % (
        len(times), times[-1] - times[0], " ".join(map(str, per)))


def main():
    ap = ArgumentParser(description="count ARP requests arriving on an interface")
    ap.add_argument("iface")
    ap.add_argument("ready")
    a = ap.parse_args()
    signal.signal(signal.SIGTERM, stop)
    signal.signal(signal.SIGINT, stop)
    sock = socket.socket(socket.AF_PACKET, socket.SOCK_RAW, socket.htons(ETH_P_ARP))
    sock.bind((a.iface, 0))
    open(a.ready, "w").close()
    print(report(count(sock)), flush=True)


if __name__ == "__main__":
    main()
