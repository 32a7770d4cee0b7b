#!/usr/bin/python3
"""olayout compare: two executables on the same arguments.

The corpus program `calc` (PIE) against its olayout rewrite (functions in
reverse order, mklayout.py): compare succeeds, its table's instructions and
I1 misses (two geometries) equal those of a direct callgrind run of each
(same clean environment, same path length), and it says whether hardware
counters are missing. Bad input (unknown geometry, a non-ELF, programs whose
exit status differs, a program killed by a signal): one line, exit 1, no
temporary directory left in /tmp. Output that differs is one warning.
"""
import glob
import os
import re
import shutil
import subprocess
import sys
import tempfile

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import oltest  # noqa: E402

GEOMS = [("1024:1:32", "1024,1,32"), ("modern", "32768,8,64")]


def direct(exe, i1):
    """(Ir, I1mr) of exe under callgrind as compare runs it: a copy at a path
    as long as compare's (/tmp/olcmp.XXXXXX/a), an empty environment."""
    d = tempfile.mkdtemp(prefix="olcm", dir="/tmp")
    try:
        prog = os.path.join(d, "a")
        shutil.copy(exe, prog)
        out = os.path.join(d, "cg.out")
        subprocess.run([shutil.which("valgrind"), "--tool=callgrind", "--cache-sim=yes",
                        "--I1=" + i1, "--D1=" + i1, "--LL=4194304,16,64",
                        "--callgrind-out-file=" + out, "--log-file=" + os.path.join(d, "log"), prog],
                       env={}, stdin=subprocess.DEVNULL, capture_output=True, timeout=120)
        with open(out) as f:
            text = f.read()
        ev = re.search(r"^events: (.*)$", text, re.M).group(1).split()
        tot = re.search(r"^totals: (.*)$", text, re.M).group(1).split()
        return int(tot[ev.index("Ir")]), int(tot[ev.index("I1mr")])
    finally:
        shutil.rmtree(d)


def cc(work, name, body):
    """A small C program, built here."""
    src = os.path.join(work, name + ".c")
    with open(src, "w") as f:
        f.write("#include <stdio.h>\nint main(void) { %s }\n" % body)
    exe = os.path.join(work, name)
    subprocess.run(["gcc", "-O2", "-o", exe, src], check=True)
    return exe


def leftovers():
    return set(glob.glob("/tmp/olcmp.*"))


def bad(tap, what, args, pattern=r"^olayout: "):
    before = leftovers()
    res = oltest.olayout("compare", *args, timeout=300)
    lines = res.err.decode().strip().splitlines()
    tap.ok(res.rc == 1 and len(lines) == 1 and re.search(pattern, lines[0])
           and leftovers() == before, "compare refuses %s: one line, exit 1, nothing left" % what,
           oltest.describe(res))


def main():
    tap = oltest.Tap()
    oltest.need_olayout()
    oltest.need_tool("valgrind")
    exe, work, layout = oltest.reversed_pie("calc", "compare")
    new = os.path.join(work, "calc.rev")
    res = oltest.olayout("rewrite", "--layout", layout, "-o", new, exe)
    if res.rc != 0:
        oltest.fail("rewrite calc: " + oltest.describe(res))

    res = oltest.olayout("compare", "--help")
    tap.ok(res.rc == 0 and b"usage: olayout compare" in res.out, "compare --help")
    res = oltest.olayout("compare", *["--cache", "modern"] * 9 + [exe, exe, "--"])
    tap.ok(res.rc == 2 and b"compare: at most 8 --cache options" in res.err,
           "compare with 9 --cache: exit 2, says the limit", oltest.describe(res))

    before = leftovers()
    res = oltest.olayout("compare", "--cache", GEOMS[0][0], "--cache", GEOMS[1][0], "--runs", "2",
                         exe, new, "--", timeout=600)
    out = res.out.decode()
    tap.ok(res.rc == 0 and leftovers() == before, "compare calc, its rewrite: exit 0, nothing left",
           oltest.describe(res))
    rows = {m.group(1).strip(): (int(m.group(2)), int(m.group(3)))
            for m in re.finditer(r"^(.*?)\s+(\d+)\s+(\d+)\s+[\d.]+$", out, re.M)}
    a, b = direct(exe, GEOMS[0][1]), direct(new, GEOMS[0][1])
    tap.ok(rows.get("instructions (callgrind)") == (a[0], b[0]),
           "instructions = a direct callgrind run's (%d, %d)" % (a[0], b[0]), out)
    for name, i1 in GEOMS:
        a, b = direct(exe, i1), direct(new, i1)
        key = next((k for k in rows if k.startswith("I1 misses " + name)), None)
        tap.ok(key and rows[key] == (a[1], b[1]),
               "I1 misses %s = a direct callgrind run's (%d, %d)" % (name, a[1], b[1]), out)
    tap.ok(("hardware counters: missing: " in out) != ("cycles (perf stat)" in rows),
           "says whether hardware counters are there", out)
    tap.ok(re.search(r"^wall us, median of 2 ", out, re.M) is not None, "wall time row", out)

    text = os.path.join(work, "text")
    with open(text, "w") as f:
        f.write("not an ELF\n")
    trap, st3, hello, bye = (cc(work, n, body) for n, body in [
        ("trap", "__builtin_trap();"), ("st3", "return 3;"),
        ("hello", "return puts(\"hello\") < 0;"), ("bye", "return puts(\"bye\") < 0;")])
    bad(tap, "an unknown geometry", ["--cache", "1000:3:32", exe, new, "--"],
        pattern=r"^olayout: --cache '1000:3:32': unknown cache: want alpha21064, modern")
    bad(tap, "a non-ELF", [exe, text, "--"])
    bad(tap, "programs of different exit status", [exe, st3, "--"])
    bad(tap, "a program killed by a signal", [trap, trap, "--"])
    res = oltest.olayout("compare", "--runs", "1", hello, bye, "--", timeout=300)
    err = res.err.decode().strip().splitlines()
    tap.ok(res.rc == 0 and len(err) == 1 and "output differs" in err[0],
           "different output: a warning, the table still", oltest.describe(res))
    return tap.done()


if __name__ == "__main__":
    sys.exit(main())
