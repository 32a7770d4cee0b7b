"""Shared pieces of the olayout script tests (tests/olayout/*.t): TAP output,
the corpus, running olayout and the corpus programs, seeded sampling."""
import os
import random
import re
import shutil
import subprocess
import sys
from collections import namedtuple
from concurrent.futures import ThreadPoolExecutor

import mklayout

BUILD = os.environ.get("BUILD", "build")
OLAYOUT = os.path.join(BUILD, "bin", "olayout")
CORPUS = os.path.join(BUILD, "tests", "olayout", "corpus")
CORPUS_SRC = os.path.join(os.path.dirname(os.path.abspath(__file__)), "corpus")
WORK = os.path.join(BUILD, "tests", "olayout", "work")
JOBS = 2

Result = namedtuple("Result", "rc out err")


class Tap:
    """TAP with the plan at the end, so the number of cases can be sampled."""

    def __init__(self):
        self.n = 0
        self.failed = 0

    def ok(self, good, desc, diag=None, skip=None):
        """skip: why the check cannot run (what the machine lacks, or a failed step it needs)."""
        self.n += 1
        if skip:
            print("ok %d - %s # SKIP %s" % (self.n, desc, skip))
        else:
            print("%s %d - %s" % ("ok" if good else "not ok", self.n, desc))
            if not good:
                self.failed += 1
                if diag:
                    self.diag(diag)
        sys.stdout.flush()

    @staticmethod
    def diag(text):
        for line in str(text).splitlines():
            print("# " + line)

    def done(self):
        """Prints the plan; the exit status: 1 when a test failed."""
        print("1..%d" % self.n)
        if self.failed:
            self.diag("failed %d of %d tests" % (self.failed, self.n))
        return 1 if self.failed else 0


def skip_all(reason):
    """Ends a script that cannot run on this machine (never for a missing build)."""
    print("1..0 # SKIP " + reason)
    sys.exit(0)


def fail(reason):
    """Ends a script that cannot start: one failing test with the reason."""
    print("1..1")
    print("not ok 1 - " + reason)
    sys.exit(1)


def need(*paths):
    """Every path exists, or the script fails naming the missing ones: make
    test builds everything first, so a missing build is a failure."""
    missing = [p for p in paths if not os.path.exists(p)]
    if missing:
        fail("built: %s (make all builds it)" % ", ".join(missing))


def need_tool(*commands):
    """Every command is on PATH, or the script fails naming it: make test
    installs the tools it needs first (make deps), so a missing one is a
    failure, not a reason to skip."""
    missing = [c for c in commands if shutil.which(c) is None]
    if missing:
        fail("installed: %s (make deps installs it)" % ", ".join(missing))


def need_olayout():
    need(OLAYOUT)


def sanitized():
    """Whether OLAYOUT is the ASan build (it must then run without RLIMIT_AS).
    libasan is linked dynamically, so look for its entry point, not its text."""
    with open(OLAYOUT, "rb") as f:
        return b"__asan_init" in f.read()


def run(cmd, timeout=60, limit_memory=False):
    """Run CMD; rc is -SIGNAL when killed by a signal, None on timeout."""
    if limit_memory:
        cmd = ["prlimit", "--as=%d" % (4 << 30), "--"] + list(cmd)
    try:
        p = subprocess.run(cmd, stdin=subprocess.DEVNULL, capture_output=True,
                           timeout=timeout)
    except subprocess.TimeoutExpired:
        return Result(None, b"", b"timeout after %ds" % timeout)
    return Result(p.returncode, p.stdout, p.stderr)


def olayout(*args, timeout=120):
    return run([OLAYOUT] + list(args), timeout=timeout)


def shell_quote(cmd):
    return " ".join(a if re.fullmatch(r"[\w./=,:+-]+", a) else "'%s'" % a for a in cmd)


def corpus(with_relocs=True):
    """(prog, config, path) of every corpus executable. Fails the script (need)
    unless every program is built, with its .funcs, in every configuration
    that any program is built in."""
    progs = sorted(d for d in os.listdir(CORPUS_SRC)
                   if os.path.exists(os.path.join(CORPUS_SRC, d, "main.c")))
    need(CORPUS)
    configs = set()
    for name in os.listdir(CORPUS):
        prog, _, config = name.partition(".")
        if prog in progs and config not in ("", "funcs") and not config.endswith((".tmp", ".o")):
            configs.add(config)
    if not configs:
        need(os.path.join(CORPUS, progs[0] + ".pie"))
    need(*[os.path.join(CORPUS, "%s.%s" % (p, c)) for p in progs for c in sorted(configs | {"funcs"})])
    return [(p, c, os.path.join(CORPUS, "%s.%s" % (p, c))) for p in progs for c in sorted(configs)
            if (c == "norelocs") == (not with_relocs)]


def funcs_file(prog):
    return os.path.join(CORPUS, prog + ".funcs")


def clone_path(prog):
    """(path name, chain) from corpus/PROG/clone.path, or None."""
    try:
        with open(os.path.join(CORPUS_SRC, prog, "clone.path")) as f:
            for line in f:
                words = line.split("#")[0].split()
                if len(words) >= 3:
                    return words[0], words[1:]
    except FileNotFoundError:
        pass
    return None


