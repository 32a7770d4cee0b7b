#!/usr/bin/python3
"""cgprof: a version 2 profile from one callgrind run, for the planner's
tests and benchmarks (until `olayout profile` writes them).

    cgprof.py [--base PROF] [--loop] [--training N] -o OUT -- EXE [ARGS...]

EXE runs as ./NAME from a fixed-length scratch directory with an empty
environment (as bench/xkernel/callgrind.sh runs it), so shared libraries
load where they will in the measurement. The profile gets `function`
entries (calls, self instructions), `training N` (the times the workload's
unit ran, default 1), call `edge`s between EXE's functions,
`line` entries (the largest count of one instruction of each source line of
EXE), `external` entries for code of shared objects (addresses at run time, from
valgrind's own report of each object's load bias; a function's executed
code split into runs of instructions less than 32 bytes apart, the second
run named FN.1 and so on) and `training 1`; --base
copies the paths, library marks and caches of another profile. --loop
counts only what runs between CALLGRIND_START/STOP_INSTRUMENTATION, else
what runs inside main (the program's own work, not its start-up).
"""
import argparse
import os
import re
import shutil
import subprocess
import sys
import tempfile
from collections import defaultdict

NAME_RE = re.compile(r"^[A-Za-z_.$][A-Za-z0-9_.$]*$")


def run_callgrind(exe, args, loop, opts=()):
    """EXE's run under callgrind as the measurements run it: (valgrind's
    log, the out file's text)."""
    tmp = tempfile.mkdtemp(prefix="xkcg.", dir="/tmp")  # a fixed-length name
    try:
        name = os.path.basename(exe)
        shutil.copy(exe, os.path.join(tmp, name))
        cmd = ["env", "-i", shutil.which("valgrind"), "--tool=callgrind",
               "--callgrind-out-file=cg.out"] + list(opts)
        if loop:
            cmd.append("--instr-atstart=no")
        else:
            cmd += ["--collect-atstart=no", "--toggle-collect=main"]
        with open(os.path.join(tmp, "log"), "w") as log:
            subprocess.run(cmd + ["./" + name] + list(args), cwd=tmp, stdout=subprocess.DEVNULL,
                           stderr=log, check=False)
        with open(os.path.join(tmp, "log")) as f:
            log = f.read()
        if not os.path.exists(os.path.join(tmp, "cg.out")):
            raise RuntimeError("callgrind failed on %s: %s" % (exe, log[-500:]))
        with open(os.path.join(tmp, "cg.out")) as f:
            out = f.read()
        return log, out
    finally:
        shutil.rmtree(tmp)


def i1_misses(exe, args=(), geometry="1024,1,32", loop=False):
    """(instructions, I1 misses) of EXE's run on the simulated i-cache
    SIZE,WAYS,LINE, run as the profile's training run was."""
    _, out = run_callgrind(exe, args, loop, ["--cache-sim=yes", "--I1=" + geometry])
    ev = tot = None
    for line in out.splitlines():
        if line.startswith("events:"):
            ev = line.split()[1:]
        elif line.startswith("totals:"):
            tot = line.split()[1:]
    return int(tot[ev.index("Ir")]), int(tot[ev.index("I1mr")])


def biases(log):
    """object path -> load bias (avma - svma), from valgrind -v -v."""
    b = {}
    cur = None
    for line in log.splitlines():
        m = re.search(r"Reading syms from (\S+)", line)
        if m:
            cur = m.group(1)
            continue
        m = re.search(r"svma 0x([0-9a-f]+), avma 0x([0-9a-f]+)", line)
        if m and cur and cur not in b:
            b[cur] = int(m.group(2), 16) - int(m.group(1), 16)
    return b


