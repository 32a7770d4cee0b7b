#!/usr/bin/python3
"""i1lines: where a ping app's simulated I1 misses come from, per round trip.

    i1lines.py [-n N] [-g SIZE,WAYS,LINE] [--top K] [--args ARGS] EXE...

Each EXE runs under callgrind (its measured loop, as bench/xkernel/
callgrind.sh runs it: ./NAME from a fixed-length scratch folder, empty
environment, -w inproc -s 1) with N and 2N round trips; the per-instruction
differences over the round trips between are one round trip's (code valgrind
names no object, "???", is EXE's rewritten text). Printed per EXE: instructions and
I1 misses per round trip; the misses per function and per source line (of
EXE; addr2line) and their object; the distinct cache lines the round trip
runs (by object) against the cache's sets, the sets holding more lines than
ways, and which objects share them. Addresses are run-time ones (valgrind's
load bias added), so libc's and ld.so's lines land on their real sets.
--args runs any program instead: EXE ARGS with {n} in ARGS replaced by N
and 2N, all of the run counted (no client requests), the difference divided
by N (for example docs/example's calc: --args '-n {n} /abs/work.calc').
A diagnosis tool for bench/results, not a test.
"""
import os
import re
import shutil
import subprocess
import sys
import tempfile
from collections import defaultdict

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "lib", "py"))
from ol_args import ArgumentParser  # noqa: E402


def callgrind(exe, n, geom, args):
    """valgrind's -v -v log and the out file of EXE's measured loop (or of
    EXE ARGS, {n} replaced by N), run as ./NAME from a fresh /tmp/xkcg.*
    folder with an empty environment."""
    tmp = tempfile.mkdtemp(prefix="xkcg.", dir="/tmp")  # a fixed-length name
    try:
        name = os.path.basename(exe)
        shutil.copy(exe, os.path.join(tmp, name))
        cmd = ["env", "-i", shutil.which("valgrind"), "--tool=callgrind", "-v", "-v",
               "--instr-atstart=%s" % ("yes" if args else "no"), "--dump-instr=yes",
               "--cache-sim=yes", "--I1=" + geom, "--callgrind-out-file=cg.out", "./" + name]
        cmd += ([a.replace("{n}", str(n)) for a in args.split()] if args
                else ["-w", "inproc", "-n", str(n), "-s", "1"])
        with open(os.path.join(tmp, "log"), "w") as log:
            subprocess.run(cmd, cwd=tmp, stdout=subprocess.DEVNULL, stderr=log, check=True)
        with open(os.path.join(tmp, "log")) as f, open(os.path.join(tmp, "cg.out")) as g:
            return f.read(), g.read()
    finally:
        shutil.rmtree(tmp)


def biases(log):
    """object path -> load bias (avma - svma), from valgrind -v -v."""
    b, cur = {}, None
    for line in log.splitlines():
        m = re.search(r"Reading syms from (\S+)", line)
        if m:
            cur = m.group(1)
            continue
        m = re.search(r"svma 0x([0-9a-f]+), avma 0x([0-9a-f]+)", line)
        if m and cur and cur not in b:
            b[cur] = int(m.group(2), 16) - int(m.group(1), 16)
    return b


def per_insn(exe, n, geom, args):
    """(object's base name, fn, run-time addr) -> [Ir, I1mr] of a run of N
    round trips (the scratch folder differs per run: base names match).
    Callgrind's format: compressed names "(id) name", positions "instr
    line" relative with +/-/*, a calls= line's next line the call's
    inclusive cost (left out: self costs only)."""
    log, out = callgrind(exe, n, geom, args)
    bias = biases(log)
    names = defaultdict(dict)
    got = defaultdict(lambda: [0, 0])
    ob = fn = None
    last = [0, 0]
    skip = False
    col = []
    for line in out.splitlines():
        key, eq, val = line.partition("=")
        if eq and key in ("ob", "fn", "cob", "cfn", "fl", "fi", "fe", "cfi", "cfl"):
            m = re.match(r"\((\d+)\)(?: (.*))?$", val)
            kind = key.lstrip("c")
            kind = "fl" if kind in ("fi", "fe") else kind
            if m and m.group(2) is not None:
                names[kind][m.group(1)] = m.group(2)
            v = names[kind].get(m.group(1)) if m else val
            if key == "ob":
                ob = v
            elif key == "fn":
                fn = re.sub(r"'\d+$", "", v or "")
            continue
        if eq and key == "calls":
            skip = True
            continue
        if line.startswith("events:"):
            ev = line.split()[1:]
            col = [ev.index("Ir"), ev.index("I1mr")]
            continue
        if not line or line[0] not in "+-*0123456789":
            continue
        f = line.split()
        for i in range(2):
            s = f[i]
            last[i] = last[i] if s == "*" else last[i] + int(s, 0) if s[0] in "+-" else int(s, 0)
        if skip:
            skip = False
            continue
        k = (os.path.basename(ob or "???"), fn, last[0] + bias.get(ob, 0))
        for j, c in enumerate(col):
            got[k][j] += int(f[2 + c]) if len(f) > 2 + c else 0
    return got


