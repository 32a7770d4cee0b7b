#!/usr/bin/python3
"""olayout plan and optimize: the layout planner.

Every corpus program (its -g PIE build) is trained by `olayout profile`
(cgrun.py: inside main, run as the measurements run it; `layers` names its
push chain as a path, merged in with --merge) and optimized with every
strategy for a 512-byte direct-mapped i-cache: the output passes `olayout
verify` (optimize checks it before OUT appears), prints and exits as the
input does, every unit lies where the layout's comment says the planner
predicted, optimize's layout is the one `plan` writes (optimize plans on
the model its rewrite builds), and optimizing the output again works the
same. Plans are deterministic. The simulated I1 misses of the programs' own work (callgrind,
inside main) order as bad > std > bipartite on `sorts` (512-byte cache) and
`layers` (2 KiB); on `sorts` bipartite beats pettis-hansen (whose order
it follows, on the sets that are free; with the profile's `insn` heat), and
with a path (`layers`) bipartite <= hfsort. On the x-kernel: tcpping (STD, built
with --emit-relocs) trained on its round trips and optimized with every
strategy for alpha21064 runs as before, and so does each output optimized
again; bipartite clones the send path
(not tcp_output, which the receive path's ACK calls too) and its loop misses the I-cache less than pettis-hansen's and hfsort's.
Bad input (malformed or foreign profiles, unknown strategy or cache,
unwritable outputs) gives one line, a non-zero exit and no files.
"""
import os
import re
import shutil
import subprocess
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import cgrun  # noqa: E402
import mklayout  # noqa: E402
import oltest  # noqa: E402

STRATEGIES = ["std", "bad", "pettis-hansen", "hfsort", "cdsort", "bipartite", "color"]
CACHE = "512:1:32"
XK_ARGS = ["-w", "inproc", "-n", "50", "-s", "1"]


def write(path, text):
    with open(path, "w") as f:
        f.write(text)
    return path


def train(prog, exe, work, args=(), loop=False, base_text=None, training=1):
    """EXE's profile by `olayout profile` (cgrun.train), merged with PROG's
    path if any (or with BASE_TEXT); TRAINING: the times its unit ran."""
    base = base_text
    if base is None:
        cp = oltest.clone_path(prog)
        base = "olayout-profile 1\n" + ("path %s %s\n" % (cp[0], " ".join(cp[1])) if cp else "")
    b = write(os.path.join(work, prog + ".base"), base)
    out = os.path.join(work, prog + ".prof")
    failed = cgrun.train(exe, out, args, loop=loop, base=b, training=training)
    if failed:
        oltest.Tap.diag("%s: %s" % (prog, oltest.describe(failed)))
    return None if failed else out


def planned(layout):
    """[(name in the output, predicted address)] from a layout's comments."""
    out = []
    for line in layout.splitlines():
        m = re.match(r"(place|clone) (\S+?)(?:@\S+)? (\S+ )?.*# (0x[0-9a-f]+)$", line)
        if m:
            name = m.group(2) + (".clone." + m.group(3).strip() if m.group(1) == "clone" else "")
            out.append((name, int(m.group(4), 16)))
    return out


def where_problems(layout, out):
    syms = {}
    for s in mklayout.func_symbols(out):
        syms.setdefault(s.name, s.addr)
    return ["%s at %s, planned %#x" % (n, hex(syms[n]) if n in syms else "nowhere", a)
            for n, a in planned(layout) if syms.get(n) != a]


def optimize(strategy, prof, exe, out, cache=CACHE, extra=()):
    lay = out + ".layout"
    res = oltest.olayout("optimize", "--strategy", strategy, "--profile", prof, "--cache", cache,
                         "--save-layout", lay, "-o", out, exe, *extra)
    text = open(lay).read() if res.rc == 0 and os.path.exists(lay) else ""
    return res, text


def same_run(exe, out, args=(), keep=None):
    a = oltest.run([exe] + list(args))
    b = oltest.run([out] + list(args))
    pa, pb = (keep(a.out), keep(b.out)) if keep else (a.out, b.out)
    return a.rc == b.rc and pa == pb, "exit %s/%s, %r / %r" % (a.rc, b.rc, pa[:200], pb[:200])


