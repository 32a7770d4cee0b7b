#!/usr/bin/python3
"""olayout plan --strategy cdsort on a set-associative cache (ol_plan_cds.c
worth): the chains are packed, and, as in LLVM's CDSort, a merge gains per
byte of the smaller chain and no chain grows past 128 units. On a
direct-mapped cache (first fit) a merge keeps its whole gain and chains
have no limit (sqlite3 and jq measured both ways, bench/results/external.md).

Per byte, on the corpus's `sorts` (-g PIE) with a written profile: main
(1046 bytes) calls sorts_weight (206 bytes) 4000 times, sorts_cmp_up (19
bytes) 2000 times (indirectly: at main's middle), quick (190 bytes) calls
sorts_cmp_up 500 times. By the whole gain (first fit) the order is quick,
sorts_cmp_up, main, sorts_weight; per byte (packed) main and sorts_cmp_up
merge first (the 19 bytes of sorts_cmp_up), then sorts_weight, then
quick: main, sorts_cmp_up, sorts_weight, quick.

The limit, on a program of 140 functions f0..f139 in one call chain
(f_i calls f_i+1, compiled here; f_i denser the higher i): packed, the
chain breaks after 128 units (f12..f139 first, the denser, then main,
f0..f11); first fit keeps one chain in call order.

The frequency term, packed, models the geometry's cache: one page per
way, of a way's bytes (modern: 8 of 4096), not LLVM's 16 of 2048. quick
(190 bytes, 10^6 entries) calls merge (359 bytes, 100 entries) 100 times;
sorts_cmp_up takes 10^7 entries, sorts_weight (1000 entries, 206 bytes)
is between quick and merge in density. Merging quick with merge gains
100 / 96^0.25 = 31.9 by distance; the merged chain (549 bytes) misses
1000100 (1 - 4096 x 1000100 / 549 / T)^8 = 115 times on 8 pages of 4 KB
(a quarter of the loss: 3.8; merged), 1330 times on 16 pages of 2 KB and
10750 on 4 pages of 4 KB (16384:4:64): not merged, sorts_weight between
them.

Packed, a call's distance score counts against its two ends lying as far
apart as all the hot code (LLVM's distBasedLocalityGain): count ((1 +
d)^-0.25 - (1 + T)^-0.25). The same four units, quick calling merge 20
times from its middle (d = 95): T = 774 hot bytes, the merge gains 20 x
(96^-0.25 - 775^-0.25) = 2.6 by distance against the frequency term's
loss of 3.6 (a quarter of 114 - 100 misses): not merged; without the far
score it would gain 20 x 96^-0.25 = 6.4 and merge."""
import os
import sys
import tempfile

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import oltest  # noqa: E402

N = 140  # functions in the call chain

# the calls first: main's two callees, then quick's
PROFILE = """olayout-profile 2
edge main sorts_weight 4000
edge main sorts_cmp_up 2000
edge quick sorts_cmp_up 500
function sorts_weight 4000 360000
function sorts_cmp_up 3000 12000
function quick 100 3000
function main 1 1000
"""

# a dense caller and a sparse callee, a ballast of entries, and a unit of
# density between them
PAGES = """olayout-profile 2
function sorts_cmp_up 10000000 40000000
function quick 1000000 50000000
function sorts_weight 1000 206000
function merge 100 2000
edge quick merge 100
"""


# the frequency model's profile, quick calling merge only 20 times
FAR = PAGES.replace("edge quick merge 100", "edge quick merge 20")


def placed(res):
    """the unit names of a plan's place lines, in order"""
    return [ln.split()[1] for ln in res.out.decode(errors="replace").split("\n")
            if ln.startswith("place ")]


def chain_src():
    """f0 .. f139, each calling the next directly, and main calling f0"""
    src = ["#include <stdio.h>"]
    for i in range(N - 1, -1, -1):
        call = "r = f%d(x + 1, n);" % (i + 1) if i + 1 < N else ""
        src.append("__attribute__((noinline)) int f%d(int x, int n) { int r = x * %d; "
                   "for (int k = 0; k < n; k++) r ^= r >> 3; %s return r; }" % (i, i + 3, call))
    src.append('int main(int argc, char **argv) { (void)argv; printf("%d\\n", f0(argc, 3)); return 0; }')
    return "\n".join(src) + "\n"


def chain_prof():
    lines = ["olayout-profile 2", "function main 1 10", "edge main f0 1"]
    for i in range(N):
        lines.append("function f%d 100 %d" % (i, 1000 * (i + 1)))
        if i + 1 < N:
            lines.append("edge f%d f%d 100" % (i, i + 1))
    return "\n".join(lines) + "\n"