def src_lines(exe, addrs):
    """run-time addr -> file:line of EXE (PIE under valgrind: 0x108000 on)."""
    base = 0x108000 if subprocess.run(["readelf", "-h", exe], capture_output=True,
                                      text=True).stdout.find("DYN") >= 0 else 0
    addrs = sorted(addrs)
    r = subprocess.run(["addr2line", "-e", exe] + ["%x" % (a - base) for a in addrs],
                       capture_output=True, text=True)
    return dict(zip(addrs, (os.path.basename(x) for x in r.stdout.split("\n"))))


def report(exe, n, geom, top, args):
    size, ways, line = (int(x) for x in geom.split(","))
    nsets = size // ways // line
    a, b = per_insn(exe, n, geom, args), per_insn(exe, 2 * n, geom, args)
    # xk_bench_run runs a warm-up of n/10 + 1 round trips, then n
    trips = n if args else (2 * n + 2 * n // 10) - (n + n // 10)
    rt = {k: [(b[k][i] - a.get(k, [0, 0])[i]) / trips for i in (0, 1)] for k in b}
    name = os.path.basename(exe)
    short = {}

    def obj(ob):
        return short.setdefault(ob, "EXE" if ob in (name, "???") else ob)
    ir = sum(v[0] for v in rt.values())
    miss = sum(v[1] for v in rt.values())
    print("## %s: %.1f instructions, %.2f I1 misses per round trip (%s)" % (exe, ir, miss, geom))
    fmiss = defaultdict(float)
    for (ob, fn, _), v in rt.items():
        fmiss[(obj(ob), fn)] += v[1]
    print("\nmisses per function (top %d):" % top)
    for (ob, fn), m in sorted(fmiss.items(), key=lambda kv: -kv[1])[:top]:
        print("  %8.2f  %s:%s" % (m, ob, fn))
    mine = [k[2] for k, v in rt.items() if obj(k[0]) == "EXE" and v[1] > 0.05]
    where = src_lines(exe, mine)
    lmiss = defaultdict(float)
    for k, v in rt.items():
        if obj(k[0]) == "EXE" and k[2] in where:
            lmiss[(k[1], where[k[2]])] += v[1]
    print("\nmisses per source line of EXE (top %d):" % top)
    for (fn, loc), m in sorted(lmiss.items(), key=lambda kv: -kv[1])[:top]:
        print("  %8.2f  %s %s" % (m, fn, loc))
    # the cache lines one round trip runs, and the sets they fall on
    lines = {}
    for (ob, fn, addr), v in rt.items():
        if v[0] >= 0.5:
            l = addr // line
            e = lines.setdefault(l, [obj(ob), 0.0, 0.0, set()])
            e[1] += v[0]
            e[2] += v[1]
            e[3].add(fn)
    byobj = defaultdict(int)
    for e in lines.values():
        byobj[e[0]] += 1
    per_set = defaultdict(list)
    for l in lines:
        per_set[l % nsets].append(l)
    over = {s: ls for s, ls in per_set.items() if len(ls) > ways}
    print("\nlines run per round trip: %d (%s) on %d of %d sets; %d sets hold more than %d "
          "(%d lines, %.2f misses there)" % (
              len(lines), ", ".join("%s %d" % kv for kv in sorted(byobj.items())), len(per_set),
              nsets, len(over), ways, sum(len(ls) for ls in over.values()),
              sum(lines[l][2] for ls in over.values() for l in ls)))
    pair = defaultdict(lambda: [0, 0.0])
    for s, ls in over.items():
        key = " + ".join(sorted(lines[l][0] for l in ls))
        pair[key][0] += 1
        pair[key][1] += sum(lines[l][2] for l in ls)
    print("conflicting sets by owners (sets, misses):")
    for k, (c, m) in sorted(pair.items(), key=lambda kv: -kv[1][1]):
        print("  %4d %8.2f  %s" % (c, m, k))
    print("external lines run (object: function, lines):")
    ext = defaultdict(int)
    for e in lines.values():
        if e[0] != "EXE":
            for fn in e[3]:
                ext[(e[0], fn)] += 1
    for (ob, fn), c in sorted(ext.items(), key=lambda kv: -kv[1])[:top]:
        print("  %4d  %s:%s" % (c, ob, fn))
    print()


def main():
    ap = ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("-n", type=int, default=200)
    ap.add_argument("-g", default="8192,1,32")
    ap.add_argument("--top", type=int, default=25)
    ap.add_argument("--args", default="")
    ap.add_argument("exe", nargs="+")
    a = ap.parse_args()
    # checked before the first run: a wrong one failed in a traceback, or
    # after the runs of the EXEs before it
    bad = next((e for e in a.exe if not (os.path.isfile(e) and os.access(e, os.X_OK))), None)
    why = ("-n %d: want 1 or more round trips" % a.n if a.n < 1 else
           "-g '%s': want SIZE,WAYS,LINE" % a.g if not re.fullmatch(r"[1-9]\d*,[1-9]\d*,[1-9]\d*", a.g) else
           "%s: not an executable file" % bad if bad else None)
    if why:
        print("i1lines.py: " + why, file=sys.stderr)
        return 2
    for exe in a.exe:
        report(exe, a.n, a.g, a.top, a.args)
    return 0


if __name__ == "__main__":
    sys.exit(main())
