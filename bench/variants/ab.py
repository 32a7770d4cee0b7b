#!/usr/bin/python3
"""ab.py - wall-clock A/B of built variants from one interleaved run:

    bench/variants/ab.py [-s STACK] [-r REF] [-w WIRE] [-n RT] [-k ROUNDS] VARIANT|NAME=EXE...

VARIANT is a row of `make variants` ($BUILD/variants/STACK/VARIANT/PROG);
NAME=EXE any stack program (another worktree's build, say). Prints, per
variant, the round trip's median, interquartile range, mean and standard
deviation over the rounds, and its ratio to REF: the median of the per-round
ratios (each round runs every variant once, so a slow moment of the machine
weighs on both sides of a ratio), with their interquartile range and the
rounds in which it beat REF, the 95% confidence interval of the median ratio
(two order statistics: no assumption about the noise's distribution), the
sign test's p and a verdict (faster or slower when the interval leaves out
1, else tie). Figures are noisy: never assert one.

The method (tables.py times Table 2 with it too): ROUNDS + 1 rounds, the
first a warm-up that is discarded; in each round every variant runs once
(`PROG -w WIRE -n RT -s 1`, the program's own warm-up of RT/10 round trips
first), the order rotating by one each round; every run pinned (taskset):
in process to one CPU, between processes to two (each host spins on its
own, as it would on an idle machine; on one CPU the handoff is two
sched_yield calls and the kernel's context switches outweigh the stack);
when root, every run SCHED_FIFO (chrt -f 1), so other work on the machine
does not preempt it, and then idle a quarter of the time it ran: back to
back, the runs took over 95% of the CPU and the kernel's real-time throttling
stopped them for the rest of each second (dmesg: "RT throttling
activated"; runs of 20 µs a round trip against medians of 1.2). Every run
(and its idle time) holds a lock ($AB_LOCK, default
/tmp/olayout-bench.lock), so two sessions' runs, pinned to the same CPU,
take turns and never add up past that share.
"""

import fcntl
import math
import os
import re
import statistics
import subprocess
import sys
import time

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "lib", "py"))
from ol_args import ArgumentParser  # noqa: E402

REPORT = re.compile(r"round trip ([\d.]+) ± [\d.]+ us; client protocol processing ([\d.]+) ± [\d.]+ us")
PROGS = {"tcpip": "tcpping", "rpc": "rpcping"}
WIRES = ("inproc", "process")
# Every timed run holds this lock: the runs of concurrent ab.py and make
# tables sessions (pinned to the same CPU, SCHED_FIFO) take turns instead of
# stalling each other.
LOCK = os.environ.get("AB_LOCK", "/tmp/olayout-bench.lock")


class Failure(Exception):
    """A run or an argument that ends the measurement, with one line saying why."""


def fifo_missing():
    """None when runs can be SCHED_FIFO here, else why not."""
    if os.geteuid() != 0:
        return "not root"
    try:
        r = subprocess.run(["chrt", "-f", "1", "true"], capture_output=True, text=True, timeout=30)
    except (OSError, subprocess.TimeoutExpired) as e:
        return "chrt does not run (%s)" % e
    return None if r.returncode == 0 else "chrt -f refused: %s" % (r.stderr.strip() or "failed")