def parse(out):
    """(object, fn) -> [self Ir, min addr, max addr]; (obj, fn, cobj, cfn) -> calls."""
    names = {"ob": {}, "fn": {}, "fl": {}}
    cost = defaultdict(lambda: [0, None, None])
    insn = defaultdict(lambda: defaultdict(int))  # (ob, fn) -> addr -> Ir
    srcline = defaultdict(int)  # (ob, file, line) -> the largest count of one instruction
    fl = None
    calls = defaultdict(int)
    npos = 1
    last = [0, 0]
    ob = fn = cob = cfn = None
    call_pending = None
    ir_col = 0

    def name(kind, s):
        m = re.match(r"\((\d+)\)(?: (.*))?$", s)
        if not m:
            return s
        if m.group(2) is not None:
            names[kind][m.group(1)] = m.group(2)
        return names[kind][m.group(1)]

    for line in out.splitlines():
        if not line or line[0] == "#":
            continue
        key, _, val = line.partition("=")
        if key in ("ob", "cob"):
            v = name("ob", val)
            if key == "ob":
                ob = v
            else:
                cob = v
            continue
        if key in ("fn", "cfn"):
            v = re.sub(r"'\d+$", "", name("fn", val))
            if key == "fn":
                fn, cob = v, ob
            else:
                cfn = v
            continue
        if key in ("fl", "fi", "fe"):
            fl = name("fl", val)
            continue
        if key in ("cfi", "cfl"):
            name("fl", val)
            continue
        if key in ("jump", "jcnd"):
            continue
        if key == "calls":
            call_pending = int(val.split()[0])
            continue
        if line.startswith("positions:"):
            npos = len(line.split()) - 1
            continue
        if line.startswith("events:"):
            ir_col = line.split()[1:].index("Ir")
            continue
        if not line[0] in "+-*0123456789":
            continue
        f = line.split()
        pos = []
        for i in range(npos):
            s = f[i]
            v = last[i] if s == "*" else last[i] + int(s, 0) if s[0] in "+-" else int(s, 0)
            pos.append(v)
        last[:npos] = pos
        if call_pending is not None:
            calls[(ob, fn, cob, cfn)] += call_pending
            call_pending = None
            continue
        ir = int(f[npos + ir_col]) if len(f) > npos + ir_col else 0
        c = cost[(ob, fn)]
        c[0] += ir
        insn[(ob, fn)][pos[0]] += ir
        if ir and npos > 1 and pos[1] > 0:
            k = (ob, fl, pos[1])
            srcline[k] = max(srcline[k], insn[(ob, fn)][pos[0]])
        if ir:
            c[1] = pos[0] if c[1] is None else min(c[1], pos[0])
            c[2] = pos[0] if c[2] is None else max(c[2], pos[0])
    return cost, calls, insn, srcline


def runs(addrs):
    """The executed code of a function as runs of instructions less than a
    cache line apart: [(first, last, instructions)]."""
    out = []
    for a in sorted(addrs):
        if out and a - out[-1][1] < 32:
            out[-1][1] = a
            out[-1][2] += addrs[a]
        else:
            out.append([a, a, addrs[a]])
    return out


def base_lines(path):
    keep = ("path", "library", "cache", "cold-function")
    with open(path) as f:
        return [l.split("#")[0].strip() for l in f
                if l.split("#")[0].strip().split(" ")[0] in keep]


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--base")
    ap.add_argument("--loop", action="store_true")
    ap.add_argument("-o", required=True)
    ap.add_argument("--training", type=int, default=1)
    ap.add_argument("cmd", nargs="+")
    a = ap.parse_args()
    exe, args = a.cmd[0], a.cmd[1:]
    name = os.path.basename(exe)
    log, out = run_callgrind(exe, args, a.loop, ["-v", "-v", "--dump-instr=yes"])
    bias = biases(log)
    cost, calls, insn, srcline = parse(out)
    mine = [o for o in set(k[0] for k in cost) if os.path.basename(o) == name]
    fcalls = defaultdict(int)
    edges = defaultdict(int)
    for (ob, fn, cob, cfn), n in calls.items():
        fcalls[(cob, cfn)] += n
        if ob in mine and cob in mine and fn != cfn:
            edges[(fn, cfn)] += n
    lines = ["olayout-profile 2", "exe " + name, "training %d" % a.training]
    lines += base_lines(a.base) if a.base else []
    for (ob, fn), (ir, lo, hi) in sorted(cost.items(), key=lambda kv: (kv[0][0] or "", kv[0][1] or "")):
        if not ir or not fn or not NAME_RE.match(fn):
            continue
        if ob in mine:
            lines.append("function %s %d %d" % (fn, fcalls[(ob, fn)], ir))
        elif ob in bias:
            for i, (lo, hi, n) in enumerate(runs(insn[(ob, fn)])):
                lines.append("external %s%s %s 0x%x %d %d" % (fn, ".%d" % i if i else "",
                                                              os.path.basename(ob),
                                                              lo + bias[ob], hi - lo + 8, n))
    for (ob, f, line), n in sorted(srcline.items(), key=lambda kv: (kv[0][1] or "", kv[0][2])):
        if ob in mine and f and " " not in f and f != "???":
            lines.append("line %s:%d %d" % (f, line, n))
    for (f, c), n in sorted(edges.items()):
        if NAME_RE.match(f) and NAME_RE.match(c):
            lines.append("edge %s %s %d" % (f, c, n))
    with open(a.o, "w") as f:
        f.write("\n".join(lines) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
