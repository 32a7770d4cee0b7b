#!/usr/bin/python3
"""olayout paths: a profile (profiles/README.md) mapped onto an executable.

On the corpus program `layers` (its push chain, corpus/layers/clone.path)
with a profile written here: every root and layer, library function and
fragment size agrees with the symbol table (readelf -s), the path's hot and
cold totals are their sums, the i-cache line counts agree with a count made
here; after `olayout rewrite` cloning the chain, each layer lists its clone
(address, size, cold fragment) for that path only and the line count follows
the clones. A function missing from EXE is one warning (exit 0), with
--strict one error line (exit 1). Malformed profiles of several kinds and a
missing file give one line `olayout: FILE[:LINE]: problem` and exit 1.
Without EXE: the paths and library marks as the parser reads them (the
scripts' way to read the format), text and JSON.
On the x-kernel: tcpping built from the stack with -ffunction-sections
-Wl,--emit-relocs (profiles/xk_build.sh, without and with the plugin's
outlining) against profiles/tcpping.prof: the path's hot size equals
plugin/hot_bytes.sh (the harness's figure) and outlining moves bytes to .cold.
"""
import json
import os
import re
import shutil
import subprocess
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import mklayout  # noqa: E402
import oltest  # noqa: E402

# tiny: 4 sets of 2 ways, so the path overfills some (sets-over-assoc > 0)
CACHES = [("alpha", 8192, 1, 32), ("modern", 32768, 8, 64), ("tiny", 256, 2, 32)]
LIBRARY = ["msg_sum", "msg_push_header"]


def profile_text(path, chain, extra=""):
    lines = ["olayout-profile 1"]
    lines += ["cache %s %d %d %d" % c for c in CACHES]
    lines.append("path %s %s" % (path, " ".join(chain)))
    lines.append("path other %s" % " ".join(chain))
    lines += ["library %s" % fn for fn in LIBRARY]
    return "\n".join(lines) + "\n" + extra


def write(work, name, text):
    f = os.path.join(work, name)
    with open(f, "w") as fh:
        fh.write(text)
    return f


