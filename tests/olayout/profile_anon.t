#!/usr/bin/python3
"""olayout profile counts a stripped library's code outside every symbol:
a static function of libanon.so, stripped, runs 100000 loop rounds called
by the exported lib_work. Its code is one `external anon$ADDR` entry, ADDR
its start in the library's file (nm of the unstripped copy), at the same
load bias as lib_work's entry, with the loop's instructions; the names are
the same from run to run and --merge reads and sums them."""
import os
import re
import shutil
import subprocess
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import oltest  # noqa: E402
from oltest import entries, read  # noqa: E402

ROUNDS = 100000

LIB = r"""
static __attribute__((noinline)) unsigned spin(unsigned n)
{
	unsigned s = 0;
	for (unsigned i = 0; i < n; i++)
		s = s * 31 + i;
	return s;
}
unsigned lib_work(unsigned n) { return spin(n) + 1; }
"""

MAIN = r"""
#include <stdio.h>
unsigned lib_work(unsigned n);
int main(void) { printf("%%u\n", lib_work(%d)); return 0; }
""" % ROUNDS


def build(work):
    """main and the stripped libanon.so; spin's and lib_work's file addresses."""
    for name, text in (("lib.c", LIB), ("main.c", MAIN)):
        with open(os.path.join(work, name), "w") as f:
            f.write(text)
    steps = [["gcc", "-O1", "-shared", "-fPIC", "-o", "libanon.full.so", "lib.c"],
             ["strip", "--strip-all", "-o", "libanon.so", "libanon.full.so"],
             ["gcc", "-O1", "-ffunction-sections", "-Wl,--emit-relocs", "-o", "main", "main.c",
              "-L.", "-lanon", "-Wl,-rpath,$ORIGIN"]]
    for cmd in steps:
        subprocess.run(cmd, cwd=work, check=True)
    syms = subprocess.run(["nm", os.path.join(work, "libanon.full.so")], check=True,
                          capture_output=True, text=True).stdout
    addr = {m.group(2): int(m.group(1), 16) for m in re.finditer(r"^(\w+) \w (\w+)$", syms, re.M)}
    return addr["spin"], addr["lib_work"]


def anon_entries(text):
    return [e for e in entries(text, "external") if e[1] == "libanon.so"]


def check(tap, work, spin, lib_work):
    outs = [os.path.join(work, n) for n in ("a.prof", "b.prof")]
    res = [oltest.olayout("profile", "-o", o, "--", os.path.join(work, "main")) for o in outs]
    ok = all(r.rc == 0 for r in res) and all(os.path.exists(o) for o in outs)
    tap.ok(ok, "profile -- main (calls the stripped libanon.so): exit 0",
           oltest.describe(res[0]))
    if not ok:
        return
    ext = anon_entries(read(outs[0]))
    anon = [e for e in ext if e[0].startswith("anon$")]
    named = {e[0]: e for e in ext}
    tap.ok("lib_work" in named, "lib_work (in .dynsym) is an external of its own", str(ext))
    hit = [e for e in anon if int(e[0][5:], 16) <= spin < int(e[0][5:], 16) + int(e[3])]
    tap.ok(len(hit) == 1, "one anon$ADDR entry covers spin (file address %#x)" % spin, str(ext))
    if not hit or "lib_work" not in named:
        return
    bias = int(named["lib_work"][2], 16) - lib_work
    tap.ok(int(hit[0][2], 16) - int(hit[0][0][5:], 16) == bias,
           "its run-time address is ADDR at lib_work's load bias (%#x)" % bias, str(hit))
    tap.ok(int(hit[0][4]) >= 3 * ROUNDS, "it ran the loop's instructions (>= %d)" % (3 * ROUNDS),
           str(hit))
    tap.ok(anon_entries(read(outs[1])) == ext, "the same libanon.so entries from a second run",
           str(anon_entries(read(outs[1]))))
    merged = os.path.join(work, "m.prof")
    r = oltest.olayout("profile", "-o", merged, "--merge", *outs)
    got = {e[0]: e for e in anon_entries(read(merged))} if r.rc == 0 else {}
    tap.ok(hit[0][0] in got and int(got[hit[0][0]][4]) == 2 * int(hit[0][4]),
           "--merge reads the anon$ entries and sums their instructions", oltest.describe(r))


def main():
    oltest.need_olayout()
    oltest.need_tool("valgrind", "gcc", "strip", "nm")
    tap = oltest.Tap()
    work = oltest.workdir("profile_anon")
    os.environ["TMPDIR"] = work
    spin, lib_work = build(work)
    check(tap, work, spin, lib_work)
    shutil.rmtree(work)
    return tap.done()


if __name__ == "__main__":
    sys.exit(main())
