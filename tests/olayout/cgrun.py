"""cgrun: a program run under callgrind as the measurements run it (as
bench/xkernel/callgrind.sh and bench/variants/train.sh do): as ./NAME from a
fixed-length /tmp folder with an empty environment and its output to
/dev/null, so shared libraries load where they will in the measurement and
libc takes the same (not-a-terminal) paths. train() profiles it with `olayout
profile` (the tool users use), i1_misses() counts its simulated I1 misses.
Without loop, both measure inside main (the program's own work, not its
start-up); with loop, between its CALLGRIND_START/STOP_INSTRUMENTATION."""
import os
import shutil
import subprocess
import tempfile

import oltest


def _scratch(exe, fn):
    """fn(folder, './NAME') with a copy of EXE in a fresh /tmp/xkcg.* folder."""
    tmp = tempfile.mkdtemp(prefix="xkcg.", dir="/tmp")  # a fixed-length name
    try:
        name = os.path.basename(exe)
        shutil.copy(exe, os.path.join(tmp, name))
        return fn(tmp, "./" + name)
    finally:
        shutil.rmtree(tmp)


def _env():
    return {"PATH": os.path.dirname(shutil.which("valgrind"))}


def _collect(loop):
    return ["--instr-atstart=no"] if loop else ["--toggle-collect=main"]


def train(exe, out, args=(), loop=False, base=None, training=1):
    """OUT: `olayout profile` of EXE's run (training RUNS), merged with the
    profile BASE (paths, library marks) when given; the Result of the step
    that failed, or None."""
    out = os.path.abspath(out)
    run = out + ".run" if base else out
    cmd = [os.path.abspath(oltest.OLAYOUT), "profile", "-o", run, "--training", str(training)]

    def one(tmp, name):
        p = subprocess.run(cmd + _collect(loop) + ["--", name] + list(args), cwd=tmp, env=_env(),
                           stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
                           stderr=subprocess.PIPE, timeout=600)
        return oltest.Result(p.returncode, p.stdout, p.stderr)

    res = _scratch(exe, one)
    if res.rc != 0:
        return res
    if base:
        res = oltest.olayout("profile", "-o", out, "--merge", run, base)
        os.unlink(run)
    return res if res.rc != 0 else None


def i1_misses(exe, args=(), geometry="1024,1,32", loop=False):
    """(instructions, I1 misses) of EXE's run on the simulated i-cache
    SIZE,WAYS,LINE, run as train() runs it."""
    def one(tmp, name):
        subprocess.run([shutil.which("valgrind"), "--tool=callgrind", "--cache-sim=yes",
                        "--I1=" + geometry, "--callgrind-out-file=cg.out"] + _collect(loop) +
                       [name] + list(args), cwd=tmp, env=_env(), stdin=subprocess.DEVNULL,
                       stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=False)
        with open(os.path.join(tmp, "cg.out")) as f:
            return f.read()

    ev = tot = None
    for line in _scratch(exe, one).splitlines():
        if line.startswith("events:"):
            ev = line.split()[1:]
        elif line.startswith("totals:"):
            tot = line.split()[1:]
    return int(tot[ev.index("Ir")]), int(tot[ev.index("I1mr")])
