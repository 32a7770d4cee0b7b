#!/usr/bin/python3
"""Every corpus program x configuration x layout (reverse, seeded random,
clone of a call chain): olayout rewrite, the placement is the one asked for
(order, alignment, padding, clones and their routed calls), olayout verify
passes, the program prints the same and exits the same; then the output is
rewritten again (reverse order, clones included) and checked the same way.

Environment: OLAYOUT_TEST_SEED (default 6) seeds the random layouts and the
sampling; OLAYOUT_REWRITE_CASES=N runs a seeded sample of N cases."""
import os
import shutil
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import mklayout  # noqa: E402
import oltest  # noqa: E402

LAYOUTS = ("reverse", "random", "clone")
HERE = os.path.relpath(os.path.dirname(os.path.abspath(__file__)))


def make_layout(kind, prog, exe, funcs, seed):
    if kind == "reverse":
        return mklayout.reverse_layout(exe, funcs)
    if kind == "random":
        return mklayout.random_layout(exe, funcs, seed)
    given = oltest.clone_path(prog)
    if given:
        return mklayout.clone_layout(exe, given[1], given[0], funcs)
    return mklayout.clone_layout(exe, mklayout.default_chain(exe, funcs), "hot", funcs)


def stage(exe, layout, out, expected, routes_from=None):
    """Rewrite EXE with LAYOUT into OUT and check it; returns (failed step,
    detail) or None. ROUTES_FROM: earlier layout whose routes must persist."""
    lines = open(layout).read().splitlines()
    steps = [("rewrite", [oltest.OLAYOUT, "rewrite", "--layout", layout, "-o", out, exe]),
             ("placement", None),
             ("verify", [oltest.OLAYOUT, "verify", out]),
             ("run", [out])]
    for step, cmd in steps:
        if step == "placement":
            try:
                problems = oltest.check_placement(lines, exe, out)
                if routes_from:
                    problems += oltest.check_routes(routes_from, out)
            except mklayout.ToolError as e:
                problems = [str(e)]
            if problems:
                return step, "\n".join(problems[:10])
            continue
        res = oltest.run(cmd, timeout=60)
        if step == "run":
            if res != expected:
                return step, "%s: exit %s (want %s), stdout %s the original's" % (
                    oltest.shell_quote(cmd), res.rc, expected.rc,
                    "same as" if res.out == expected.out else "differs from")
        elif res.rc != 0:
            return step, "%s: %s" % (oltest.shell_quote(cmd), oltest.describe(res))
    return None


def run_case(case):
    prog, config, exe, kind, seed, expected = case
    name = "%s.%s %s" % (prog, config, kind)
    work = oltest.workdir(name)
    funcs = mklayout.read_funcs(oltest.funcs_file(prog))
    results = []
    try:
        lines1 = make_layout(kind, prog, exe, funcs, seed)
    except (ValueError, OSError, mklayout.ToolError) as e:
        return [(False, name + ": layout", str(e))] * 2
    l1, out1 = os.path.join(work, "layout1"), os.path.join(work, "out1")
    with open(l1, "w") as f:
        f.write("\n".join(lines1) + "\n")
    fail = stage(exe, l1, out1, expected)
    results.append((fail is None, "%s: rewrite, placement, verify, same output" % name,
                    fail and "%s failed: %s\nlayout: %s (made by %s)" % (
                        fail[0], fail[1], l1, repro(kind, prog, exe, seed))))
    if fail:
        results.append((True, "%s: rewrite of the rewritten output" % name, "", "first rewrite failed"))
        return results
    l2, out2 = os.path.join(work, "layout2"), os.path.join(work, "out2")
    try:
        lines2 = mklayout.reverse_layout(out1, funcs)
    except mklayout.ToolError as e:
        return results + [(False, "%s: layout for the second rewrite" % name, str(e))]
    with open(l2, "w") as f:
        f.write("\n".join(lines2) + "\n")
    fail2 = stage(out1, l2, out2, expected, routes_from=lines1)
    results.append((fail2 is None, "%s: rewrite of the rewritten output (reverse)" % name,
                    fail2 and "%s failed: %s\nlayout: %s" % (fail2[0], fail2[1], l2)))
    if not fail and not fail2:
        shutil.rmtree(work)
    return results


def repro(kind, prog, exe, seed):
    cmd = [os.path.join(HERE, "mklayout.py"), kind, exe, "--funcs", oltest.funcs_file(prog)]
    if kind == "random":
        cmd += ["--seed", str(seed)]
    given = oltest.clone_path(prog)
    if kind == "clone" and given:
        cmd += ["--path", given[0], "--chain", ",".join(given[1])]
    return oltest.shell_quote(cmd)


def main():
    oltest.need_olayout()
    tap = oltest.Tap()
    seed = int(os.environ.get("OLAYOUT_TEST_SEED", "6"))
    exes = oltest.corpus()
    tap.diag("random layouts and sampling: seed %d (OLAYOUT_TEST_SEED)" % seed)
    expected = dict(zip([e for _, _, e in exes],
                        oltest.pmap(lambda e: oltest.run([e[2]], timeout=30), exes)))
    cases = [(p, c, e, k, seed, expected[e]) for p, c, e in exes for k in LAYOUTS]
    cases = oltest.sample(cases, "OLAYOUT_REWRITE_CASES", seed, tap)
    for results in oltest.pmap(run_case, cases):
        for r in results:
            good, desc, diag = r[:3]
            tap.ok(good, desc, diag, skip=r[3] if len(r) > 3 else None)
    return tap.done()


if __name__ == "__main__":
    sys.exit(main())
