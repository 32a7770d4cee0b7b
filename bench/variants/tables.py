#!/usr/bin/python3
"""tables.py - Mosberger et al.'s Tables 2, 4 and 5 over the variants that
`make variants` built (make tables runs it):

    bench/variants/tables.py [--full] [--build DIR] [--results DIR] LIST...

LIST is a stack's $(BUILD)/variants/STACK/variants.list (rules.mk writes it):
`stack NAME PROG PROFILE`, then per row `variant NAME built EXE`,
`variant NAME extra EXE` (built by make variants only) or `variant NAME
pending WHY`. Writes RESULTS/tables.md, tables.csv (one row per stack x
variant x geometry) and, per stack, tables_STACK.csv, the data of the bar
charts that bench/variants/plots.gp draws. Counts come from
callgrind (deterministic), times from runs of the programs interleaved
variant by variant, pinned and SCHED_FIFO (ab.py's method; noisy: ratios
from one run, never asserted).
"""

import bisect
import collections
import csv
import datetime
import io
import json
import os
import re
import statistics
import subprocess
import sys
import tempfile

import ab

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "lib", "py"))
from ol_args import ArgumentParser  # noqa: E402

# The simulated caches (bench/xkernel/callgrind.sh -g) and the cycle model of
# Table 4: every instruction issues in ICPI cycles with a perfect memory; a
# read that misses I1 or D1 and hits the last level costs L1_MISS cycles, one
# that misses the last level MEM more; stores retire through a write buffer
# and cost nothing. The penalties are assumptions, not measurements.
GEOMETRIES = {
    "alpha21064": dict(line=32, icpi=1.0, l1_miss=10, mem=50,
                       what="I1 and D1 8 KiB direct-mapped, 32-byte lines; "
                            "LL 2 MiB direct-mapped (the DEC 3000/600's board cache)"),
    "modern": dict(line=64, icpi=1.0, l1_miss=14, mem=200,
                   what="I1 and D1 32 KiB 8-way, 64-byte lines; LL 1 MiB 16-way"),
}
EVENTS = ["Ir", "I1mr", "D1mr", "D1mw", "ILmr", "DLmr", "DLmw"]
WIRES = [("inproc", "in-process wire"), ("process", "IPC kernel, two host processes")]
DESCRIPTIONS = {
    "STD": "-O2 -flto, the linker's order: the reference",
    "BAD": "STD's code laid out by olayout so that the path's code collides in the i-cache",
    "OUT": "STD + outlining (plugin, outline-only)",
    "CLO": "OUT + cloning with a bipartite layout (olayout)",
    "COL": "OUT + cache-line colouring of the hot code (olayout --strategy color), no clones",
    "PIN": "path-inlining (plugin, inline-only)",
    "ALL": "outlining + path-inlining + trained branch probabilities (plugin, fdo pass) + cloning with a "
           "bipartite layout (olayout)",
    "PGO": "GCC -fprofile-use, trained on the profile's workload",
    "BOLT": "llvm-bolt-19 on STD (-fno-reorder-blocks-and-partition), trained by its instrumentation",
    "PGO+BOLT": "llvm-bolt-19 on PGO (-fno-reorder-blocks-and-partition)",
    "ALL+BOLT": "llvm-bolt-19 on the plugin's build of ALL (-fno-reorder-blocks-and-partition): BOLT's layout "
                "in place of olayout's",
}
# Variants whose paths are inlined into their roots: a path's static size
# is its root's.
PATH_INLINED = {"PIN", "ALL", "ALL+BOLT"}
CSV_FIELDS = ["stack", "variant", "geometry", "status", "instr_per_rt", "instr_client_per_rt", "i1_miss_per_rt",
              "d1_miss_per_rt", "ll_miss_per_rt", "icpi", "mcpi", "icache_unused",
              "icache_lines", "path_hot_bytes", "path_hot_instr",
              "rt_us", "rt_sd_us", "rt_median_us", "rt_q1_us", "rt_q3_us",
              "rt_process_us", "rt_process_sd_us", "rt_process_median_us", "rt_process_q1_us", "rt_process_q3_us",
              "proc_us", "proc_sd_us", "proc_median_us", "proc_q1_us", "proc_q3_us",
              "perf_instr_per_rt", "perf_cycles_per_rt", "perf_l1i_miss_per_rt"]