def corpus_case(case):
    """[(good, what, diagnostics)] of one program and strategy."""
    prog, exe, prof, strategy, work = case
    out = os.path.join(work, "%s.%s" % (prog, strategy))
    res, layout = optimize(strategy, prof, exe, out)
    summary = res.out.decode(errors="replace")
    checks = [(res.rc == 0 and summary.startswith("plan %s " % strategy),
               "optimize prints its plan", oltest.describe(res))]
    if res.rc != 0:
        return checks
    # optimize plans on its rewrite's model: the layout must be plan's
    alone = oltest.olayout("plan", "--strategy", strategy, "--profile", prof, "--cache", CACHE, exe)
    checks.append((alone.rc == 0 and alone.out.decode(errors="replace") == layout,
                   "optimize's layout is plan's", oltest.describe(alone)))
    good, diag = same_run(exe, out)
    checks.append((good, "runs as the input", diag))
    wrong = where_problems(layout, out)
    checks.append((not wrong, "units where the plan put them", "\n".join(wrong[:5])))
    again, layout2 = optimize(strategy, prof, out, out + ".2")
    wrong = where_problems(layout2, out + ".2") if again.rc == 0 else []
    good = again.rc == 0 and same_run(exe, out + ".2")[0] and not wrong
    checks.append((good, "optimizing the output again works (units where planned)",
                   oltest.describe(again) + "\n".join(wrong[:5])))
    return checks


def check_corpus(tap, work):
    exes = {p: e for p, c, e in oltest.corpus() if c == "pie-g"}
    profs = {}
    for prog in sorted(exes):
        profs[prog] = train(prog, exes[prog], work)
        tap.ok(profs[prog] is not None, "%s: trained under callgrind" % prog)
    cases = [(p, exes[p], profs[p], s, work) for p in sorted(exes) if profs[p] for s in STRATEGIES]
    for case, checks in zip(cases, oltest.pmap(corpus_case, cases)):
        for good, what, diag in checks:
            tap.ok(good, "%s %s: %s" % (case[0], case[3], what), diag)
    return exes, profs


def check_misses(tap, exes, profs, work):
    """The simulated I1 misses of each strategy's output (own optimizes: the
    cache differs per program, so that their hot code overfills it)."""
    for prog, cache, with_path in (("sorts", "512:1:32", False), ("layers", "2048:1:32", True)):
        def one(s):
            out = os.path.join(work, "misses.%s.%s" % (prog, s))
            res, _ = optimize(s, profs[prog], exes[prog], out, cache=cache)
            return cgrun.i1_misses(out, geometry=cache.replace(":", ","))[1] if res.rc == 0 else None
        got = dict(zip(STRATEGIES, oltest.pmap(one, STRATEGIES)))
        if None in got.values():
            tap.ok(False, "%s: I1 misses of every strategy (%s)" % (prog, got))
            continue
        desc = ", ".join("%s %d" % (s, got[s]) for s in STRATEGIES)
        tap.ok(got["bad"] > got["std"] > got["bipartite"],
               "%s, %s I-cache: I1 misses bad > std > bipartite (%s)" % (prog, cache, desc))
        if not with_path:
            tap.ok(got["bipartite"] < got["pettis-hansen"],
                   "%s: bipartite (Pettis-Hansen's order on free sets) < pettis-hansen (%s)"
                   % (prog, desc))
        else:
            tap.ok(got["bipartite"] <= got["hfsort"],
                   "%s (a path): bipartite <= hfsort (%s)" % (prog, desc))
        tap.ok(got["color"] <= min(got["bipartite"], got["hfsort"]),
               "%s: color <= bipartite and hfsort (%s)" % (prog, desc))


def deterministic(tap, exe, prof):
    a = oltest.olayout("plan", "--strategy", "bipartite", "--profile", prof, "--cache", CACHE, exe)
    b = oltest.olayout("plan", "--strategy", "bipartite", "--profile", prof, "--cache", CACHE, exe)
    tap.ok(a.rc == 0 and a.out == b.out and a.out.startswith(b"olayout-layout 1\n"),
           "plan writes the same layout twice (to stdout)", oltest.describe(a))


def check_externals(tap, exe, prof, work):
    """color keeps hot code off the sets external code takes: with an
    `external` entry (shared-object code at a run-time address) as hot as
    can be on half the sets of an 8 KiB direct-mapped cache, on the sets
    where color put its first hot units, no unit that ran in training lands
    on those sets."""
    cache, way, half = "8192:1:32", 8192, 4096
    with open(prof) as f:
        text = f.read()
    ran = {l.split()[1] for l in text.splitlines() if l.startswith("function ") and
           int(l.split()[3]) > 0}
    sizes = {s.name: s.size for s in mklayout.func_symbols(exe)}

    def plan(p):
        res = oltest.olayout("plan", "--strategy", "color", "--profile", p, "--cache", cache, exe)
        return [(n, a) for n, a in planned(res.out.decode(errors="replace")) if n in ran], res
    hot, _ = plan(prof)
    base = hot[0][1] % way if hot else 0
    ext = write(os.path.join(work, "sorts.ext.prof"), text + "external hot libfake.so 0x%x %d %d\n"
                % (0x7f0000000000 + base, half, 10 ** 12))
    hot2, res = plan(ext)
    on = ["%s at %#x" % (n, a) for n, a in hot2
          if any((x - base) % way < half for x in range(a, a + sizes.get(n, 1)))]
    tap.ok(hot and len(hot2) == len(hot) and not on,
           "color: no unit that ran on the sets of hot external code (%#x, %d bytes; %d units)"
           % (base, half, len(hot)), oltest.describe(res) + "\n" + "\n".join(on[:5]))