class Method:
    """How every timed run is started: pinned (in process: to one CPU; between
    processes: to two, one a host), SCHED_FIFO where allowed."""

    def __init__(self, cpu=None, fifo=True):
        allowed = sorted(os.sched_getaffinity(0))
        self.cpu = allowed[-1] if cpu is None else cpu
        if self.cpu not in allowed:
            raise Failure("CPU %d is not one this process may use (%s)" % (
                self.cpu, ",".join(map(str, allowed))))
        others = [c for c in allowed if c != self.cpu]
        self.cpus = {"inproc": [self.cpu], "process": others[-1:] + [self.cpu]}
        self.no_fifo = fifo_missing() if fifo else "turned off (--no-fifo)"

    def pinned(self, wire):
        return ",".join(map(str, self.cpus[wire]))

    def describe(self, rounds, n):
        """The method, in one sentence for a caption."""
        runs = ", ".join("%d round trips a run %s, pinned to CPU %s" % (
            n[w], "in process" if w == "inproc" else "between processes", self.pinned(w)) for w in n)
        return ("%d rounds after a discarded warm-up round, each running every variant once (%s; "
                "taskset), the order rotating by one each round; %s; one timed run at a time on the "
                "machine (each holds the lock %s)" % (
                    rounds, runs, "every run SCHED_FIFO (chrt -f 1), then idle a quarter of its time (the "
                    "kernel's real-time throttling never cuts one)" if not self.no_fifo else
                    "not SCHED_FIFO (%s)" % self.no_fifo, LOCK))

    def run(self, exe, wire, n):
        """(round trip µs, client processing µs) of one run."""
        cmd = ["taskset", "-c", self.pinned(wire)] + ([] if self.no_fifo else ["chrt", "-f", "1"]) + \
            [exe, "-w", wire, "-n", str(n), "-s", "1"]
        try:
            with open(LOCK, "a") as lock:
                fcntl.flock(lock, fcntl.LOCK_EX)
                start = time.monotonic()
                r = subprocess.run(cmd, capture_output=True, text=True, timeout=600)
                if not self.no_fifo:  # idle a quarter of that, the lock held
                    time.sleep((time.monotonic() - start) / 4)
        except (OSError, subprocess.TimeoutExpired) as e:
            raise Failure("%s: %s" % (" ".join(cmd), e))
        m = REPORT.search(r.stdout)
        if r.returncode != 0 or not m:
            raise Failure("%s failed: %s" % (" ".join(cmd), (r.stderr or r.stdout).strip()[:300]))
        return float(m.group(1)), float(m.group(2))


def rounds(method, exes, wires, n, k, progress=None):
    """{(name, wire): [(rt, proc)] * k}: k rounds after one warm-up round
    (discarded), every (name, exe) of exes once a round on each wire, the
    order rotating by one each round."""
    res = {}
    for i in range(k + 1):
        if progress:
            progress(i, k)
        order = exes[i % len(exes):] + exes[:i % len(exes)]
        for wire in wires:
            for name, exe in order:
                sample = method.run(exe, wire, n[wire])
                if i:
                    res.setdefault((name, wire), []).append(sample)
    return res


def summary(xs):
    """{median, q1, q3, mean, sd} of xs (quartiles: the inclusive method)."""
    q = statistics.quantiles(xs, n=4, method="inclusive") if len(xs) > 1 else [xs[0]] * 3
    return dict(median=statistics.median(xs), q1=q[0], q3=q[2], mean=statistics.mean(xs),
                sd=statistics.stdev(xs) if len(xs) > 1 else 0.0)


def sign_test(wins, losses):
    """Two-sided exact sign test: the chance of a split at least this uneven
    were each round a coin toss (ties left out)."""
    n, k = wins + losses, min(wins, losses)
    if n == 0:
        return 1.0
    return min(1.0, 2 * sum(math.comb(n, i) for i in range(k + 1)) / 2 ** n)


def median_ci(xs, level=0.95):
    """(lo, hi): a distribution-free confidence interval for the median of xs,
    between two order statistics (the sign test's dual: it leaves out 1 just
    when the test finds the rounds' split uneven at that level); None when
    there are too few values for that level (6 at least for 95%)."""
    n = len(xs)
    j, tail = 0, 0.0  # the largest j with P(Binomial(n, 1/2) < j) <= (1 - level) / 2
    while j < n // 2:
        t = tail + math.comb(n, j) / 2 ** n
        if t > (1 - level) / 2:
            break
        tail, j = t, j + 1
    if j == 0:
        return None
    s = sorted(xs)
    return s[j - 1], s[n - j]


def verdict(ratios):
    """(interval or None, sign test p, word) for per-round ratios X/REF: "faster"
    or "slower" when the 95% interval of their median leaves out 1, else
    "tie" (no difference this run can tell)."""
    ci = median_ci(ratios)
    p = sign_test(sum(x < 1 for x in ratios), sum(x > 1 for x in ratios))
    word = "tie" if ci is None or ci[0] <= 1 <= ci[1] else "faster" if ci[1] < 1 else "slower"
    return ci, p, word


def paired(res, name, ref, wire, which=0):
    """The per-round ratios of name's figure to ref's (which: 0 round trip, 1 processing)."""
    return [a[which] / b[which] for a, b in zip(res[name, wire], res[ref, wire])]