def longest_run(names):
    """the most units placed in a row, each the callee of the one before"""
    best = run = 1
    for a, b in zip(names, names[1:]):
        run = run + 1 if a.startswith("f") and b == "f%d" % (int(a[1:]) + 1) else 1
        best = max(best, run)
    return best


def per_byte(tap, work):
    exe = [e for p, c, e in oltest.corpus() if p == "sorts" and c == "pie-g"][0]
    prof = os.path.join(work, "sorts.prof")
    with open(prof, "w") as f:
        f.write(PROFILE)
    hot = ("main", "sorts_cmp_up", "sorts_weight", "quick")
    packed = oltest.olayout("plan", "--strategy", "cdsort", "--profile", prof, "--cache", "modern", exe)
    direct = oltest.olayout("plan", "--strategy", "cdsort", "--profile", prof, "--cache", "512:1:32", exe)
    got = [n for n in placed(packed) if n in hot]
    tap.ok(packed.rc == 0 and got == list(hot),
           "packed: merged per byte of the smaller chain: main, sorts_cmp_up, sorts_weight, quick (%s)"
           % got, oltest.describe(packed))
    got = [n for n in placed(direct) if n in hot]
    tap.ok(direct.rc == 0 and got == ["quick", "sorts_cmp_up", "main", "sorts_weight"],
           "first fit: merged by the whole gain: quick, sorts_cmp_up, main, sorts_weight (%s)" % got,
           oltest.describe(direct))


def limit(tap, work):
    src, exe, prof = (os.path.join(work, n) for n in ("chain.c", "chain", "chain.prof"))
    for path, text in ((src, chain_src()), (prof, chain_prof())):
        with open(path, "w") as f:
            f.write(text)
    cc = oltest.run(["gcc", "-O2", "-g", "-ffunction-sections", "-Wl,--emit-relocs", "-fpie", "-pie",
                     "-o", exe, src])
    if cc.rc != 0:
        tap.ok(False, "the 140-function chain compiles", oltest.describe(cc))
        return
    packed = oltest.olayout("plan", "--strategy", "cdsort", "--profile", prof, "--cache", "modern", exe)
    direct = oltest.olayout("plan", "--strategy", "cdsort", "--profile", prof, "--cache", "512:1:32", exe)
    names = placed(packed)
    tap.ok(packed.rc == 0 and len(names) == N + 1 and longest_run(names) == 128 and
           names[:1] == ["f12"] and names[128:130] == ["main", "f0"],
           "packed: a chain holds at most 128 units: f12..f139, then main, f0..f11 (longest run %d, %s)"
           % (longest_run(names), names[:2] + names[127:131]), oltest.describe(packed))
    names = placed(direct)
    tap.ok(direct.rc == 0 and longest_run(names) == N,
           "first fit: one chain of all %d f's (longest run %d)" % (N, longest_run(names)),
           oltest.describe(direct))


def pages(tap, work):
    exe = [e for p, c, e in oltest.corpus() if p == "sorts" and c == "pie-g"][0]
    prof = os.path.join(work, "pages.prof")
    with open(prof, "w") as f:
        f.write(PAGES)
    for geom, merged in (("modern", True), ("16384:4:64", False)):
        res = oltest.olayout("plan", "--strategy", "cdsort", "--profile", prof, "--cache", geom, exe)
        got = placed(res)
        ok = res.rc == 0 and "quick" in got and "merge" in got
        tap.ok(ok and (abs(got.index("quick") - got.index("merge")) == 1) == merged,
               "%s: quick and merge %s (%s)" % (geom, "merged" if merged else "apart", got),
               oltest.describe(res))


def far(tap, work):
    exe = [e for p, c, e in oltest.corpus() if p == "sorts" and c == "pie-g"][0]
    prof = os.path.join(work, "far.prof")
    with open(prof, "w") as f:
        f.write(FAR)
    res = oltest.olayout("plan", "--strategy", "cdsort", "--profile", prof, "--cache", "modern", exe)
    got = placed(res)
    ok = res.rc == 0 and "quick" in got and "merge" in got
    tap.ok(ok and abs(got.index("quick") - got.index("merge")) > 1,
           "modern, 20 calls: the distance gain against far apart does not pay for the dilution: "
           "quick and merge apart (%s)" % got, oltest.describe(res))


def main():
    tap = oltest.Tap()
    with tempfile.TemporaryDirectory() as work:
        per_byte(tap, work)
        limit(tap, work)
        pages(tap, work)
        far(tap, work)
    return tap.done()


if __name__ == "__main__":
    sys.exit(main())