def one_line(res, pattern, rc=1):
    lines = res.err.decode(errors="replace").strip().splitlines()
    if rc == 2:
        return oltest.usage_error(res, pattern)
    return res.rc == rc and len(lines) == 1 and re.search(pattern, lines[0]) is not None


def check_bad_input(tap, exes, profs, work):
    exe, prof = exes["sorts"], profs["sorts"]
    d = oltest.workdir("plan-bad")
    out = os.path.join(d, "out")
    bad = write(os.path.join(d, "bad.prof"), "olayout-profile 2\nfunction f 1\n")
    opts = ["--strategy", "bipartite", "--profile", prof, "-o", out]

    def with_(flag, value):
        o = list(opts)
        if flag in o:
            o[o.index(flag) + 1] = value
        else:
            o += [flag, value]
        return o + [exe]

    cases = [
        ("a malformed profile", with_("--profile", bad), r"bad\.prof:2: ", 1),
        ("a missing profile", with_("--profile", os.path.join(d, "none.prof")), r"none\.prof", 1),
        ("an unknown strategy", with_("--strategy", "random"),
         r"^olayout: optimize: unknown strategy 'random': want std, bad, .* \(olayout optimize --help\)$", 2),
        # the option and the profile it was looked for in are named, not EXE
        ("an unknown cache", with_("--cache", "1000:1:32"),
         r"^olayout: --cache '1000:1:32': unknown cache: want a cache %s names, alpha21064"
         % re.escape(prof), 1),
        ("a cache of no name", with_("--cache", "huge"),
         r"^olayout: --cache 'huge': unknown cache: want a cache %s names" % re.escape(prof), 1),
        ("an output in a missing directory", with_("-o", os.path.join(d, "no", "out")),
         r"no/out", 1),
        ("a layout in a missing directory", with_("--save-layout", os.path.join(d, "no", "l")),
         r"no/l", 1),
        ("a foreign profile and --strict", with_("--profile", profs["calc"]) + ["--strict"],
         r"calc\.prof: function '.*' not in", 1),
        ("no EXE", opts, r"needs", 2),
    ]
    for what, args, pattern, rc in cases:
        res = oltest.olayout("optimize", *args)
        left = [f for f in os.listdir(d) if f != "bad.prof"]
        tap.ok(one_line(res, pattern, rc) and not left,
               "optimize with %s: one line, exit %d, nothing left" % (what, rc),
               oltest.describe(res) + "\nleft: %s" % left)
    res = oltest.olayout("plan", "--strategy", "hfsort", "--profile", profs["calc"], "-o",
                         os.path.join(d, "l"), exe)
    warn = res.err.decode(errors="replace").strip().splitlines()
    tap.ok(res.rc == 0 and len(warn) == 1 and "warning" in warn[0] and "not in" in warn[0],
           "a foreign profile: one warning, a plan all the same", oltest.describe(res))
    res = oltest.olayout("plan", "--strict", "--strategy", "hfsort", "--profile", profs["calc"],
                         "-o", os.path.join(d, "strict.layout"), exe)
    tap.ok(one_line(res, r"calc\.prof: function '.*' not in") and
           not os.path.exists(os.path.join(d, "strict.layout")),
           "plan --strict with a foreign profile: one line, exit 1, no layout",
           oltest.describe(res))
    res = oltest.olayout("optimize", "--strategy", "hfsort", "--profile", profs["calc"], "-o",
                         os.path.join(d, "foreign.out"), exe)
    warn = res.err.decode(errors="replace").strip().splitlines()
    tap.ok(res.rc == 0 and len(warn) == 1 and "warning" in warn[0] and "not in" in warn[0] and
           same_run(exe, os.path.join(d, "foreign.out"))[0],
           "optimize with a foreign profile: one warning, an output that runs as the input",
           oltest.describe(res))
    helps = [oltest.olayout(c, "--help") for c in ("plan", "optimize")]
    tap.ok(all(h.rc == 0 and b"--strategy" in h.out for h in helps) and
           b"optimize" in oltest.olayout("--help").out, "plan --help, optimize --help, olayout --help")
    shutil.rmtree(d)


