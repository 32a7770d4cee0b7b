#!/usr/bin/env python3
"""usage: bandfuncs.py [--top N] OURS BOLT

Where two placement bands differ, function by function. OURS and BOLT
are shift.sh's output folders of one package, geometry and workload
(CACHE/bench/PKG/shift/VARIANT.GEOM[.heldout]): per placement K, kK/cg
holds the cachegrind file of each process of the workload. Per function,
its simulated I1 misses summed over the processes of a placement, then
the median over the placements; a function's parts are one function
(BOLT's `f.cold.0` and GCC's `f.cold` are `f`'s). Prints the bands'
total medians, their ratio and its 90% interval (a bootstrap over the
placements, 2000 resamples, seeded: how far another set of placements
could move the ratio), then the N (20) functions whose medians differ most,
each with both medians, their difference and its running sum (--top 0:
only the first line), and the
sum over all functions (the sum of medians is not the median of sums:
it says where the difference lives, not its size to the miss). Then the
same per origin: the program and the libraries cachegrind knows by
file (glibc's, under `./`). A measurement for bench/: nothing asserted.
"""
import glob
import os
import random
import re
import statistics
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "lib", "py"))
from ol_args import ArgumentParser  # noqa: E402

COLD = re.compile(r"\.cold(\.[0-9]+)?$")


def fail(msg):
    sys.stderr.write("bandfuncs.py: %s\n" % msg)
    sys.exit(1)


def read_cg(path, into):
    """Adds path's I1 misses per (origin, function) to the dict into."""
    col, fn, origin = None, None, "program"
    with open(path, errors="replace") as f:
        for n, line in enumerate(f, 1):
            if line.startswith("events:"):
                col = line.split()[1:].index("I1mr") + 1
            elif line.startswith("fl="):
                origin = "glibc" if line.startswith("fl=./") else "program"
            elif line.startswith("fn="):
                fn = (origin, COLD.sub("", line[3:].rstrip("\n")))
            elif line[:1].isdigit():
                if col is None or fn is None:
                    fail("%s: counts before its events: or fn= line" % path)
                fields = line.split()
                if len(fields) > col:
                    if not fields[col].isdigit():
                        fail("%s:%d: '%s': not a count" % (path, n, fields[col]))
                    into[fn] = into.get(fn, 0) + int(fields[col])
    if col is None:
        fail("%s: not a cachegrind file (no events: line)" % path)


def band(folder):
    """Per placement of a shift.sh folder: {(origin, function): misses}."""
    ks = sorted(glob.glob(os.path.join(folder, "k[0-9]*", "cg")))
    if not ks:
        fail("%s: no kK/cg folders (not shift.sh's output?)" % folder)
    out = []
    for k in ks:
        files = glob.glob(os.path.join(k, "cg.*"))
        if not files:
            fail("%s: no cachegrind files" % k)
        per = {}
        for f in files:
            read_cg(f, per)
        out.append(per)
    return out


def medians(placements, keyof):
    """{key: median over placements of the summed misses of keyof(fn)}."""
    keys = {keyof(fn) for per in placements for fn in per}
    sums = [{} for _ in placements]
    for s, per in zip(sums, placements):
        for fn, m in per.items():
            s[keyof(fn)] = s.get(keyof(fn), 0) + m
    return {k: statistics.median(s.get(k, 0) for s in sums) for k in keys}


def interval(a, b, n=2000):
    """5th and 95th percentile of median(a*)/median(b*) over n resamples"""
    rng = random.Random(1)
    r = sorted(statistics.median(rng.choices(a, k=len(a))) /
               max(statistics.median(rng.choices(b, k=len(b))), 1) for _ in range(n))
    return r[n // 20], r[n - 1 - n // 20]


def table(title, ours, bolt, top):
    keys = sorted(set(ours) | set(bolt), key=lambda k: -abs(ours.get(k, 0) - bolt.get(k, 0)))
    print("\n%s\n" % title)
    print("| function | ours | BOLT | ours - BOLT | running sum |")
    print("| --- | ---: | ---: | ---: | ---: |")
    run = 0
    for k in keys[:top]:
        o, b = ours.get(k, 0), bolt.get(k, 0)
        run += o - b
        print("| %s | %.0f | %.0f | %+.0f | %+.0f |" % (k, o, b, o - b, run))
    total = sum(ours.values()) - sum(bolt.values())
    print("\nall %d: ours - BOLT %+.0f (sum of the medians)" % (len(keys), total))


def main():
    ap = ArgumentParser(usage="bandfuncs.py [--top N] OURS BOLT",
                        description=__doc__.split("\n\n", 1)[1])
    ap.add_argument("--top", type=int, default=20)
    ap.add_argument("ours")
    ap.add_argument("bolt")
    a = ap.parse_args()
    if a.top < 0:
        print("bandfuncs.py: --top %d: want 0 or more functions" % a.top, file=sys.stderr)
        return 2
    ours, bolt = band(a.ours), band(a.bolt)
    per = [[sum(p.values()) for p in b] for b in (ours, bolt)]
    tot = [statistics.median(p) for p in per]
    print("placements: ours %d, BOLT %d; median I1 misses: ours %.0f, BOLT %.0f (%s; 90%%: %.4f-%.4f)"
          % ((len(ours), len(bolt), tot[0], tot[1], "%.4f" % (tot[0] / tot[1]) if tot[1] else "-")
             + interval(*per)))
    if a.top == 0:
        return 0
    table("per function (medians over placements)",
          medians(ours, lambda fn: fn[1]), medians(bolt, lambda fn: fn[1]), a.top)
    table("per origin", medians(ours, lambda fn: fn[0]), medians(bolt, lambda fn: fn[0]), a.top)
    return 0


if __name__ == "__main__":
    sys.exit(main())