# The runs of each size: callgrind's N (runs of N and 2N round trips; cg_client_n:
# the client side's, callgrind.sh -c, on the process wire), the timed rounds after the warm-up, and the round trips of a timed run on each
# wire. smoke: the tests' check of the harness's structure (figures meaningless).
# Many short rounds rather than a few long ones: on a loaded host a ratio's
# spread over the rounds hardly narrowed from runs of 1000 to 20000 round
# trips (A/A, pgo12's notes), while the median's confidence interval narrows
# with the square root of the rounds.
SIZES = {
    "smoke": dict(cg_n=20, cg_client_n=50, rounds=2, rt_n={"inproc": 200, "process": 200}),
    "quick": dict(cg_n=300, cg_client_n=300, rounds=60, rt_n={"inproc": 2000, "process": 2000}),
    "full": dict(cg_n=2000, cg_client_n=2000, rounds=150, rt_n={"inproc": 5000, "process": 5000}),
}


def die(msg):
    print("tables.py: " + msg, file=sys.stderr)
    sys.exit(1)


def run(cmd, timeout=600):
    """stdout of cmd; any failure ends the run with its stderr."""
    try:
        r = subprocess.run(cmd, capture_output=True, text=True, timeout=timeout)
    except (OSError, subprocess.TimeoutExpired) as e:
        die("%s: %s" % (" ".join(cmd), e))
    if r.returncode != 0:
        die("%s failed: %s" % (" ".join(cmd), r.stderr.strip() or r.stdout.strip()))
    return r.stdout


def read_list(path):
    """(stack, prog, profile, [(variant, status, exe or why)]) from a variants.list."""
    stack, rows = None, []
    try:
        lines = open(path).read().splitlines()
    except OSError as e:
        die("%s: %s" % (path, e.strerror))
    for line in lines:
        f = line.split(None, 3)
        if len(f) == 4 and f[0] == "stack":
            stack = f[1:]
        elif len(f) == 4 and f[0] == "variant" and f[2] in ("built", "extra", "pending"):
            # extra: built by make variants only, which make tables runs first
            rows.append((f[1], "built" if f[2] == "extra" else f[2], f[3]))
        else:
            die("%s: bad line '%s'" % (path, line))
    if not stack:
        die("%s: no stack line" % path)
    return stack[0], stack[1], stack[2], rows


# ---- callgrind: counts per round trip, executed instructions ----

def callgrind(exe, n, geometry, keep=None):
    """{event: per round trip} of exe's measured loop (callgrind.sh -a)."""
    cmd = ["bench/xkernel/callgrind.sh", "-q", "-a", "-n", str(n), "-g", geometry]
    if keep:
        cmd += ["-k", keep]
    out = run(cmd + [exe], timeout=1800)
    f = out.split()
    if len(f) != 1 + len(EVENTS):
        die("callgrind.sh: unexpected output '%s'" % out.strip())
    return dict(zip(EVENTS, map(float, f[1:])))


def callgrind_client(exe, n):
    """Instructions per round trip of the client host's process on the
    process wire, less the IPC kernel's waiting (callgrind.sh -c)."""
    out = run(["bench/xkernel/callgrind.sh", "-q", "-c", "-n", str(n), exe], timeout=1800)
    f = out.split()
    if len(f) != 2:
        die("callgrind.sh -c: unexpected output '%s'" % out.strip())
    return float(f[1])


def cg_records(path):
    """(object, function, address, fields, call) of each cost line of a
    callgrind output written with --dump-instr=yes, names decompressed and
    addresses made absolute (as the file has them: callgrind takes off a
    position-independent object's load address, except in code it could
    not attribute to an object, "???", e.g. BOLT's original text segment or
    olayout's new one); call: (count, callee address, callee object) when
    the line is a call's inclusive cost, else None."""
    names, ob, cob, fn, last, call = {}, "", "", "", 0, None
    with open(path) as f:
        for line in f:
            m = re.match(r"(c?ob|c?fn)=\((\d+)\)(?: (.*))?$", line.rstrip("\n"))
            if m:
                kind = m.group(1).lstrip("c")
                if m.group(3):
                    names[kind, m.group(2)] = m.group(3)
                name = names.get((kind, m.group(2)), "")
                if m.group(1) == "ob":
                    ob = cob = os.path.basename(name)
                elif m.group(1) == "cob":
                    cob = os.path.basename(name)
                elif m.group(1) == "fn":
                    fn = name
                continue
            fields = line.split()
            if line.startswith("calls="):
                call = (int(fields[0][6:]), int(fields[1], 0), cob)
                continue
            if not line or line[0] not in "0123456789+-*":
                continue
            pos = fields[0]
            last = last if pos == "*" else last + int(pos) if pos[0] in "+-" else int(pos, 0)
            yield ob, fn, last, fields, call
            call, cob = None, ob


def cg_costs(path):
    """{(object, function): {address: Ir}} of a callgrind output written with
    --dump-instr=yes: self costs only (a call's inclusive cost is skipped)."""
    costs = {}
    for ob, fn, addr, f, call in cg_records(path):
        if call is None and len(f) > 2:
            c = costs.setdefault((ob, fn), {})
            c[addr] = c.get(addr, 0) + int(f[2])
    return costs


