#!/usr/bin/python3
"""The olayout benchmark: rewrite time and peak memory against text size.

    bench.py [--sizes 1,2,4,8] [--repeat 3] [--no-debian] [--results DIR]

Subjects: for each size (MiB of .text) a program from mkbig.py, built once
into $BUILD/bench/olayout/big-SIZE/ (PIE, -O2 -ffunction-sections
-Wl,--emit-relocs); and the sqlite3 shell built from Debian's sqlite3 source
package by debsrc.sh (into the git-ignored cache/). Each is rewritten with
every movable function and fragment (as `olayout info --json` lists them)
placed in reverse order, then the output is checked with `olayout verify`.
Both run REPEAT times: median wall and CPU time, largest peak RSS
(wait4's rusage). The output must print what the input prints (sqlite3: on
workload.sql) and pass verify, or the benchmark fails. Writes
DIR/olayout.md and DIR/olayout.csv (default bench/results/). Timings are not
asserted anywhere.
"""
import csv
import json
import math
import os
import platform
import re
import statistics
import subprocess
import sys
import time
from concurrent.futures import ThreadPoolExecutor

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "lib", "py"))
from ol_args import ArgumentParser  # noqa: E402

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.normpath(os.path.join(HERE, "..", ".."))
BUILD = os.environ.get("BUILD", "build")
OLAYOUT = os.path.join(BUILD, "bin", "olayout")
BYTES_PER_FUNC = 465  # .text per mkbig function, measured with GCC 12 -O2
CFLAGS = ["-std=gnu11", "-O2", "-Wall", "-Wextra", "-Werror", "-ffunction-sections"]
WORKLOAD = os.path.join(HERE, "workload.sql")


class Subject:
    """An executable to rewrite and how to run it (argv, stdin file)."""

    def __init__(self, label, exe, args=(), stdin=None):
        self.label, self.exe, self.args, self.stdin = label, exe, list(args), stdin

    def output(self, exe):
        with open(self.stdin or os.devnull, "rb") as f:
            res = subprocess.run([exe] + self.args, stdin=f, capture_output=True)
        return res.returncode, res.stdout


def build_big(size_mib):
    """The mkbig program of about SIZE_MIB MiB of text; built once."""
    d = os.path.join(BUILD, "bench", "olayout", "big-%d" % size_mib)
    exe = os.path.join(d, "big")
    if os.path.exists(exe):
        return exe
    nfuncs = size_mib * (1 << 20) // BYTES_PER_FUNC
    subprocess.run([os.path.join(HERE, "mkbig.py"), d, str(nfuncs)], check=True)
    srcs = sorted(f for f in os.listdir(d) if f.endswith(".c"))

    def compile_one(src):
        obj = os.path.join(d, src[:-2] + ".o")
        subprocess.run(["gcc"] + CFLAGS + ["-c", "-o", obj, os.path.join(d, src)], check=True)
        return obj

    print("building %d functions (%d MiB) in %s ..." % (nfuncs, size_mib, d), flush=True)
    with ThreadPoolExecutor(max_workers=2) as ex:
        objs = list(ex.map(compile_one, srcs))
    subprocess.run(["gcc", "-Wl,--emit-relocs", "-o", exe + ".tmp"] + objs, check=True)
    for o in objs:
        os.remove(o)
    os.rename(exe + ".tmp", exe)
    return exe


def timed(cmd):
    """(wall seconds, CPU seconds, peak RSS in MiB) of CMD, which must succeed."""
    start = time.monotonic()
    p = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    err = p.stderr.read()
    _, status, usage = os.wait4(p.pid, 0)
    wall = time.monotonic() - start
    p.returncode = os.waitstatus_to_exitcode(status)
    if p.returncode != 0:
        raise RuntimeError("%s: exit %d: %s" % (" ".join(cmd), p.returncode, err[-2000:].decode()))
    return wall, usage.ru_utime + usage.ru_stime, usage.ru_maxrss / 1024


def measure(cmd, repeat):
    """Median wall and CPU seconds and the largest peak RSS of REPEAT runs."""
    runs = [timed(cmd) for _ in range(repeat)]
    return (statistics.median(r[0] for r in runs), statistics.median(r[1] for r in runs),
            max(r[2] for r in runs))


def text_size(exe):
    out = subprocess.run(["readelf", "-SW", exe], capture_output=True, text=True, check=True).stdout
    m = re.search(r"\s\.text\s+PROGBITS\s+\S+\s+\S+\s+(\S+)", out)
    return int(m.group(1), 16)


def reverse_layout(exe):
    """A layout placing every movable function and fragment of EXE in
    reverse address order; and the number of units."""
    info = json.loads(subprocess.run([OLAYOUT, "info", "--json", exe], capture_output=True,
                                     check=True).stdout)
    units = []
    for f in info["functions"]:
        if f["movable"]:
            units += [(f["addr"], f["name"])] + [(g["addr"], g["name"]) for g in f["fragments"]]
    units.sort(reverse=True)
    return ["olayout-layout 1", "align 16"] + ["place " + n for _, n in units], len(units)