def sample(items, env, seed, tap):
    """At most $ENV items (all when unset), chosen with SEED; says how many."""
    limit = os.environ.get(env)
    chosen = list(items)
    if limit is not None and int(limit) < len(chosen):
        chosen = sorted(random.Random(seed).sample(range(len(chosen)), int(limit)))
        chosen = [items[i] for i in chosen]
    tap.diag("%d of %d cases (seed %d; set %s=N to sample)" % (len(chosen), len(items), seed, env))
    return chosen


def pmap(fn, items):
    """fn over items on JOBS threads, results in order."""
    with ThreadPoolExecutor(max_workers=JOBS) as ex:
        return list(ex.map(fn, items))


def workdir(name):
    """A fresh, empty directory for one case."""
    d = os.path.join(WORK, re.sub(r"[^\w.-]", "_", name))
    shutil.rmtree(d, ignore_errors=True)
    os.makedirs(d)
    return d


def reversed_pie(prog, case):
    """(exe, work, layout): PROG's PIE build (needed), a fresh workdir for
    CASE and in it a layout placing PROG's functions in reverse order."""
    exe = os.path.join(CORPUS, prog + ".pie")
    need(exe)
    work = workdir(case)
    layout = os.path.join(work, "reverse.layout")
    with open(layout, "w") as f:
        f.write("\n".join(mklayout.reverse_layout(exe, mklayout.read_funcs(funcs_file(prog)))) + "\n")
    return exe, work, layout


def read(path):
    with open(path) as f:
        return f.read()


def entries(text, kind):
    """The fields after KIND of each KIND line of a profile's text."""
    return [l.split()[1:] for l in text.splitlines() if l.split()[:1] == [kind]]


def describe(res, most=5):
    """Exit status and the first MOST lines of stderr of a Result."""
    rc = "timeout" if res.rc is None else res.rc
    lines = res.err.decode(errors="replace").strip().splitlines()
    more = "\n(%d more lines)" % (len(lines) - most) if len(lines) > most else ""
    return "exit %s, stderr: %s%s" % (rc, "\n".join(l[:300] for l in lines[:most]), more)


def usage_error(res, pattern=r""):
    """A bad command line's answer: exit 2, nothing on stdout, one line on
    stderr, `olayout: PROBLEM (olayout [CMD ]--help)`, PROBLEM matching
    PATTERN (a regular expression searched for)."""
    lines = res.err.decode(errors="replace").splitlines()
    return (res.rc == 2 and res.out == b"" and len(lines) == 1 and
            re.fullmatch(r"olayout: .+ \(olayout (\S+ )?--help\)", lines[0]) is not None and
            re.search(pattern, lines[0]) is not None)


def parse_layout(lines):
    """[(kind, name, path, align, pad)] of the place/clone lines, [(caller,
    callee, path)] of the route lines."""
    placed, routes, align = [], [], 16
    for line in lines:
        w = line.split("#")[0].split()
        if not w:
            continue
        opts = dict(o.split("=") for o in w[1:] if "=" in o)
        args = [o for o in w[1:] if "=" not in o]
        if w[0] == "align":
            align = int(w[1])
        elif w[0] in ("place", "clone"):
            placed.append((w[0], args[0], args[1] if w[0] == "clone" else None,
                           int(opts.get("align", align)), int(opts.get("pad", 0))))
        elif w[0] == "route":
            routes.append(tuple(args))
    return placed, routes


def check_placement(lines, exe, out):
    """Problems with where LINES' units landed in OUT (rewritten from EXE)."""
    placed, routes = parse_layout(lines)
    before = {s.name: s for s in mklayout.func_symbols(exe)}
    after = {s.name: s for s in mklayout.func_symbols(out)}
    problems, prev = [], None
    for kind, name, path, align, pad in placed:
        new_name = name + ".clone." + path if kind == "clone" else name
        s = after.get(new_name)
        if s is None:
            problems.append("%s: no such symbol in the output" % new_name)
            prev = None
            continue
        if kind == "clone" and name in before and s.size != before[name].size:
            problems.append("%s: size %d, %s has %d" % (new_name, s.size, name, before[name].size))
        if s.addr % align:
            problems.append("%s at %#x: not aligned to %d" % (new_name, s.addr, align))
        if prev is not None and s.addr < prev.addr + prev.size + prev_pad:
            problems.append("%s at %#x: not after %s at %#x + %d + pad %d"
                            % (new_name, s.addr, prev.name, prev.addr, prev.size, prev_pad))
        prev, prev_pad = s, pad
    return problems + check_routes(lines, out)


def check_routes(lines, out):
    """Problems with the routed calls of LINES in OUT: the caller (or its
    clone) calls the callee's clone and never the callee itself."""
    placed, routes = parse_layout(lines)
    clones = {(name, path) for kind, name, path, _, _ in placed if kind == "clone"}
    if not routes:
        return []
    branches = mklayout.direct_branches(out)
    problems = []
    for caller, callee, path in routes:
        src = caller + ".clone." + path if (caller, path) in clones else caller
        targets = branches.get(src, [])
        if callee + ".clone." + path not in targets:
            problems.append("route %s %s %s: %s has no branch to %s.clone.%s"
                            % (caller, callee, path, src, callee, path))
        if callee in targets:
            problems.append("route %s %s %s: %s still branches to %s"
                            % (caller, callee, path, src, callee))
    return problems
