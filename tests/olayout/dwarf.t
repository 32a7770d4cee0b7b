#!/usr/bin/python3
"""DWARF stays consistent for moved code, and symbolizers name clones.

For every -g corpus executable (pie-gz: compressed DWARF): rewrite it with its own functions in reverse
order, then rewrite the output again in a seeded random order. In both
outputs, addr2line (-f -i: function, inline chain, file:line) at every
other byte of every moved function and fragment says what it says at the
same offset of the original; the rewrite prints no warning. The same for
a generated PIE whose DWARF is bigger than its code's addresses. Layers with
its push path cloned: addr2line -f names each clone, and the rewrite warns
that clones have no DWARF (no file:line for them). With perf
installed and usable, `perf report` on a program that spends its time in a
clone names the clone (skipped with the reason otherwise).

OLAYOUT_TEST_SEED (default 6) seeds the random layout."""
import os
import shutil
import subprocess
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import mklayout  # noqa: E402
import oltest  # noqa: E402

G_CONFIGS = ("nopie-g", "pie-g", "static-g", "static-cet", "pie-gz")
HERE = os.path.dirname(os.path.abspath(__file__))
MKBIG = os.path.join(HERE, "..", "..", "bench", "olayout", "mkbig.py")


def symbolize(exe, addrs):
    """{addr: [line of addr2line -f -i output...]} for ADDRS in EXE."""
    res = subprocess.run(["addr2line", "-a", "-f", "-i", "-e", exe],
                         input="".join("%#x\n" % a for a in addrs),
                         capture_output=True, text=True, check=True)
    out, cur = {}, None
    for line in res.stdout.splitlines():
        if line.startswith("0x") and len(line) == 18:
            cur = out.setdefault(int(line, 16), [])
        else:
            # discriminators differ with nothing wrong; keep name and file:line
            cur.append(line.split(" (discriminator")[0])
    return out


def rewrite(work, name, exe, lines):
    layout, out = os.path.join(work, name + ".layout"), os.path.join(work, name)
    with open(layout, "w") as f:
        f.write("\n".join(lines) + "\n")
    res = oltest.olayout("rewrite", "--layout", layout, "-o", out, exe)
    if res.rc != 0:
        return None, "olayout rewrite --layout %s -o %s %s: %s" % (layout, out, exe, oltest.describe(res))
    warn = [l for l in res.err.decode(errors="replace").splitlines() if "warning" in l]
    return out, "; ".join(warn) or None


def line_problems(orig, out, funcs):
    """Where OUT's addr2line differs from ORIG's, unit by unit, offset by offset."""
    before = {s.name: s for s in mklayout.units(orig, funcs)}
    after = {s.name: s for s in mklayout.func_symbols(out)}
    pairs = []
    for name, s in before.items():
        if name not in after:
            return ["%s: no symbol in %s" % (name, out)]
        pairs += [(s.addr + k, after[name].addr + k, name) for k in range(0, s.size, 2)]
    if not any(a != b for a, b, _ in pairs):
        return ["nothing moved"]
    want = symbolize(orig, [a for a, _, _ in pairs])
    got = symbolize(out, [b for _, b, _ in pairs])
    problems = ["%s+%#x: addr2line says %s at %#x, was %s at %#x" % (name, a - before[name].addr,
                                                                   got.get(b), b, want.get(a), a)
                for a, b, name in pairs if got.get(b) != want.get(a)]
    if all("??" in "".join(v) for v in want.values()):
        problems.append("%s has no line information to compare" % orig)
    return problems[:5] + (["(%d more)" % (len(problems) - 5)] if len(problems) > 5 else [])


def check_moved(tap, prog, config, exe, seed):
    funcs = mklayout.read_funcs(oltest.funcs_file(prog))
    work = oltest.workdir("dwarf-%s.%s" % (prog, config))
    good = True
    out1, warn = rewrite(work, "reverse", exe, mklayout.reverse_layout(exe, funcs))
    steps = [("reverse", out1, warn)]
    if out1:
        out2, warn = rewrite(work, "random", out1, mklayout.random_layout(out1, funcs, seed))
        steps.append(("reverse, then random (seed %d)" % seed, out2, warn))
    for what, out, warn in steps:
        problems = line_problems(exe, out, funcs) if out else [warn]
        if out and warn:
            problems.append("unexpected warning: " + warn)
        good &= not problems
        tap.ok(not problems, "%s.%s %s: addr2line -f -i on moved code as on the original"
               % (prog, config, what), "\n".join(problems))
    if good:
        shutil.rmtree(work)