def resolve(spec, build, stack):
    """(name, exe) of a VARIANT or NAME=EXE argument."""
    name, eq, exe = spec.partition("=")
    if not eq:
        exe = os.path.join(build, "variants", stack, name, PROGS[stack])
    if not name or not os.access(exe, os.X_OK):
        raise Failure("'%s': no executable %s%s" % (spec, exe, "" if eq else " (make variants builds it)"))
    return name, exe


def report(res, names, ref, wire, what):
    """The lines ab.py prints for one wire."""
    out = ["%s: round trip (µs) over %d rounds; ratio = median of the per-round ratios to %s "
           "(interquartile range; 95%% confidence interval of that median, distribution-free), wins = "
           "rounds faster than %s, p = two-sided sign test of wins against losses, verdict at 95%%" % (
               what, len(res[ref, wire]), ref, ref),
           "%-10s %9s %19s %17s %7s %17s %17s %7s %6s %s" % (
               "variant", "median", "q1 - q3", "mean ± sd", "ratio", "q1 - q3", "95% CI", "wins", "p",
               "verdict")]
    for name in names:
        s = summary([x[0] for x in res[name, wire]])
        r = paired(res, name, ref, wire)
        rs = summary(r)
        ci, p, word = verdict(r)
        out.append("%-10s %9.3f %9.3f - %7.3f %8.3f ± %6.3f %7.3f %7.3f - %7.3f %17s %3d/%d %6.3f %s" % (
            name, s["median"], s["q1"], s["q3"], s["mean"], s["sd"], rs["median"], rs["q1"], rs["q3"],
            "%7.3f - %7.3f" % ci if ci else "too few rounds", sum(x < 1 for x in r), len(r), p,
            "reference" if name == ref else word))
    return out


def main():
    ap = ArgumentParser(
        description="Wall-clock A/B of variants from one interleaved run: medians, spread, and "
                    "per-round ratios to a reference.",
        epilog="Example: bench/variants/ab.py -s tcpip -r STD STD ALL PGO BOLT PGO+BOLT; "
               "bench/variants/ab.py -r main main=/work/main/build/variants/tcpip/ALL/tcpping ALL")
    ap.add_argument("variants", nargs="+", metavar="VARIANT|NAME=EXE",
                    help="a built variant of STACK, or any program of the stack as NAME=EXE")
    ap.add_argument("-s", "--stack", default="tcpip", choices=sorted(PROGS), help="the stack (default tcpip)")
    ap.add_argument("-r", "--ref", help="the reference the ratios are to (default: the first)")
    ap.add_argument("-w", "--wire", default="both", choices=WIRES + ("both",),
                    help="in process, between two host processes, or both (default)")
    ap.add_argument("-n", "--round-trips", type=int, default=2000, help="round trips a run (default 2000)")
    ap.add_argument("-k", "--rounds", type=int, default=60,
                    help="rounds after the warm-up (default 60; a 95%% interval needs 6)")
    ap.add_argument("-b", "--build", default=os.environ.get("BUILD", "build"),
                    help="where the variants are (default $BUILD or build)")
    ap.add_argument("--cpu", type=int, help="the CPU every run is pinned to (default: the last)")
    ap.add_argument("--no-fifo", action="store_true", help="do not run SCHED_FIFO even as root")
    args = ap.parse_args()
    try:
        if args.round_trips < 1 or args.rounds < 2:
            raise Failure("want at least 1 round trip a run and 2 rounds")
        exes = [resolve(v, args.build, args.stack) for v in args.variants]
        names = [n for n, _ in exes]
        if len(set(names)) != len(names):
            raise Failure("a variant is named twice: %s" % " ".join(names))
        ref = args.ref or names[0]
        if ref not in names:
            raise Failure("the reference '%s' is not among the variants (%s)" % (ref, " ".join(names)))
        wires = WIRES if args.wire == "both" else (args.wire,)
        n = {w: args.round_trips for w in wires}
        method = Method(args.cpu, not args.no_fifo)
        load = os.getloadavg()
        res = rounds(method, exes, wires, n, args.rounds)
    except Failure as e:
        print("ab.py: %s" % e, file=sys.stderr)
        return 1
    print("ab.py %s: %s; load %s at the start, %s at the end" % (
        args.stack, method.describe(args.rounds, n), " ".join("%.1f" % x for x in load),
        " ".join("%.1f" % x for x in os.getloadavg())))
    for w in wires:
        print()
        print("\n".join(report(res, names, ref, w, "in process" if w == "inproc" else "between processes")))
    return 0


if __name__ == "__main__":
    sys.exit(main())
