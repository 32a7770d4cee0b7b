#!/usr/bin/python3
"""The clone table and its runtime API (tools/olayout/olayout_clone.h).

The clonetab program looks its operations' function pointers up for the path
"fast" with ol_clone_lookup. After a rewrite that clones op_add and op_mix
for "fast" (and routes op_mix's direct calls to op_add's clone), the program
binds those two pointers to the clones and op_mul to itself, prints the same
results, and `olayout info --json` lists both clones with their path and the
addresses of the original and the copy."""
import json
import os
import shutil
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import mklayout  # noqa: E402
import oltest  # noqa: E402

PATH = "fast"
CLONED = ("op_mix", "op_add")


def layout_lines(exe):
    names = {s.name for s in mklayout.func_symbols(exe)}
    lines = ["olayout-layout 1"]
    for fn in CLONED:
        lines.append("clone %s %s" % (fn, PATH))
        lines += ["clone %s %s" % (n, PATH) for n in sorted(names) if n.startswith(fn + ".cold")]
    lines.append("route op_mix op_add %s" % PATH)
    return lines


def split_report(out):
    lines = out.decode(errors="replace").splitlines()
    return [l for l in lines if ": " in l], [l for l in lines if ": " not in l]


def check(tap, config, exe):
    name = "clonetab.%s" % config
    work = oltest.workdir("clonetab-" + config)
    layout, out = os.path.join(work, "layout"), os.path.join(work, "out")
    lines = layout_lines(exe)
    with open(layout, "w") as f:
        f.write("\n".join(lines) + "\n")
    env_run = ["env", "CLONETAB_REPORT=1"]
    before = oltest.run(env_run + [exe])
    res = oltest.olayout("rewrite", "--layout", layout, "-o", out, exe)
    if res.rc != 0:
        for what in ("rewrite and verify", "pointers bound to clones", "info --json clone table"):
            tap.ok(False, "%s: %s" % (name, what), "olayout rewrite --layout %s -o %s %s: %s"
                   % (layout, out, exe, oltest.describe(res)))
        return
    problems = oltest.check_placement(lines, exe, out)
    ver = oltest.olayout("verify", out)
    if ver.rc != 0:
        problems.append("olayout verify %s: %s" % (out, oltest.describe(ver)))
    tap.ok(not problems, "%s: rewrite, placement, routes, verify" % name, "\n".join(problems))

    after = oltest.run(env_run + [out])
    want = ["add: clone", "mul: original", "mix: clone"]
    report, results = split_report(after.out)
    report0, results0 = split_report(before.out)
    good = (report0 == ["add: original", "mul: original", "mix: original"] and report == want
            and results == results0 and after.rc == before.rc)
    tap.ok(good, "%s: ol_clone_lookup binds add and mix to clones, same results" % name,
           "before: %s exit %s\nafter: %s exit %s (results %s)" % (
               report0, before.rc, report, after.rc, "same" if results == results0 else "differ"))

    info = oltest.olayout("info", "--json", out)
    syms = {s.name: s for s in mklayout.func_symbols(out)}
    problems = []
    try:
        clones = {c["name"]: c for c in json.loads(info.out)["clones"]}
    except (ValueError, KeyError, TypeError) as e:
        clones = {}
        problems.append("olayout info --json %s: %s; %s" % (out, e, oltest.describe(info)))
    for fn in CLONED:
        cname = "%s.clone.%s" % (fn, PATH)
        c = clones.get(cname)
        if c is None:
            problems.append("%s not in the clone table" % cname)
        elif (c.get("path") != PATH or c.get("orig") != syms[fn].addr
              or cname not in syms or c.get("clone") != syms[cname].addr):
            problems.append("%s: table entry %s, symbols %#x and %s" % (
                cname, c, syms[fn].addr, hex(syms[cname].addr) if cname in syms else "none"))
    tap.ok(not problems, "%s: info --json lists both clones with path and addresses" % name,
           "\n".join(problems))
    if not problems and good:
        shutil.rmtree(work)


def main():
    oltest.need_olayout()
    builds = {c: e for p, c, e in oltest.corpus() if p == "clonetab"}
    tap = oltest.Tap()
    for config in ("nopie", "pie", "static", "pie-cet"):
        check(tap, config, builds[config])
    return tap.done()


if __name__ == "__main__":
    sys.exit(main())
