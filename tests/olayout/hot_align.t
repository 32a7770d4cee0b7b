#!/usr/bin/python3
"""olayout plan --hot-align (ol_plan_place.c next_align): a unit that ran at
least 1/1000 of the training's instructions and goes right after the one
before starts on a 64-byte boundary when that costs at most min(32, its
size) bytes of padding, as llvm-bolt's compact aligner places functions;
other units keep their own alignment, and without the option nothing is
padded to 64.

On a program of 12 functions of assorted sizes built without alignment
padding (-falign-functions=1, as olayout-cc --olayout-align=pack builds),
f0..f9 and six tiny ones t0..t5 ran (f8, f9, t4, t5 under 1/1000), f10, f11
did not (a written profile), planned by cdsort for the modern cache and
rewritten: every unit's address in the output is checked against the rule
from the end of the unit before it (its address, size and the layout's
pad) and its own alignment in the input, and the rewritten program must print what the input does."""
import os
import re
import sys
import tempfile

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import oltest  # noqa: E402

N = 12  # functions; f0..f(HOT-1) ran
HOT = 10
TINY = 6  # t0..t5 ran too: a few bytes each, smaller than most gaps to 64


def source():
    """f_i loops i % 5 + 1 times over a switch of i % 7 + 1 cases: sizes from ~30 to ~200 bytes"""
    src = ["#include <stdio.h>", "#include <stdlib.h>"]
    for i in range(N):
        cases = " ".join("case %d: r = r * %d + %d; break;" % (c, c + 3, i) for c in range(i % 7 + 1))
        src.append("__attribute__((noinline)) int f%d(int x) { int r = x; for (int k = 0; k < %d; k++) "
                   "switch ((r + k) %% %d) { %s default: r ^= k; } return r; }"
                   % (i, i % 5 + 1, i % 7 + 2, cases))
    for i in range(TINY):
        src.append("__attribute__((noinline)) int t%d(int x) { return x * %d + 1; }" % (i, i + 3))
    calls = " + ".join(["f%d(x)" % i for i in range(HOT)] + ["t%d(x)" % i for i in range(TINY)])
    src.append("int main(int argc, char **argv) { int x = argc > 1 ? atoi(argv[1]) : 1; "
               "int s = %s; if (argc > 2) s += f10(x) + f11(x); printf(\"%%d\\n\", s); return 0; }" % calls)
    return "\n".join(src) + "\n"


def insns():
    """the profile's instructions per function: f8, f9, t4 and t5 ran less than 1/1000 of them all"""
    n = {"main": 100}
    n.update(("f%d" % i, 1000 * (i + 1) if i < HOT - 2 else 10) for i in range(HOT))
    n.update(("t%d" % i, 4 * (50 + i) if i < TINY - 2 else 10) for i in range(TINY))
    return n


def profile():
    lines = ["olayout-profile 2"]
    for name, count in insns().items():
        lines.append("function %s %d %d" % (name, 1 if name == "main" else 10, count))
        if name != "main":
            lines.append("edge main %s 10" % name)
    return "\n".join(lines) + "\n"


def places(layout):
    """(name, align, pad) of each place line"""
    out = []
    for ln in layout.split("\n"):
        m = re.match(r"place (\S+) align=(\d+)(?: pad=(\d+))?", ln)
        if m:
            out.append((m.group(1), int(m.group(2)), int(m.group(3) or 0)))
    return out


def symbols(exe):
    res = oltest.run(["nm", "-S", "--defined-only", exe])
    syms = {}
    for ln in res.out.decode().split("\n"):
        w = ln.split()
        if len(w) == 4 and w[2] in "tT":
            syms[w[3]] = (int(w[0], 16), int(w[1], 16))
    return syms


def natural(addr):
    """the alignment olayout keeps for code at addr in its input (up to 16)"""
    a = 1
    while a < 16 and addr % (2 * a) == 0:
        a *= 2
    return a


def check(layout, exe, out, hot_align):
    """each unit's address from the unit before's end: the names aligned, the
    names not (with + where only min(32, size) kept them), what broke the rule"""
    orig, syms = symbols(exe), symbols(out)
    aligned, packed, wrong = [], [], []
    prev_end = None
    for name, align, pad in places(layout):
        addr, size = syms[name]
        if prev_end is not None:
            gap = -prev_end % 64
            hot = insns().get(name, 0) * 1000 >= sum(insns().values())
            want64 = hot_align and hot and gap <= min(32, size)
            if want64 and addr == prev_end + gap:
                aligned.append(name)
            elif not want64 and addr == -(-prev_end // natural(orig[name][0])) * natural(orig[name][0]):
                packed.append(name + ("+" if hot and size < gap <= 32 else "-" if gap <= min(32, size) else ""))
            else:
                wrong.append("%s at 0x%x (size %d) after 0x%x" % (name, addr, size, prev_end))
        prev_end = addr + size + pad
    return aligned, packed, wrong


def main():
    tap = oltest.Tap()
    with tempfile.TemporaryDirectory() as work:
        src, exe, prof = (os.path.join(work, n) for n in ("ha.c", "ha", "ha.prof"))
        for path, text in ((src, source()), (prof, profile())):
            with open(path, "w") as f:
                f.write(text)
        cc = oltest.run(["gcc", "-O2", "-falign-functions=1", "-falign-jumps=1", "-falign-loops=1",
                         "-ffunction-sections", "-Wl,--emit-relocs", "-fpie", "-pie", "-o", exe, src])
        if cc.rc != 0:
            tap.ok(False, "the 12-function program compiles", oltest.describe(cc))
            return tap.done()
        want = oltest.run([exe, "3", "x"])
        for hot_align in (True, False):
            opt = ["--hot-align"] if hot_align else []
            out, lay = os.path.join(work, "out%d" % hot_align), os.path.join(work, "lay%d" % hot_align)
            res = oltest.olayout("optimize", "--strategy", "cdsort", "--cache", "modern", *opt,
                                 "--profile", prof, "--save-layout", lay, "-o", out, exe)
            if res.rc != 0:
                tap.ok(False, "optimize %s" % " ".join(opt), oltest.describe(res))
                continue
            with open(lay) as f:
                layout = f.read()
            aligned, packed, wrong = check(layout, exe, out, hot_align)
            if hot_align:
                tap.ok(not wrong and len(aligned) >= 3 and any(n.endswith("+") for n in packed) and
                   any(n.endswith("-") for n in packed),
                       "--hot-align: units that ran start on 64 when it costs at most min(32, size) "
                       "and it ran >= 1/1000 of the instructions (%d aligned, not: %s; +: size < gap "
                       "<= 32, -: under 1/1000)" % (len(aligned), packed),
                       "\n".join(wrong))
            else:
                tap.ok(not wrong and not aligned and "align=64" not in layout,
                       "without --hot-align every unit follows the one before at its own alignment",
                       "\n".join(wrong))
            got = oltest.run([out, "3", "x"])
            tap.ok(got.rc == 0 and got.out == want.out,
                   "%s: the rewritten program prints what the input does" % (" ".join(opt) or "packed"),
                   oltest.describe(got))
    return tap.done()


if __name__ == "__main__":
    sys.exit(main())