def check_big_debug(tap):
    """A PIE whose DWARF sections are bigger than its code's addresses, so
    offsets into .debug_str, .debug_rnglists... look like code addresses
    (they must not move with the code): bench/olayout/mkbig.py, 400
    functions, -g."""
    work = oltest.workdir("dwarf-bigdebug")
    subprocess.run([MKBIG, work, "400", "--per-file", "100"], check=True)
    exe = os.path.join(work, "big")
    srcs = sorted(os.path.join(work, f) for f in os.listdir(work) if f.endswith(".c"))
    subprocess.run(["gcc", "-O2", "-g", "-fpie", "-pie", "-ffunction-sections", "-Wl,--emit-relocs",
                    "-o", exe] + srcs, check=True)
    funcs = {s.name for s in mklayout.func_symbols(exe) if s.name.startswith(("big_", "main"))}
    code_start = min(s.addr for s in mklayout.func_symbols(exe) if s.name in funcs)
    out, warn = rewrite(work, "reverse", exe, mklayout.reverse_layout(exe, funcs))
    problems = line_problems(exe, out, funcs) if out else [warn]
    if debug_size(exe, ".debug_info") <= code_start:
        problems.append(".debug_info is smaller than the code's addresses: the case is not tested")
    tap.ok(not problems, "mkbig -g PIE (DWARF offsets overlap code addresses): addr2line -f -i on "
           "moved code as on the original", "\n".join(problems))
    if not problems:
        shutil.rmtree(work)


def debug_size(exe, name):
    out = subprocess.run(["readelf", "-SW", exe], capture_output=True, text=True, check=True).stdout
    for line in out.splitlines():
        f = line.replace("[ ", "[").split()
        if len(f) > 5 and f[1] == name:
            return int(f[5], 16)
    return 0


def check_clone_names(tap, config, exe):
    path, chain = oltest.clone_path("layers")
    funcs = mklayout.read_funcs(oltest.funcs_file("layers"))
    work = oltest.workdir("dwarf-clones-" + config)
    out, err = rewrite(work, "clones", exe, mklayout.clone_layout(exe, chain, path, funcs))
    problems = [err] if out is None else []
    if out and "clones have no DWARF" not in (err or ""):
        problems.append("no warning that the clones have no DWARF: %r" % err)
    if out:
        syms = {s.name: s for s in mklayout.func_symbols(out)}
        clones = [fn + ".clone." + path for fn in chain[1:]]
        addrs = {c: syms[c].addr + syms[c].size // 2 for c in clones if c in syms}
        problems += ["%s: no symbol" % c for c in clones if c not in syms]
        names = symbolize(out, addrs.values())
        problems += ["%s: addr2line -f says %s" % (c, names.get(a)) for c, a in addrs.items()
                     if not names.get(a) or names[a][0] != c]
    tap.ok(not problems, "layers.%s: addr2line -f names every clone" % config, "\n".join(problems))
    if not problems:
        shutil.rmtree(work)


def perf_problem(tap):
    """perf report names the clone a program spends its time in."""
    work = oltest.workdir("dwarf-perf")
    exe = os.path.join(work, "spin")
    subprocess.run(["gcc", "-O2", "-g", "-ffunction-sections", "-Wl,--emit-relocs", "-o", exe,
                    os.path.join(HERE, "perf_spin.c")], check=True)
    out, err = rewrite(work, "spin.out", exe, ["olayout-layout 1", "clone spin hot",
                                               "route main spin hot"])
    if out is None:
        return err
    data = os.path.join(work, "perf.data")
    res = oltest.run(["perf", "record", "-q", "-e", "cpu-clock", "-o", data, out], timeout=60)
    if res.rc != 0:
        return "skip: perf record does not work here: " + oltest.describe(res)
    rep = oltest.run(["perf", "report", "-i", data, "--stdio", "--sort", "sym"], timeout=60)
    top = [l.split("] ", 1)[-1].strip() for l in rep.out.decode(errors="replace").splitlines()
           if l.strip() and not l.startswith("#")]
    if not top or top[0] != "spin.clone.hot":
        return "perf report --sort sym: top symbol %r, want spin.clone.hot" % (top[:3],)
    shutil.rmtree(work)
    return None


def main():
    oltest.need_olayout()
    oltest.need_tool("addr2line", "perf")
    tap = oltest.Tap()
    builds = [(p, c, e) for p, c, e in oltest.corpus() if c in G_CONFIGS]
    if {c for _, c, _ in builds} != set(G_CONFIGS):
        oltest.fail("corpus built in %s (tests/olayout/module.mk)" % ", ".join(G_CONFIGS))
    seed = int(os.environ.get("OLAYOUT_TEST_SEED", "6"))
    for prog, config, exe in builds:
        check_moved(tap, prog, config, exe, seed)
    check_big_debug(tap)
    for prog, config, exe in builds:
        if prog == "layers":
            check_clone_names(tap, config, exe)
    problem = perf_problem(tap)
    skip = problem[6:] if problem and problem.startswith("skip: ") else None
    tap.ok(skip or not problem, "perf report names a clone", problem, skip=skip)
    return tap.done()


if __name__ == "__main__":
    sys.exit(main())
