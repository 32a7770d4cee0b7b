#!/usr/bin/python3
"""The olayout benchmark: rewrite time and peak memory against text size.

    bench.py [--sizes 1,2,4,8] [--repeat 3] [--results FILE]

For each size (MiB of .text) a program from mkbig.py is built once into
$BUILD/bench/olayout/big-SIZE/ (PIE, -O2 -ffunction-sections
-Wl,--emit-relocs), then `olayout rewrite` with every unit placed in
reverse order, and `olayout verify` of the output, each run under
/usr/bin/time -v REPEAT times (median wall time, largest peak RSS). The
output must print what the input prints. Prints a table and writes it to
FILE (default bench/results/olayout.md). Timings are not asserted anywhere.
"""
import argparse
import os
import platform
import re
import statistics
import subprocess
import sys
import time
from concurrent.futures import ThreadPoolExecutor

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "..", "..", "tests", "olayout"))
import mklayout  # noqa: E402

BUILD = os.environ.get("BUILD", "build")
OLAYOUT = os.path.join(BUILD, "bin", "olayout")
BYTES_PER_FUNC = 465  # .text per mkbig function, measured with GCC 12 -O2
CFLAGS = ["-std=gnu11", "-O2", "-Wall", "-Wextra", "-Werror", "-ffunction-sections"]


def build(size_mib):
    """The big program of about SIZE_MIB MiB of text; built once."""
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
    """(wall seconds, peak RSS in MiB) of CMD, which must succeed."""
    res = subprocess.run(["/usr/bin/time", "-v"] + cmd, capture_output=True, text=True)
    if res.returncode != 0:
        raise RuntimeError("%s: exit %d: %s" % (" ".join(cmd), res.returncode, res.stderr[-2000:]))
    wall = re.search(r"Elapsed \(wall clock\) time.*: (?:(\d+):)?(\d+):([\d.]+)", res.stderr)
    rss = re.search(r"Maximum resident set size \(kbytes\): (\d+)", res.stderr)
    h, m, s = wall.groups()
    return int(h or 0) * 3600 + int(m) * 60 + float(s), int(rss.group(1)) / 1024


def measure(cmd, repeat):
    runs = [timed(cmd) for _ in range(repeat)]
    return statistics.median(t for t, _ in runs), max(m for _, m in runs)


def text_size(exe):
    out = subprocess.run(["readelf", "-SW", exe], capture_output=True, text=True, check=True).stdout
    m = re.search(r"\s\.text\s+PROGBITS\s+\S+\s+\S+\s+(\S+)", out)
    return int(m.group(1), 16)


def one_size(size_mib, repeat):
    exe = build(size_mib)
    d = os.path.dirname(exe)
    names = {s.name for s in mklayout.func_symbols(exe)
             if re.match(r"(big_\d+|main)(\.cold)?$", s.name) or s.name == "big_fail"}
    units = mklayout.units(exe, names)
    layout, out = os.path.join(d, "layout"), os.path.join(d, "big.out")
    with open(layout, "w") as f:
        f.write("\n".join(mklayout.reverse_layout(exe, names)) + "\n")
    rw_time, rw_mem = measure([OLAYOUT, "rewrite", "--layout", layout, "-o", out, exe], repeat)
    vf_time, vf_mem = measure([OLAYOUT, "verify", out], repeat)
    same = subprocess.run([exe], capture_output=True).stdout == subprocess.run([out], capture_output=True).stdout
    return dict(size=size_mib, text=text_size(exe) / (1 << 20), units=len(units),
                rw_time=rw_time, rw_mem=rw_mem, vf_time=vf_time, vf_mem=vf_mem,
                exe_mib=os.path.getsize(exe) / (1 << 20), same=same)


def table(rows):
    head = ["text MiB", "file MiB", "units moved", "rewrite s", "rewrite peak MiB",
            "rewrite s per text MiB", "verify s", "verify peak MiB", "output runs the same"]
    lines = ["| " + " | ".join(head) + " |", "|" + "---|" * len(head)]
    for r in rows:
        lines.append("| %.2f | %.1f | %d | %.2f | %.0f | %.2f | %.2f | %.0f | %s |" % (
            r["text"], r["exe_mib"], r["units"], r["rw_time"], r["rw_mem"],
            r["rw_time"] / r["text"], r["vf_time"], r["vf_mem"], "yes" if r["same"] else "NO"))
    return "\n".join(lines)


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--sizes", default="1,2,4,8")
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--results", default=os.path.join(HERE, "..", "results", "olayout.md"))
    args = ap.parse_args()
    if not os.access(OLAYOUT, os.X_OK):
        print("bench-olayout: %s not built" % OLAYOUT, file=sys.stderr)
        return 1
    rows = [one_size(int(s), args.repeat) for s in args.sizes.split(",")]
    text = table(rows)
    print(text)
    sanitized = b"__asan_init" in open(OLAYOUT, "rb").read()
    with open(args.results, "w") as f:
        f.write("# olayout rewrite: time and peak memory against text size\n\n")
        f.write("Made by `make bench-olayout` (bench/olayout/bench.py) on %s, %s, %d CPUs "
                "shared with other work; olayout from `%s`%s. Programs from "
                "bench/olayout/mkbig.py (PIE, GCC 12 -O2 -ffunction-sections "
                "-Wl,--emit-relocs); every function and .cold fragment placed in reverse "
                "order; wall time is the median of %d runs, peak is the largest maximum "
                "RSS (/usr/bin/time -v).\n\n" % (
                    time.strftime("%Y-%m-%d", time.gmtime()), platform.platform(terse=True),
                    os.cpu_count(), OLAYOUT, " (ASan build)" if sanitized else "", args.repeat))
        f.write(text + "\n")
    print("wrote " + os.path.relpath(args.results))
    return 0


if __name__ == "__main__":
    sys.exit(main())
