#!/usr/bin/python3
"""A third-party program in the corpus (issue #16): Debian's zlib source
package, fetched by mk/debsrc.sh into the git-ignored cache/ (skipped, with
the reason, only when the source cannot be fetched), built once into
cache/build/zlib with -O2 -ffunction-sections -Wl,--emit-relocs (PIE, libz
static). example and minigzip are rewritten with their own functions (zlib's,
from nm of the objects) in reverse order and in two seeded random orders;
each output verifies, and zlib's own test (its Makefile's `teststatic`:
`echo hello world | minigzip | minigzip -d && example TMPFILE`) passes with
the rewritten programs, with the original's output; a larger file
compressed by the rewritten minigzip decompresses with the original and
back. Environment: OLAYOUT_TEST_SEED (default 6)."""
import os
import shutil
import subprocess
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))
sys.path.insert(0, HERE)
import mklayout  # noqa: E402
import oltest  # noqa: E402

CACHE = os.path.join(ROOT, "cache")
CFLAGS = "-O2 -ffunction-sections"
LDFLAGS = "-Wl,--emit-relocs"
STAMP = "olayout-build: CFLAGS=%s LDFLAGS=%s" % (CFLAGS, LDFLAGS)


def build():
    """(build dir, None) or (None, why the source cannot be fetched)."""
    res = subprocess.run([os.path.join(ROOT, "mk", "debsrc.sh"), CACHE, "zlib"],
                         capture_output=True, text=True)
    if res.returncode != 0:
        return None, "cannot fetch Debian's zlib source: " + res.stderr.strip().splitlines()[-1]
    src = res.stdout.strip()
    bld = os.path.join(CACHE, "build", "zlib")
    stamp = os.path.join(bld, ".olayout-build")
    if os.path.exists(stamp) and open(stamp).read() == STAMP:
        return bld, None
    shutil.rmtree(bld, ignore_errors=True)
    shutil.copytree(src, bld, symlinks=True)
    env = dict(os.environ, CFLAGS=CFLAGS)
    with open(os.path.join(bld, "olayout-build.log"), "w") as log:
        subprocess.run(["./configure", "--static"], cwd=bld, env=env, stdout=log,
                       stderr=subprocess.STDOUT, check=True)
        subprocess.run(["make", "libz.a", "example", "minigzip",
                        "TEST_LDFLAGS=%s -L. libz.a" % LDFLAGS], cwd=bld, stdout=log,
                       stderr=subprocess.STDOUT, check=True)
    with open(stamp, "w") as f:
        f.write(STAMP)
    return bld, None


def own_functions(bld):
    """zlib's functions: the text symbols its objects define."""
    objs = [os.path.join(bld, "libz.a"), os.path.join(bld, "example.o"),
            os.path.join(bld, "minigzip.o")]
    out = mklayout.tool_output(["nm", "--defined-only", "-f", "posix"] + objs)
    return {w[0] for w in (l.split() for l in out.splitlines()) if len(w) > 1 and w[1] in "tT"}


def zlib_test(work, example, minigzip):
    """zlib's teststatic with these programs: (exit, output)."""
    cmd = "echo hello world | %s | %s -d && %s tmpst_olayout" % (minigzip, minigzip, example)
    res = subprocess.run(["sh", "-c", cmd], cwd=work, capture_output=True, timeout=60)
    return res.returncode, res.stdout


def round_trip(work, pack, unpack, data):
    """data compressed by pack, decompressed by unpack: equal?"""
    packed = subprocess.run([pack, "-9"], input=data, capture_output=True, cwd=work, timeout=60)
    back = subprocess.run([unpack, "-d"], input=packed.stdout, capture_output=True, cwd=work,
                          timeout=60)
    return packed.returncode == 0 and back.returncode == 0 and back.stdout == data


def main():
    oltest.need_olayout()
    bld, why = build()
    if bld is None:
        oltest.skip_all(why)
    tap = oltest.Tap()
    seed = int(os.environ.get("OLAYOUT_TEST_SEED", "6"))
    funcs = own_functions(bld)
    work = os.path.abspath(oltest.workdir("zlib"))
    progs = {p: os.path.join(bld, p) for p in ("example", "minigzip")}
    want = zlib_test(work, progs["example"], progs["minigzip"])
    tap.ok(want[0] == 0 and b"hello world" in want[1], "zlib's own test passes unmodified",
           want)
    with open(oltest.OLAYOUT, "rb") as f:
        data = f.read()
    layouts = {"reverse": lambda exe: mklayout.reverse_layout(exe, funcs)}
    for s in (seed, seed + 1):
        layouts["random%d" % s] = lambda exe, s=s: mklayout.random_layout(exe, funcs, s)
    for kind, make in layouts.items():
        outs = {}
        for name, exe in progs.items():
            lay = os.path.join(work, "%s.%s.layout" % (name, kind))
            lines = make(exe)
            with open(lay, "w") as f:
                f.write("\n".join(lines) + "\n")
            out = os.path.join(work, "%s.%s" % (name, kind))
            res = oltest.olayout("rewrite", "--layout", lay, "-o", out, exe)
            ver = oltest.olayout("verify", out) if res.rc == 0 else res
            tap.ok(res.rc == 0 and ver.rc == 0,
                   "%s %s: %d functions placed, verify passes" % (name, kind, len(lines) - 3),
                   oltest.describe(res if res.rc else ver))
            outs[name] = out if res.rc == 0 else exe
        got = zlib_test(work, outs["example"], outs["minigzip"])
        tap.ok(got == want, "%s: zlib's own test passes with the rewritten programs" % kind,
               "got %s, want %s" % (got, want))
        tap.ok(round_trip(work, outs["minigzip"], progs["minigzip"], data) and
               round_trip(work, progs["minigzip"], outs["minigzip"], data),
               "%s: minigzip round trip with the original, both ways" % kind)
    return tap.done()


if __name__ == "__main__":
    sys.exit(main())