def load_base(lowest, syms):
    """The load address callgrind left on code it gave no object ("???"):
    the most common distance between such a function's lowest executed
    address (lowest: {function: address}) and its symbol; 0 if none."""
    d = collections.Counter(a - syms[fn] for fn, a in lowest.items() if fn in syms)
    return d.most_common(1)[0][0] if d else 0


def instr_counts(path, exe, symbols):
    """{address: Ir} of exe's own instructions in a callgrind output, the
    load address taken off code callgrind left unattributed (load_base)."""
    name = os.path.basename(exe)
    counts, loose = {}, {}
    for (ob, fn), c in cg_costs(path).items():
        if ob == name:
            counts.update(c)
        elif ob == "???" and fn in symbols:
            loose[fn] = c
    base = load_base({fn: min(c) for fn, c in loose.items()}, symbols)
    for c in loose.values():
        counts.update({a - base: n for a, n in c.items()})
    return counts


def symbols(exe):
    """{name: address} of exe's function symbols."""
    out = {}
    for line in run(["nm", exe]).splitlines():
        f = line.split()
        if len(f) == 3 and f[1] in "tT":
            out[f[2]] = int(f[0], 16)
    return out


def instr_lengths(exe):
    """{address: length} of every instruction objdump decodes in exe."""
    lens = {}
    pat = re.compile(r"^\s*([0-9a-f]+):\t((?:[0-9a-f]{2} )+)")
    for line in run(["objdump", "-d", "-w", exe]).splitlines():
        m = pat.match(line)
        if m:
            lens[int(m.group(1), 16)] = len(m.group(2).split())
    return lens


