#!/usr/bin/env python3
"""usage: paired.py BASE [VARIANT...] < TIMES

Wall and CPU time of each variant over BASE's, paired by round. TIMES
holds one line per run, "VARIANT ROUND WALL CPU" (bench.sh's timed
rounds: every variant once per round, in a shuffled order). Per variant,
the median over the rounds of its time over BASE's in the same round
(a round's load is shared by the pair), and the 90% interval of that
median (a bootstrap over the rounds, 2000 resamples, seeded). Prints a
markdown table of the VARIANTs in their order (default: every one, in
TIMES's first-seen order). A measurement for bench/: nothing asserted.
"""
import os
import random
import statistics
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "lib", "py"))
from ol_args import ArgumentParser  # noqa: E402


def fail(msg):
    sys.stderr.write("paired.py: %s\n" % msg)
    sys.exit(1)


def read_times(f):
    """{variant: {round: (wall, cpu)}}, variants in first-seen order"""
    times = {}
    for n, line in enumerate(f, 1):
        w = line.split()
        try:
            if len(w) != 4:
                raise ValueError
            v, r, wall, cpu = w[0], int(w[1]), float(w[2]), float(w[3])
        except ValueError:
            fail("line %d: want VARIANT ROUND WALL CPU, got %r" % (n, line.rstrip("\n")))
        if wall <= 0 or cpu < 0:
            fail("line %d: want WALL > 0 and CPU >= 0, got %r" % (n, line.rstrip("\n")))
        if r in times.setdefault(v, {}):
            fail("line %d: round %d of %s again" % (n, r, v))
        times[v][r] = (wall, cpu)
    return times


def row(v, per, b):
    """v's table row: its times per over the base's b, paired by round"""
    rounds = sorted(set(per) & set(b))
    if not rounds:
        fail("%s: no round in common with the base" % v)
    if any(b[r][1] == 0 for r in rounds):
        fail("the base's CPU time is 0 in a round: no ratio")
    wall = [per[r][0] / b[r][0] for r in rounds]
    cpu = [per[r][1] / b[r][1] for r in rounds]
    return "| %s | %s | %s | %d |" % (v, cell(wall), cell(cpu), len(rounds))


def interval(ratios, n=2000):
    """5th and 95th percentile of the median of ratios resampled n times"""
    rng = random.Random(1)
    m = sorted(statistics.median(rng.choices(ratios, k=len(ratios))) for _ in range(n))
    return m[n // 20], m[n - 1 - n // 20]


def cell(ratios):
    lo, hi = interval(ratios)
    return "%.3f | %.3f-%.3f" % (statistics.median(ratios), lo, hi)


def main():
    ap = ArgumentParser(usage="paired.py BASE [VARIANT...] < TIMES", description=__doc__.split("\n\n", 1)[1])
    ap.add_argument("base")
    ap.add_argument("variants", nargs="*", metavar="VARIANT")
    args = ap.parse_args()
    base = args.base
    times = read_times(sys.stdin)
    for v in [base] + args.variants:
        if v not in times:
            fail("no times of %s" % v)
    # every row made before the first is printed: a failure prints no half table
    rows = [row(v, times[v], times[base]) for v in args.variants or list(times)]
    print("| variant | wall x %s | 90%% | CPU x %s | 90%% | rounds |" % (base, base))
    print("| --- | ---: | ---: | ---: | ---: | ---: |")
    print("\n".join(rows))

if __name__ == "__main__":
    main()
