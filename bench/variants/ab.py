#!/usr/bin/env python3
"""ab.py [-h] [-r ROUNDS] [-n N] [--pin] EXE... - the wall clock of ping
executables (tcpping, rpcping, any variant) as ratios from one interleaved
run: in every round each EXE runs once (`EXE -w inproc -n N -s 1`, in a
new order per round, seeded), and its reported round-trip time is divided
by the first EXE's of the same round. Prints per EXE the median round trip
(µs), the median of its per-round ratios to the first EXE and their
interquartile range. Many short rounds and per-round ratios keep a loaded
machine's drift out of the ratios; they never make a time a test.

--pin runs each EXE under `chrt -f 50 taskset -c 1` (root only; each run
must stay short: a real-time task that spins starves the CPU it holds).
"""
import argparse
import os
import random
import re
import statistics
import subprocess
import sys

RT = re.compile(r"round trip ([0-9.]+) ")


def fail(msg):
    print("ab.py: " + msg, file=sys.stderr)
    sys.exit(1)


def run(exe, n, pin):
    cmd = [exe, "-w", "inproc", "-n", str(n), "-s", "1"]
    if pin:
        cmd = ["chrt", "-f", "50", "taskset", "-c", "1"] + cmd
    try:
        out = subprocess.run(cmd, capture_output=True, text=True, timeout=60)
    except (OSError, subprocess.TimeoutExpired) as e:
        fail("%s: %s" % (exe, e))
    m = RT.search(out.stdout)
    if out.returncode or not m:
        fail("%s: exit %d, no round trip time in its output" % (exe, out.returncode))
    return float(m.group(1))


def quartiles(xs):
    q = statistics.quantiles(xs, n=4) if len(xs) > 1 else [xs[0]] * 3
    return q[0], q[2]


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0],
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("-r", "--rounds", type=int, default=31, help="rounds (default 31)")
    ap.add_argument("-n", type=int, default=20000, help="round trips per run (default 20000)")
    ap.add_argument("--pin", action="store_true", help="chrt -f 50 taskset -c 1 (root)")
    ap.add_argument("exe", nargs="+", help="executables; ratios are to the first")
    args = ap.parse_args()
    if args.rounds < 1 or not 1 <= args.n <= 10000000:
        fail("want -r >= 1 and 1 <= -n <= 10000000")
    if args.pin and os.geteuid() != 0:
        fail("--pin needs root (chrt -f)")
    for e in args.exe:
        if not os.access(e, os.X_OK):
            fail("%s: not an executable" % e)
    rng = random.Random(1)
    times = {e: [] for e in args.exe}
    ratios = {e: [] for e in args.exe}
    for _ in range(args.rounds):
        order = list(args.exe)
        rng.shuffle(order)
        got = {e: run(e, args.n, args.pin) for e in order}
        for e in args.exe:
            times[e].append(got[e])
            ratios[e].append(got[e] / got[args.exe[0]])
    print("# %d rounds x %d round trips per run%s; ratio: median of per-round ratios to %s" %
          (args.rounds, args.n, ", chrt -f 50 taskset -c 1" if args.pin else "", args.exe[0]))
    print("%-40s %10s %8s %17s" % ("exe", "median us", "ratio", "ratio IQR"))
    for e in args.exe:
        lo, hi = quartiles(ratios[e])
        print("%-40s %10.3f %8.3f %8.3f-%-8.3f" %
              (e, statistics.median(times[e]), statistics.median(ratios[e]), lo, hi))


if __name__ == "__main__":
    main()