def icache_unused(run_n, run_2n, exe, lens, syms, line):
    """(fraction of the bytes of the i-cache lines the round trip's own code
    touches that it never executes, those lines): the instructions whose
    count grows from the run of N to that of 2N round trips are the round
    trip's; libc's are left out."""
    a, b = instr_counts(run_n, exe, syms), instr_counts(run_2n, exe, syms)
    executed = set()
    for addr, c in b.items():
        if c > a.get(addr, 0):
            if addr not in lens:
                die("%s: callgrind ran 0x%x, not an instruction objdump knows" % (exe, addr))
            executed.update(range(addr, addr + lens[addr]))
    lines = {x // line for x in executed}
    if not lines:
        die("%s: no instruction of its own runs per round trip" % exe)
    return 1 - len(executed) / (len(lines) * line), len(lines)


# ---- the critical path's static size ----

def olayout_paths(build, profile, exe=None):
    """`olayout paths --json` of the profile (on exe, or without one: the
    paths as the profile names them), or None when olayout refuses exe for
    lack of relocations (BOLT's output keeps none); any other failure ends
    the run. olayout's parser is the one reader of the profile format."""
    cmd = [os.path.join(build, "bin/olayout"), "paths", "--json", "--profile", profile] + ([exe] if exe else [])
    r = subprocess.run(cmd, capture_output=True, text=True)
    if r.returncode != 0 and exe and ": no .rela.text: " in r.stderr:
        return None
    if r.returncode != 0:
        die("%s failed: %s" % (" ".join(cmd), r.stderr.strip()))
    return json.loads(r.stdout)


def profile_paths(build, profile):
    """[(name, [root, layer...])] of the profile's paths, in its order."""
    paths = [(p["name"], [m["name"] for m in p["members"]]) for p in olayout_paths(build, profile)["paths"]]
    if not paths:
        die("%s: no path" % profile)
    return paths


def path_members(build, exe, profile, variant):
    """{path: [(addr, hot bytes)]} of the code each path runs: olayout paths
    where olayout reads exe (clones where they exist), else the symbols
    (BOLT's output keeps no relocations). A variant that inlines the path
    runs its root."""
    found = olayout_paths(build, profile, exe)
    if found:
        out = {}
        for p in found["paths"]:
            ms = [m for m in p["members"] if m["found"] and (variant not in PATH_INLINED or m["role"] == "root")]
            out[p["name"]] = [(m["clones"][0]["addr"], m["clones"][0]["hot"]) if m["clones"] else
                              (m["addr"], m["hot"]) for m in ms]
        return out
    syms = []
    for line in run(["nm", "-S", exe]).splitlines():
        f = line.split()
        if len(f) == 4 and f[2] in "tT" and ".cold" not in f[3]:
            syms.append((re.sub(r"(\.(isra|constprop|part|lto_priv)\.\d+)+$", "", f[3]), int(f[0], 16), int(f[1], 16)))
    out = {}
    for name, fns in profile_paths(build, profile):
        fns = set(fns[:1] if variant in PATH_INLINED else fns)
        out[name] = [(a, n) for base, a, n in syms if base in fns]
    return out


def path_sizes(build, exe, profile, variant, lens):
    """{path: (hot bytes, hot instructions)}."""
    starts = sorted(lens)
    out = {}
    for name, members in path_members(build, exe, profile, variant).items():
        instr = sum(bisect.bisect_left(starts, a + n) - bisect.bisect_left(starts, a) for a, n in members)
        out[name] = (sum(n for _, n in members), instr)
    return out


# ---- timing: interleaved rounds (ab.py) ----

def timings(method, built, size):
    """{(variant, wire): {"rt": summary, "proc": summary}} and the raw rounds."""
    try:
        res = ab.rounds(method, built, [w for w, _ in WIRES], size["rt_n"], size["rounds"],
                        lambda i, k: print("tables: round %d of %d%s" % (i, k, " (warm-up)" if i == 0 else ""),
                                           file=sys.stderr))
    except ab.Failure as e:
        die(str(e))
    stats = {key: {"rt": ab.summary([x[0] for x in xs]), "proc": ab.summary([x[1] for x in xs])}
             for key, xs in res.items()}
    return stats, res


# ---- perf, where the machine has hardware counters ----

PERF_EVENTS = ["instructions", "cycles", "L1-icache-load-misses"]


def perf_missing():
    """None when perf counts instructions here, else why not."""
    try:
        r = subprocess.run(["perf", "stat", "-x,", "-e", "instructions", "true"],
                           capture_output=True, text=True, timeout=60)
    except (OSError, subprocess.TimeoutExpired) as e:
        return "perf does not run (%s)" % e
    if r.returncode != 0 or "<not" in r.stderr:
        return "perf stat -e instructions: %s" % (
            "<not supported>: this machine exposes no hardware counters" if "<not" in r.stderr
            else r.stderr.strip().splitlines()[-1] if r.stderr.strip() else "failed")
    return None


def perf_per_rt(exe, n):
    """({event: per round trip}, None) from perf stat over runs of N and 2N
    round trips (the difference leaves out start-up, as callgrind.sh does),
    or ({}, why) when a run failed: perf or the program exited non-zero, or
    did not run. A failed run's counts are never figures (they may count a
    run that stopped half-way)."""
    def counts(k):
        cmd = ["perf", "stat", "-x,", "-e", ",".join(PERF_EVENTS), exe, "-w", "inproc", "-n", str(k), "-s", "1"]
        try:
            r = subprocess.run(cmd, capture_output=True, text=True, timeout=600)
        except (OSError, subprocess.TimeoutExpired) as e:
            return None, "%s: %s" % (" ".join(cmd), e)
        vals = {}
        for line in r.stderr.splitlines():
            f = line.split(",")
            if len(f) > 2 and f[2] in PERF_EVENTS and f[0].isdigit():
                vals[f[2]] = int(f[0])
        if r.returncode != 0:
            said = [line for line in r.stderr.splitlines() if line.strip() and line.count(",") < 2]
            return None, "%s exited %d%s" % (" ".join(cmd), r.returncode, ": " + said[-1].strip() if said else "")
        return vals, None
    a, why = counts(n)
    if why:
        return {}, why
    b, why = counts(2 * n)
    if why:
        return {}, why
    rt = 2 * n + (2 * n) // 10 - n - n // 10
    return {e: (b[e] - a[e]) / rt for e in PERF_EVENTS if e in a and e in b}, None


# ---- the tables ----

def fmt(x, digits=1):
    return "" if x is None or x == "" else ("%.*f" % (digits, x))


def measure_stack(args, list_path, size, method, perf_note):
    stack, prog, profile, rows = read_list(list_path)
    built = [(v, exe) for v, st, exe in rows if st == "built"]
    if not built:
        die("%s: no variant is built" % list_path)
    data = {v: {"status": st, "why": x} for v, st, x in rows}
    work = tempfile.mkdtemp(prefix="tables.", dir=args.build)
    for v, exe in built:
        d = data[v]
        keep = os.path.join(work, v)
        os.makedirs(keep)
        print("tables: %s %s: callgrind" % (stack, v), file=sys.stderr)
        lens, syms = instr_lengths(exe), symbols(exe)
        for g in GEOMETRIES:
            d[g] = callgrind(exe, size["cg_n"], g, keep if g == "alpha21064" else None)
        runs = [os.path.join(keep, "%s.%d.out" % (os.path.basename(exe), k)) for k in (size["cg_n"], 2 * size["cg_n"])]
        for g, geo in GEOMETRIES.items():
            d[g]["unused"], d[g]["lines"] = icache_unused(runs[0], runs[1], exe, lens, syms, geo["line"])
            misses = geo["l1_miss"] * (d[g]["I1mr"] + d[g]["D1mr"]) + geo["mem"] * (d[g]["ILmr"] + d[g]["DLmr"])
            d[g]["mcpi"] = misses / d[g]["Ir"]
        d["client"] = callgrind_client(exe, size["cg_client_n"])
        d["paths"] = path_sizes(args.build, exe, profile, v, lens)
        if not perf_note:
            d["perf"], d["perf_why"] = perf_per_rt(exe, size["cg_n"])
            if d["perf_why"]:
                print("tables: %s %s: perf figures missing: %s" % (stack, v, d["perf_why"]), file=sys.stderr)
    subprocess.run(["rm", "-rf", work])
    print("tables: %s: %d rounds of every variant on each wire, interleaved" % (stack, size["rounds"]),
          file=sys.stderr)
    stats, res = timings(method, built, size)
    for (v, wire), st in stats.items():
        data[v][wire] = st["rt"]
        data[v][wire + "_proc"] = st["proc"]
    data["rounds"] = res
    data["path_names"] = profile_paths(args.build, profile)
    return stack, prog, profile, [v for v, _, _ in rows], data


def csv_rows(stack, order, data):
    for v in order:
        d = data[v]
        for g, geo in GEOMETRIES.items():
            row = {"stack": stack, "variant": v, "geometry": g,
                   "status": "built" if d["status"] == "built" else "not yet available"}
            if d["status"] == "built":
                c = d[g]
                row.update(instr_per_rt=c["Ir"], instr_client_per_rt=d["client"], i1_miss_per_rt=c["I1mr"],
                           d1_miss_per_rt=round(c["D1mr"] + c["D1mw"], 2),
                           ll_miss_per_rt=round(c["ILmr"] + c["DLmr"] + c["DLmw"], 2),
                           icpi=geo["icpi"], mcpi=round(c["mcpi"], 4), icache_unused=round(c["unused"], 4),
                           icache_lines=c["lines"], path_hot_bytes=sum(b for b, _ in d["paths"].values()),
                           path_hot_instr=sum(i for _, i in d["paths"].values()))
                for k, key in (("rt", "inproc"), ("rt_process", "process"), ("proc", "inproc_proc")):
                    for stat, col in (("mean", ""), ("sd", "_sd"), ("median", "_median"), ("q1", "_q1"),
                                      ("q3", "_q3")):
                        row[k + col + "_us"] = round(d[key][stat], 3)
                for e, k in zip(PERF_EVENTS, ["perf_instr_per_rt", "perf_cycles_per_rt", "perf_l1i_miss_per_rt"]):
                    if e in d.get("perf", {}):
                        row[k] = round(d["perf"][e], 1)
            yield row


def paper_figures(path):
    """{(table, stack, variant, column): (value, source)} from paper.csv."""
    figs = {}
    with open(path) as f:
        for r in csv.DictReader(f):
            figs[(r["table"], r["stack"], r["variant"], r["column"])] = (r["value"], r["source"])
    return figs


def md_stack(stack, prog, profile, order, data, figs, method_text, perf_note):
    paper = lambda t, v, c: figs.get((t, stack, v, c), ("", ""))[0]
    built = [v for v in order if data[v]["status"] == "built"]
    out = ["## %s (%s)" % (stack, prog), ""]
    na = lambda v: "not yet available (%s)" % data[v]["why"]

    out += ["### Table 2: round-trip time",
            "",
            "Method: %s. Each cell: the median of the rounds [interquartile range] and their mean ± "
            "standard deviation, µs; slower: the median of the per-round ratios to the fastest variant "
            "(by median) on that wire [their interquartile range], so a slow moment of the machine, which "
            "weighs on every variant of a round, cancels. Read ratios and the spread, not single "
            "figures." % method_text,
            "",
            "| variant | %s (µs) | mean ± sd | slower | %s (µs) | mean ± sd | slower | paper (µs) |" % (
                WIRES[0][1], WIRES[1][1]),
            "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |"]
    best = {w: min(built, key=lambda v: data[v][w]["median"]) for w, _ in WIRES}
    for v in order:
        if v not in built:
            out.append("| %s | %s | | | | | | %s |" % (v, na(v), paper("2", v, "rt_us")))
            continue
        cells = []
        for w, _ in WIRES:
            t, r = data[v][w], ab.summary(ab.paired(data["rounds"], v, best[w], w))
            cells += ["%.3f [%.3f–%.3f]" % (t["median"], t["q1"], t["q3"]), "%.3f ± %.3f" % (t["mean"], t["sd"]),
                      "%+.1f%% [%+.1f–%+.1f]" % tuple(100 * (r[k] - 1) for k in ("median", "q1", "q3"))]
        out.append("| %s | %s | %s |" % (v, " | ".join(cells), paper("2", v, "rt_us")))
    out += ["", wall_goals(data, built), ""]

    for g, geo in GEOMETRIES.items():
        out += ["", "### Table 4 (%s): protocol processing" % g, "",
                "Processing: the client's protocol processing per round trip as the program reports it "
                "(cycle counter, in-process wire, median of the Table 2 rounds). Trace length: instructions "
                "per round trip of the measured loop, both hosts and the wire (callgrind, in-process wire, "
                "deterministic). Client: the client side's trace length, the paper's measure: instructions per "
                "round trip of the client host's process alone, between two host processes on the IPC kernel "
                "(callgrind.sh -c); it counts the client's stack, its driver, the ping loop and the IPC "
                "kernel's client half, less the IPC kernel's waiting (spinning, yielding, futex sleeps); not "
                "deterministic (that wire's clock is real: timers and the host loop's turns add work on a slow "
                "run; the smallest of 3 runs of each length; seen to move by 1.5%% on tcpip and 6%% on rpc on a "
                "loaded machine). Misses, iCPI and mCPI are the both-hosts loop's. Misses: "
                "callgrind's simulation of %s, per round trip (D1: reads + writes; LL: all). Cycle model: "
                "iCPI = %.1f (every instruction one issue, memory perfect); mCPI = (%d × (I1 + D1 read "
                "misses) + %d × LL read misses) / instructions, stores through a write buffer at no cost; "
                "the penalties are assumed, not measured." % (geo["what"], geo["icpi"], geo["l1_miss"], geo["mem"]),
                "",
                "| variant | processing (µs) | trace length, both hosts | client | I1 miss | D1 miss | LL miss | "
                "iCPI | mCPI | paper trace length (client) | paper mCPI |",
                "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |"]
        for v in order:
            if v not in built:
                out.append("| %s | %s | | | | | | | | %s | %s |" % (
                    v, na(v), paper("4", v, "instr"), paper("4", v, "mcpi_" + g)))
                continue
            c = data[v][g]
            out.append("| %s | %.3f | %.0f | %.0f | %.1f | %.1f | %.1f | %.2f | %.3f | %s | %s |" % (
                v, data[v]["inproc_proc"]["median"], c["Ir"], data[v]["client"], c["I1mr"], c["D1mr"] + c["D1mw"],
                c["ILmr"] + c["DLmr"] + c["DLmw"], geo["icpi"], c["mcpi"], paper("4", v, "instr"),
                paper("4", v, "mcpi_" + g)))
    out += ["", "### Table 4 (hardware): perf's counters", ""] + md_perf(order, built, data, perf_note)

    names = [n for n, _ in data["path_names"]]
    out += ["", "### Table 5: i-cache unused and the critical path", "",
            "Unused: of the bytes of the i-cache lines that the round trip's own code touches (the "
            "instructions whose callgrind count grows with the number of round trips; libc left out), "
            "the fraction never executed, with each geometry's line size (lines: how many). Paths: each "
            "path of %s (root and layers, hot parts, clones where olayout made them; PIN and ALL: the "
            "root, which holds the inlined path), static bytes / instructions; tables.csv sums "
            "them." % profile,
            "",
            "| variant | unused, 32-B lines | lines | unused, 64-B lines | lines | %s | paper unused | "
            "paper critical path (instructions) |" % " | ".join("path %s" % n for n in names),
            "| --- | ---: | ---: | ---: | ---: | %s---: | ---: |" % ("---: | " * len(names))]
    for v in order:
        if v not in built:
            out.append("| %s | %s | | | %s| %s | %s |" % (
                v, na(v), "| " * len(names), paper("5", v, "unused"), paper("5", v, "path_instr")))
            continue
        a, m = data[v]["alpha21064"], data[v]["modern"]
        out.append("| %s | %.1f%% | %d | %.1f%% | %d | %s | %s | %s |" % (
            v, 100 * a["unused"], a["lines"], 100 * m["unused"], m["lines"],
            " | ".join("%d / %d" % data[v]["paths"].get(n, (0, 0)) for n in names), paper("5", v, "unused"),
            paper("5", v, "path_instr")))
    out += ["", goals(data, built), ""]
    return out


def md_perf(order, built, data, perf_note):
    """Table 4's hardware figures, or why there are none."""
    if perf_note:
        return ["No hardware figures: %s." % perf_note]
    out = ["perf stat over the in-process wire, per round trip (runs of N and 2N round trips, the "
           "difference: start-up left out); tables.csv has them as perf_*.", "",
           "| variant | %s |" % " | ".join(PERF_EVENTS), "| --- |%s" % (" ---: |" * len(PERF_EVENTS))]
    for v in order:
        if v not in built:
            out.append("| %s | not yet available |%s" % (v, " |" * (len(PERF_EVENTS) - 1)))
            continue
        if data[v].get("perf_why"):
            out.append("| %s | missing: %s |%s" % (v, data[v]["perf_why"].replace("|", "\\|"), " |" * (len(PERF_EVENTS) - 1)))
            continue
        p = data[v].get("perf", {})
        out.append("| %s | %s |" % (v, " | ".join("%.1f" % p[e] if e in p else "not counted" for e in PERF_EVENTS)))
    return out


def wall_goals(data, built):
    """Issue #12's wall-clock goals as per-round ratios of this run."""
    parts = []
    for w, what in WIRES:
        for v, ref in (("ALL", "STD"), ("ALL", "PGO"), ("ALL", "BOLT"), ("ALL", "PGO+BOLT"), ("BAD", "STD"),
                       ("ALL+BOLT", "ALL")):
            if v not in built or ref not in built:
                parts.append("%s %s/%s: not yet available" % (w, v, ref))
                continue
            r = ab.paired(data["rounds"], v, ref, w)
            t = ab.summary(r)
            ci, p, word = ab.verdict(r)
            parts.append("%s %s/%s %.3f [%.3f–%.3f] (95%% CI %s), faster in %d of %d rounds (sign test p %.3f): %s" % (
                w, v, ref, t["median"], t["q1"], t["q3"], "%.3f–%.3f" % ci if ci else "none: too few rounds",
                sum(x < 1 for x in r), len(r), p, word))
    return ("Wall clock, per-round ratios [interquartile range] (goals: ALL faster than STD, PGO and BOLT; BAD "
            "slower than STD; the verdict: faster or slower when the 95% confidence interval of the median "
            "ratio leaves out 1, else tie): " + "; ".join(parts) + ".")


def goals(data, built):
    """Issue #12's goals as ratios of this run (alpha21064 I1 misses)."""
    i1 = {v: data[v]["alpha21064"]["I1mr"] for v in built}
    parts = []
    for v, ref, goal in (("ALL", "STD", "goal ≤ 0.5"), ("BAD", "STD", "goal ≥ 1.5"),
                         ("OUT", "STD", "< 1"), ("COL", "STD", ""), ("COL", "BOLT", "< 1"),
                         ("PGO", "STD", ""), ("BOLT", "STD", ""), ("PGO+BOLT", "STD", ""), ("ALL+BOLT", "ALL", "")):
        if v in i1 and ref in i1 and i1[ref] > 0:
            parts.append("%s/%s %.2f%s" % (v, ref, i1[v] / i1[ref], " (%s)" % goal if goal else ""))
        else:
            parts.append("%s/%s: %s not yet available" % (v, ref, v if v not in i1 else ref))
    return "alpha21064 I1 misses per round trip, as ratios: " + "; ".join(parts) + "."


def main():
    ap = ArgumentParser(description="The paper's Tables 2, 4 and 5 over the built variants.")
    ap.add_argument("--full", action="store_true", help="the full run (%d rounds of %d round trips a run)" % (
        SIZES["full"]["rounds"], SIZES["full"]["rt_n"]["inproc"]))
    ap.add_argument("--smoke", action="store_true",
                    help="the smallest run: the harness's structure for the tests, figures meaningless")
    ap.add_argument("--build", default="build", help="the build folder (default build)")
    ap.add_argument("--results", default="bench/results", help="where the tables go (default bench/results)")
    ap.add_argument("lists", nargs="+", metavar="LIST", help="a stack's variants.list")
    args = ap.parse_args()
    size = SIZES["full" if args.full else "smoke" if args.smoke else "quick"]
    try:
        method = ab.Method()
    except ab.Failure as e:
        die(str(e))
    method_text = method.describe(size["rounds"], size["rt_n"])
    perf_note = perf_missing()
    figs = paper_figures("bench/variants/paper.csv")
    # where the tables go must take them before the run, not after it
    try:
        os.makedirs(args.results, exist_ok=True)
    except OSError as e:
        die("%s: %s" % (args.results, e.strerror))
    if not os.access(args.results, os.W_OK):
        die("%s: not writable" % args.results)
    start = datetime.datetime.utcnow()
    md = ["# The variants side by side: Mosberger et al.'s Tables 2, 4 and 5", "",
          "`make tables%s` at %s UTC on %s (%d CPUs, load %s). Every figure below comes from that run; "
          "`tables.csv` holds them one row per stack, variant and cache geometry; the charts are "
          "`tables_STACK_*.png`. bench/variants/README.md says how to read them." % (
              " FULL=1" if args.full else " (smoke: figures meaningless)" if args.smoke else "", start.strftime("%Y-%m-%d %H:%M"), os.uname().nodename,
              os.cpu_count(), " ".join("%.1f" % x for x in os.getloadavg())), ""]
    rows = []
    stacks = []
    files = {}  # name in args.results -> its text, written at the end
    for path in args.lists:
        stack, prog, profile, order, data = measure_stack(args, path, size, method, perf_note)
        stacks.append((stack, prog, profile, order, data))
        rows += list(csv_rows(stack, order, data))
    md += ["| variant | what it is |", "| --- | --- |"]
    md += ["| %s | %s |" % (v, DESCRIPTIONS[v]) for v in stacks[0][3]]
    md += ["", "The paper's own figures (reference columns) come from bench/variants/paper.csv, with "
           "their source; %s" % paper_note(figs), ""] + paper_sources(figs)
    for stack, prog, profile, order, data in stacks:
        md += md_stack(stack, prog, profile, order, data, figs, method_text, perf_note)
        files["tables_%s.csv" % stack] = plot_data(order, data)
    md.append("Run took %d s; load at the end %s." % ((datetime.datetime.utcnow() - start).total_seconds(),
                                                     " ".join("%.1f" % x for x in os.getloadavg())))
    files["tables.md"] = "\n".join(md) + "\n"
    out = io.StringIO(newline="")
    w = csv.DictWriter(out, fieldnames=CSV_FIELDS)
    w.writeheader()
    w.writerows(rows)
    files["tables.csv"] = out.getvalue()
    write_all(args.results, files)
    print("\n".join(md))


def write_all(folder, files):
    """Each file whole or not at all: every one goes to a temporary file
    first, and only when all are written do they replace the old ones; on
    failure no temporary file is left."""
    tmp = {name: os.path.join(folder, ".%s.tmp" % name) for name in files}
    try:
        for name, text in files.items():
            with open(tmp[name], "w", newline="") as f:
                f.write(text)
        for name in files:
            os.replace(tmp[name], os.path.join(folder, name))
    except OSError as e:
        for t in tmp.values():
            if os.path.exists(t):
                os.remove(t)
        # os.replace names the temporary file first, the one it replaces second
        die("%s: %s" % (e.filename2 or e.filename or folder, e.strerror))


def paper_note(figs):
    if figs:
        return ("%d figures entered, each one the paper's as an issue of this project quotes it: the paper's "
                "tables are in no source this project could consult (only its abstract, "
                "www2.cs.arizona.edu/projects/scout/Papers/sigcomm96: the techniques reduce the mCPI by a factor "
                "of 1.35 to 5.8). The other cells stay empty rather than guessed. The paper ran on a DEC Alpha "
                "(21064): compare ratios among its rows with ratios among ours, not the counts." % len(figs))
    return ("none is entered yet: the paper's tables are in no source this project could consult "
            "(only its abstract, www2.cs.arizona.edu/projects/scout/Papers/sigcomm96: the techniques reduce the "
            "mCPI by a factor of 1.35 to 5.8), so those "
            "cells stay empty rather than guessed.")


def paper_sources(figs):
    """One line per entered figure: where it is shown and its source."""
    if not figs:
        return []
    out = ["| table | stack | variant | column | paper | source |", "| --- | --- | --- | --- | ---: | --- |"]
    for (t, stack, v, c), (value, source) in sorted(figs.items()):
        out.append("| %s | %s | %s | %s | %s | %s |" % (t, stack or "not stated", v, c, value, source))
    return out + [""]


def plot_data(order, data):
    """One line per variant: the figures the charts draw (empty when the row waits), as CSV text."""
    cols = ["variant", "rt_inproc", "rt_inproc_q1", "rt_inproc_q3", "rt_process", "rt_process_q1",
            "rt_process_q3", "i1_alpha21064", "i1_modern", "mcpi_alpha21064", "mcpi_modern",
            "unused_alpha21064", "unused_modern"]
    out = io.StringIO(newline="")
    w = csv.writer(out)
    w.writerow(cols)
    for v in order:
        d = data[v]
        if d["status"] != "built":
            w.writerow([v + " (not yet)"] + [""] * (len(cols) - 1))
            continue
        w.writerow([v] + [fmt(d[wire][k], 3) for wire in ("inproc", "process") for k in ("median", "q1", "q3")] +
                   [fmt(d[g]["I1mr"], 2) for g in GEOMETRIES] + [fmt(d[g]["mcpi"], 4) for g in GEOMETRIES] +
                   [fmt(100 * d[g]["unused"], 2) for g in GEOMETRIES])
    return out.getvalue()


if __name__ == "__main__":
    main()