def one(subject, repeat):
    exe = subject.exe
    d = os.path.join(BUILD, "bench", "olayout", "work")
    os.makedirs(d, exist_ok=True)
    stem = re.sub(r"\W+", "-", subject.label)
    layout, out = os.path.join(d, stem + ".layout"), os.path.join(d, stem + ".out")
    lines, nunits = reverse_layout(exe)
    with open(layout, "w") as f:
        f.write("\n".join(lines) + "\n")
    print("%s: %d units, rewriting ..." % (subject.label, nunits), flush=True)
    rw_time, rw_cpu, rw_mem = measure([OLAYOUT, "rewrite", "--layout", layout, "-o", out, exe],
                                      repeat)
    vf_time, vf_cpu, vf_mem = measure([OLAYOUT, "verify", out], repeat)  # raises unless it passes
    before, after = subject.output(exe), subject.output(out)
    if before != after:
        raise RuntimeError("%s: the rewritten program prints something else (exit %d vs %d)"
                           % (out, after[0], before[0]))
    return dict(subject=subject.label, text_mib=text_size(exe) / (1 << 20),
                file_mib=os.path.getsize(exe) / (1 << 20), units=nunits,
                rewrite_s=rw_time, rewrite_cpu_s=rw_cpu, rewrite_peak_mib=rw_mem,
                verify_s=vf_time, verify_cpu_s=vf_cpu, verify_peak_mib=vf_mem,
                same_output="yes", verify="pass")


def growth(rows):
    """Exponent k of CPU time ~ text^k and peak ~ text^k between the
    smallest and largest generated program (1: linear). CPU time, not wall
    time: it suffers less from a shared machine."""
    gen = [r for r in rows if r["subject"].startswith("generated")]
    if len(gen) < 2:
        return ""
    a, b = gen[0], gen[-1]
    k = math.log(b["text_mib"] / a["text_mib"])
    return ("Growth from %.1f to %.1f MiB of text (generated): rewrite CPU time x%.1f "
            "(time ~ text^%.2f), peak memory x%.1f (memory ~ text^%.2f).\n" % (
                a["text_mib"], b["text_mib"], b["rewrite_cpu_s"] / a["rewrite_cpu_s"],
                math.log(b["rewrite_cpu_s"] / a["rewrite_cpu_s"]) / k,
                b["rewrite_peak_mib"] / a["rewrite_peak_mib"],
                math.log(b["rewrite_peak_mib"] / a["rewrite_peak_mib"]) / k))


def table(rows):
    head = ["subject", "text MiB", "file MiB", "units moved", "rewrite wall s", "rewrite CPU s",
            "rewrite peak MiB", "rewrite CPU s per text MiB", "verify wall s", "verify CPU s",
            "verify peak MiB", "same output, verify"]
    lines = ["| " + " | ".join(head) + " |", "|" + "---|" * len(head)]
    for r in rows:
        lines.append("| %s | %.2f | %.1f | %d | %.2f | %.2f | %.0f | %.2f | %.2f | %.2f | %.0f | "
                     "%s, %s |" % (
                         r["subject"], r["text_mib"], r["file_mib"], r["units"], r["rewrite_s"],
                         r["rewrite_cpu_s"], r["rewrite_peak_mib"],
                         r["rewrite_cpu_s"] / r["text_mib"], r["verify_s"], r["verify_cpu_s"],
                         r["verify_peak_mib"], r["same_output"], r["verify"]))
    return "\n".join(lines)


def write_results(rows, args):
    os.makedirs(args.results, exist_ok=True)
    with open(os.path.join(args.results, "olayout.csv"), "w", newline="") as f:
        w = csv.DictWriter(f, fieldnames=list(rows[0]))
        w.writeheader()
        for r in rows:
            w.writerow({k: ("%.4f" % v if isinstance(v, float) else v) for k, v in r.items()})
    sanitized = b"__asan_init" in open(OLAYOUT, "rb").read()
    with open(os.path.join(args.results, "olayout.md"), "w") as f:
        f.write("# olayout rewrite: time and peak memory against text size\n\n")
        f.write("Made by `make bench-olayout` (bench/olayout/bench.py) on %s, %s, %d CPUs "
                "shared with other work (timings are noisy; compare within one run); olayout "
                "from `%s`%s. Generated programs from bench/olayout/mkbig.py, sqlite3 from "
                "Debian's source package (bench/olayout/debsrc.sh); all GCC -O2 "
                "-ffunction-sections -Wl,--emit-relocs, PIE. Every movable function and "
                ".cold fragment placed in reverse order; wall and CPU (user + system) time are "
                "medians of %d runs, peak the largest maximum RSS. Every output passed `olayout verify` and "
                "printed what its input printed.\n\n" % (
                    time.strftime("%Y-%m-%d", time.gmtime()), platform.platform(terse=True),
                    os.cpu_count(), OLAYOUT, " (ASan build)" if sanitized else "", args.repeat))
        f.write(table(rows) + "\n\n" + growth(rows))


def main():
    ap = ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--sizes", default="1,2,4,8")
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--no-debian", action="store_true", help="skip the sqlite3 subject")
    ap.add_argument("--results", default=os.path.join(ROOT, "bench", "results"))
    args = ap.parse_args()
    if not os.access(OLAYOUT, os.X_OK):
        print("bench-olayout: %s not built" % OLAYOUT, file=sys.stderr)
        return 1
    subjects = [Subject("generated %d MiB" % int(s), build_big(int(s)))
                for s in args.sizes.split(",") if s]
    if not args.no_debian:
        exe = subprocess.run([os.path.join(HERE, "debsrc.sh"), os.path.join(ROOT, "cache")],
                             capture_output=True, text=True, check=True).stdout.strip()
        subjects.append(Subject("sqlite3 (Debian source)", exe, [":memory:"], WORKLOAD))
    rows = [one(s, args.repeat) for s in subjects]
    print(table(rows) + "\n\n" + growth(rows))
    write_results(rows, args)
    print("wrote " + os.path.relpath(os.path.join(args.results, "olayout.{md,csv}")))
    return 0


if __name__ == "__main__":
    sys.exit(main())