def xk_build(work):
    env = dict(os.environ, BUILD=oltest.BUILD, CC="gcc -ffunction-sections -Wl,--emit-relocs")
    d = os.path.join(work, "xk-STD")
    r = subprocess.run(["profiles/xk_build.sh", "STD", d], env=env, capture_output=True,
                       timeout=600)
    return os.path.join(d, "tcpping") if r.returncode == 0 else None


def xk_keep(out):
    """tcpping's report without its timings."""
    return out.split(b": round trip")[0]


def check_xkernel(tap, work):
    exe = xk_build(work)
    tap.ok(exe is not None, "tcpping STD builds with --emit-relocs")
    if exe is None:
        return
    with open("profiles/tcpping.prof") as f:
        base = "".join(l for l in f if l.split(" ")[0] in ("olayout-profile", "path", "library",
                                                            "cache"))
    # the loop runs 100 round trips after a warm-up of 11: a repeated unit,
    # which bipartite and color order hottest first
    prof = train("tcpping", exe, work, args=["-w", "inproc", "-n", "100", "-s", "1"], loop=True,
                 base_text=base, training=111)
    tap.ok(prof is not None, "tcpping: trained on its round trips")
    if prof is None:
        return

    def one(strategy):
        out = os.path.join(work, "tcpping." + strategy)
        res, layout = optimize(strategy, prof, exe, out, cache="alpha21064")
        good = res.rc == 0 and same_run(exe, out, XK_ARGS, xk_keep)[0]
        again = optimize(strategy, prof, out, out + ".2", cache="alpha21064")[0] if good else res
        twice = good and again.rc == 0 and same_run(exe, out + ".2", XK_ARGS, xk_keep)[0]
        return res, layout, out, good, again, twice

    outs = {}
    for strategy, (res, layout, out, good, again, twice) in zip(STRATEGIES,
                                                              oltest.pmap(one, STRATEGIES)):
        tap.ok(good, "tcpping %s: optimized, verified, runs" % strategy, oltest.describe(res))
        tap.ok(twice, "tcpping %s: its output optimized again, verified, runs" % strategy,
               oltest.describe(again))
        outs[strategy] = out if good else None
        if strategy == "bipartite" and good:
            m = re.search(rb"clones (\d+)", res.out)
            tap.ok(m and int(m.group(1)) > 0 and "clone tcp_sess_push tcp_send" in layout,
                   "tcpping bipartite clones the send path (%s)" % (m.group(1).decode() if m else "?"),
                   res.out.decode(errors="replace"))
            tap.ok(not re.search(r"^clone tcp_output\S* ", layout, re.M) and
                   re.search(r"^route tcp_output\S* tcp_send_segment\S* tcp_send$", layout, re.M),
                   "tcpping bipartite: tcp_output, which the receive path calls too, is not "
                   "cloned; its original calls the send path's clones")
            info = oltest.olayout("info", out).out.decode().splitlines()
            off = [(int(w[1], 16) - int(w[2], 16)) % 8192 for w in (l.split() for l in info)
                   if w and w[0] == "clone"]
            tap.ok(off and not any(off),
                   "tcpping bipartite: each original on its clone's sets (offsets %s)" % off)
    check_xk_misses(tap, outs)


def check_xk_misses(tap, outs):
    """bipartite (its clones bound) misses the alpha21064 I-cache less than
    the classic orderings in tcpping's measured loop."""
    rivals = ["bipartite", "pettis-hansen", "hfsort"]
    if not all(outs.get(s) for s in rivals):
        tap.ok(False, "tcpping I1 misses: every output built (%s)" % outs)
        return
    got = dict(zip(rivals, oltest.pmap(
        lambda s: cgrun.i1_misses(outs[s], XK_ARGS, geometry="8192,1,32", loop=True)[1],
        rivals)))
    desc = ", ".join("%s %d" % (s, got[s]) for s in rivals)
    tap.ok(got["bipartite"] < got["pettis-hansen"] and got["bipartite"] < got["hfsort"],
           "tcpping, alpha21064: I1 misses bipartite < pettis-hansen and < hfsort (%s)" % desc)


def main():
    oltest.need_olayout()
    tap = oltest.Tap()
    work = oltest.workdir("plan")
    exes, profs = check_corpus(tap, work)
    if profs.get("sorts") and profs.get("calc"):
        deterministic(tap, exes["sorts"], profs["sorts"])
        check_externals(tap, exes["sorts"], profs["sorts"], work)
        check_bad_input(tap, exes, profs, work)
    if profs.get("sorts") and profs.get("layers"):
        check_misses(tap, exes, profs, work)
    check_xkernel(tap, work)
    if tap.failed == 0:
        shutil.rmtree(work)
    return tap.done()


if __name__ == "__main__":
    sys.exit(main())