def footprint(ranges, size, assoc, line):
    """(lines, sets over assoc) of the code ranges [(addr, size)]."""
    ls = {i for a, n in ranges for i in range(a // line, (a + n - 1) // line + 1)}
    nsets = size // (assoc * line)
    per = {}
    for i in ls:
        per[i % nsets] = per.get(i % nsets, 0) + 1
    return len(ls), sum(1 for c in per.values() if c > assoc)


def cold_of(syms, name, clone=""):
    """Bytes of name's .cold fragments (of its clone for path clone)."""
    tail = r"\.clone\." + re.escape(clone) if clone else ""
    return sum(s.size for n, s in syms.items()
               if re.fullmatch(re.escape(name) + r"\.cold(\.\d+)?" + tail, n))


def run_json(prof, exe):
    res = oltest.olayout("paths", "--json", "--profile", prof, exe)
    try:
        return res, json.loads(res.out)
    except ValueError as e:
        return res, {"error": str(e)}


def member_problems(m, syms, path, cloned):
    """A member entry against the symbols; cloned: whether it must list its
    clone for path."""
    s = syms.get(m.get("name"))
    cold = cold_of(syms, m.get("name"))
    problems = []
    if s is None or not m.get("found") or m.get("symbol") != s.name or \
            (m.get("addr"), m.get("hot"), m.get("cold")) != (s.addr, s.size, cold):
        problems.append("%s: listed %s, symbol %s cold %d" % (m.get("name"), m, s, cold))
    cname = "%s.clone.%s" % (m.get("name"), path)
    want = [{"symbol": cname, "addr": syms[cname].addr, "hot": syms[cname].size,
             "cold": cold_of(syms, m["name"], path)}] if cloned else []
    if m.get("clones") != want:
        problems.append("%s: clones %s, want %s" % (m.get("name"), m.get("clones"), want))
    return problems


def check_report(rep, syms, chain, path, cloned_path):
    """Problems of a paths --json report on a file with symbols syms, whose
    chain[1:] were cloned for cloned_path (or None)."""
    problems = []
    paths = {p["name"]: p for p in rep.get("paths", [])}
    for pname in (path, "other"):
        p = paths.get(pname)
        if p is None:
            problems.append("no path %s in %s" % (pname, rep))
            continue
        mem = p.get("members", [])
        if [m.get("name") for m in mem] != chain or [m.get("role") for m in mem] != \
                ["root"] + ["layer"] * (len(chain) - 1):
            problems.append("%s: members %s" % (pname, [(m.get("role"), m.get("name")) for m in mem]))
            continue
        for i, m in enumerate(mem):
            problems += member_problems(m, syms, pname, i > 0 and pname == cloned_path)
        hot = sum(syms[fn].size for fn in chain)
        cold = sum(cold_of(syms, fn) for fn in chain)
        if (p.get("hot"), p.get("cold"), p.get("functions")) != (hot, cold, len(chain)):
            problems.append("%s: hot %s cold %s functions %s, want %d %d %d" % (
                pname, p.get("hot"), p.get("cold"), p.get("functions"), hot, cold, len(chain)))
        tail = ".clone." + pname if pname == cloned_path else ""
        run = [chain[0]] + [fn + tail for fn in chain[1:]]
        ranges = [(syms[fn].addr, syms[fn].size) for fn in run]
        want = [{"name": c[0], "line": c[3], "lines": footprint(ranges, *c[1:])[0],
                 "sets_over_assoc": footprint(ranges, *c[1:])[1]} for c in CACHES]
        if p.get("caches") != want:
            problems.append("%s: caches %s, want %s" % (pname, p.get("caches"), want))
    lib = rep.get("library", [])
    got = [(l.get("name"), l.get("addr"), l.get("hot"), l.get("cold")) for l in lib]
    want = [(fn, syms[fn].addr, syms[fn].size, cold_of(syms, fn)) for fn in LIBRARY]
    if got != want:
        problems.append("library %s, want %s" % (got, want))
    return problems


def text_problems(prof, exe, rep):
    """The text form says what the JSON says."""
    res = oltest.olayout("paths", "--profile", prof, exe)
    lines = res.out.decode().splitlines()
    want = ["path %s hot %d cold %d functions %d" % (p["name"], p["hot"], p["cold"], p["functions"])
            for p in rep["paths"]]
    want += ["  cache %s line %d lines %d sets-over-assoc %d" % (
        c["name"], c["line"], c["lines"], c["sets_over_assoc"]) for c in rep["paths"][0]["caches"]]
    m = rep["paths"][0]["members"][-1]
    clones = "".join(" clone %s %#x %d cold %d" % (c["symbol"], c["addr"], c["hot"], c["cold"])
                     for c in m["clones"])
    want.append("  layer %s %s %#x %d cold %d%s" % (
        m["name"], m["symbol"], m["addr"], m["hot"], m["cold"], clones))
    missing = [w for w in want if w not in lines]
    if res.rc != 0 or missing:
        return ["text form lacks %s: %s\n%s" % (missing, oltest.describe(res), res.out.decode()[:2000])]
    return []


def report_problems(prof, exe, chain, path, cloned_path):
    """paths --json and the text form on exe against its symbols."""
    syms = {s.name: s for s in mklayout.func_symbols(exe)}
    res, rep = run_json(prof, exe)
    if res.rc != 0 or res.err != b"":
        return ["olayout paths --json: %s" % oltest.describe(res)]
    return check_report(rep, syms, chain, path, cloned_path) or text_problems(prof, exe, rep)


def check_layers(tap, config, exe):
    name = "layers.%s" % config
    work = oltest.workdir("paths-" + config)
    path, chain = oltest.clone_path("layers")
    prof = write(work, "p.prof", profile_text(path, chain))
    problems = report_problems(prof, exe, chain, path, None)
    tap.ok(not problems, "%s: sizes, fragments, totals and i-cache lines agree with the symbols" % name,
           "\n".join(problems))

    layout = write(work, "clone.layout", "\n".join(mklayout.clone_layout(exe, chain, path)) + "\n")
    out = os.path.join(work, "out")
    rw = oltest.olayout("rewrite", "--layout", layout, "-o", out, exe)
    if rw.rc != 0:
        tap.ok(False, "%s: after a rewrite with clones" % name, oltest.describe(rw))
        return
    problems = report_problems(prof, out, chain, path, path)
    tap.ok(not problems, "%s: after a rewrite, each layer lists its clone for path %s only, "
           "lines follow the clones" % (name, path), "\n".join(problems))
    if not problems:
        shutil.rmtree(work)


def one_line(res, pattern, rc=1):
    err = res.err.decode(errors="replace")
    return (res.rc == rc and res.out == b"" and len(err.splitlines()) == 1
            and re.fullmatch(pattern, err.strip()))


def check_missing(tap, exe):
    work = oltest.workdir("paths-missing")
    path, chain = oltest.clone_path("layers")
    prof = write(work, "m.prof", profile_text(path, chain[:2] + ["no_such_fn"] + chain[2:]))
    res = oltest.olayout("paths", "--profile", prof, exe)
    warn = ["olayout: warning: %s: path %s: layer 'no_such_fn' not in %s" % (prof, p, exe)
            for p in (path, "other")]
    good = (res.rc == 0 and res.err.decode().splitlines() == warn and
            "  layer no_such_fn missing" in res.out.decode().splitlines())
    tap.ok(good, "a function missing from EXE: one warning per path, listed as missing, exit 0",
           oltest.describe(res))
    res = oltest.olayout("paths", "--strict", "--profile", prof, exe)
    error = "olayout: %s: path %s: layer 'no_such_fn' not in %s" % (prof, path, exe)
    tap.ok(one_line(res, re.escape(error)),
           "with --strict it is one error line and exit 1", oltest.describe(res))
    shutil.rmtree(work)


# (what, profile text, line number the error must name)
MALFORMED = [
    ("no version header", "path p a b\n", 1),
    ("unsupported version", "olayout-profile 9\n", 1),
    ("unknown directive", "olayout-profile 1\n\nfrobnicate x\n", 3),
    ("path without a layer", "olayout-profile 1\npath p app_send\n", 2),
    ("bad symbol name", "olayout-profile 1\nlibrary 9lives\n", 2),
    ("cache line not a power of two", "olayout-profile 1\ncache c 8192 1 48\n", 2),
    ("edge given twice", "olayout-profile 1\nedge a b 1\nedge a b 2\n", 3),
    ("count out of range", "olayout-profile 1\nedge a b 99999999999999999999999\n", 2),
    ("library function on a path", "olayout-profile 1\nlibrary ip_push\npath p app_send ip_push\n", 3),
    ("extra field", "olayout-profile 1\ncold-function f g\n", 2),
]


def check_malformed(tap, exe):
    work = oltest.workdir("paths-malformed")
    for what, text, line in MALFORMED:
        prof = write(work, "bad.prof", text)
        res = oltest.olayout("paths", "--profile", prof, exe)
        tap.ok(one_line(res, r"olayout: %s:%d: \S.*" % (re.escape(prof), line)),
               "malformed profile (%s): one line naming %s:%d, exit 1" % (what, "bad.prof", line),
               oltest.describe(res))
    gone = os.path.join(work, "gone.prof")
    res = oltest.olayout("paths", "--profile", gone, exe)
    tap.ok(one_line(res, r"olayout: %s: \S.*" % re.escape(gone)),
           "missing profile: one line naming it, exit 1", oltest.describe(res))
    prof = write(work, "ok.prof", "olayout-profile 1\n")
    res = oltest.olayout("paths", "--profile", prof, gone)
    tap.ok(one_line(res, r"olayout: %s: \S.*" % re.escape(gone)),
           "missing EXE: one line naming it, exit 1", oltest.describe(res))
    bad = [oltest.olayout("paths", exe), oltest.olayout("paths", "--profile"),
           oltest.olayout("paths", "--frob", "--profile", prof, exe)]
    tap.ok(all(r.rc == 2 and r.out == b"" and len(r.err.splitlines()) == 2 for r in bad),
           "bad command lines: exit 2 with the usage hint", "\n".join(oltest.describe(r) for r in bad))
    helps = oltest.olayout("--help"), oltest.olayout("paths", "--help")
    tap.ok(b"paths" in helps[0].out and helps[1].out.startswith(b"usage: olayout paths") and
           helps[0].rc == helps[1].rc == 0, "olayout --help lists paths; paths --help",
           "\n".join(oltest.describe(r) for r in helps))
    shutil.rmtree(work)


def check_names(tap):
    """Without EXE: the paths and library marks as the profile names them,
    read by the parser (comments, a `#` right after a name, blank lines, a
    dispatcher named twice), text and JSON; a malformed profile is still
    its one line, and --strict, which needs EXE, a bad command line."""
    work = oltest.workdir("paths-names")
    prof = write(work, "names.prof", "olayout-profile 1\n# the send path\n\npath send a xpush b# c d\n"
                 "path recv e f xpush g  # h\nlibrary l1 # l2\n")
    res = oltest.olayout("paths", "--profile", prof)
    want = "profile %s\npath send\n  root a\n  layer xpush\n  layer b\npath recv\n  root e\n  layer f\n" \
           "  layer xpush\n  layer g\nlibrary l1\n" % prof
    tap.ok(res.rc == 0 and res.err == b"" and res.out.decode() == want,
           "no EXE: each path's root and layers and the library marks as the profile names them",
           oltest.describe(res))
    res = oltest.olayout("paths", "--json", "--profile", prof)
    got = json.loads(res.out) if res.rc == 0 else None
    tap.ok(got == {"profile": prof, "file": None, "library": [{"role": "library", "name": "l1"}],
                   "paths": [{"name": "send", "members": [{"role": "root", "name": "a"}] +
                              [{"role": "layer", "name": n} for n in ("xpush", "b")]},
                             {"name": "recv", "members": [{"role": "root", "name": "e"}] +
                              [{"role": "layer", "name": n} for n in ("f", "xpush", "g")]}]},
           "no EXE, --json: the same as one object", oltest.describe(res))
    bad = write(work, "bad.prof", "olayout-profile 1\npath p a#x b\n")
    res = oltest.olayout("paths", "--profile", bad)
    tap.ok(one_line(res, r"olayout: %s:2: \S.*" % re.escape(bad)),
           "no EXE, a malformed profile (a path left without a layer by a comment): one line naming bad.prof:2",
           oltest.describe(res))
    res = oltest.olayout("paths", "--strict", "--profile", prof)
    tap.ok(res.rc == 2 and res.out == b"" and len(res.err.splitlines()) == 2,
           "--strict without EXE: a bad command line, exit 2", oltest.describe(res))
    shutil.rmtree(work)


def xk_build(variant, work):
    """tcpping from the x-kernel's sources, kept relocations; path or None."""
    env = dict(os.environ, BUILD=oltest.BUILD, CC="gcc -ffunction-sections -Wl,--emit-relocs")
    d = os.path.join(work, variant)
    r = subprocess.run(["profiles/xk_build.sh", variant, d], env=env, capture_output=True, timeout=600)
    return os.path.join(d, "tcpping") if r.returncode == 0 else None


def check_xkernel(tap):
    prof = "profiles/tcpping.prof"
    installed = os.path.join(oltest.BUILD, "bin", "tcpping")
    res = oltest.olayout("paths", "--profile", prof, installed)
    relocs = ".rela.text" in mklayout.tool_output(["readelf", "-SW", installed])
    tap.ok(res.rc == 0 if relocs else one_line(res, r"olayout: .*--emit-relocs"),
           "%s: %s" % (installed, "paths works" if relocs else
                       "linked without --emit-relocs, refused with the flag to add"),
           oltest.describe(res))
    work = oltest.workdir("paths-xkernel")
    with open(prof) as f:
        chain = next(l.split()[2:] for l in f if l.startswith("path "))
    seen = {}
    for variant in ("STD", "OUT"):
        exe = xk_build(variant, work)
        if exe is None:
            tap.ok(False, "x-kernel tcpping %s builds with --emit-relocs" % variant)
            continue
        res, rep = run_json(prof, exe)
        p = rep.get("paths", [{}])[0]
        # the members olayout found; one GCC inlined is in none of the two
        found = [m["name"] for m in p.get("members", []) if m["found"]]
        want = int(mklayout.tool_output(["plugin/hot_bytes.sh", exe] + found)) if found else -1
        seen[variant] = p
        tap.ok(res.rc == 0 and p.get("hot") == want and len(p.get("caches", [])) == 2,
               "x-kernel tcpping %s: path %s hot %s bytes = plugin/hot_bytes.sh %d" % (
                   variant, p.get("name"), p.get("hot"), want), oltest.describe(res))
    if len(seen) == 2:
        std, out = seen["STD"], seen["OUT"]
        tap.ok(out["hot"] < std["hot"] and out["cold"] > std["cold"],
               "x-kernel: outlining moved path bytes to .cold (hot %d -> %d, cold %d -> %d)" % (
                   std["hot"], out["hot"], std["cold"], out["cold"]))
        for v in ("STD", "OUT"):
            tap.diag("tcpping %s: path hot %d cold %d, lines %s" % (
                v, seen[v]["hot"], seen[v]["cold"],
                ", ".join("%s %d" % (c["name"], c["lines"]) for c in seen[v]["caches"])))
        shutil.rmtree(work)


def main():
    oltest.need(oltest.OLAYOUT, os.path.join(oltest.BUILD, "bin", "tcpping"),
                os.path.join(oltest.BUILD, "plugin", "olayout.so"))
    builds = {c: e for p, c, e in oltest.corpus() if p == "layers"}
    tap = oltest.Tap()
    for config in ("nopie", "pie", "static"):
        check_layers(tap, config, builds[config])
    check_missing(tap, builds["pie"])
    check_malformed(tap, builds["pie"])
    check_names(tap)
    check_xkernel(tap)
    return tap.done()


if __name__ == "__main__":
    sys.exit(main())
