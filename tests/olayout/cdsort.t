#!/usr/bin/python3
"""olayout plan --strategy cdsort (ol_plan_cds.c): chains merged by call
distance, not only a callee with its most frequent caller (hfsort).

On the corpus's `sorts` (-g PIE) with a written profile: sorts_cmp_up is
called by quick (3000 times) and by merge (2500 times); sorts_weight and
sorts_classify are denser than merge and call nothing. hfsort joins
sorts_cmp_up to quick only and puts sorts_classify (denser) before merge;
cdsort puts the callee between its two callers (quick, sorts_cmp_up,
merge in a row, either way round), back to back (a 2-way cache: packed),
the densest chain first and main last: packed, by entries per byte as
LLVM's CDSort orders its chains (quick, sorts_cmp_up, merge: 5700 entries
in 568 bytes, 10 per byte; sorts_weight 4.9; main 0.001). On a
direct-mapped cache the units go first fit onto free sets instead, by
instructions per byte (sorts_weight first: 90000 in 206 bytes), and
never-run code fills the gaps (more hot code than the cache: 2028 bytes,
512-byte cache). The plan is the same twice, and optimize's output of it
passes verify and runs as the input does.

Past 4 caches of hot code the other planners pack what is left; cdsort
still fits (jq alpha21064, bench/results/external.md): with a 256-byte
direct-mapped cache, main (1046 bytes, hot in its first line only, the
densest) goes first and fills 4 caches, and merge (hot at byte 192) must
still go where its hot line finds a free set, not packed right after
main.

On a direct-mapped cache a unit's callers and callees run in turn with
it: a set shared with them costs 4 times a set shared with code as hot
that runs at other times (jq's jq_next on its callees' sets,
bench/results/external.md). Two sets, one hot line per unit:
sorts_cmp_down (2000 instructions, the densest) first, then quick (500)
on the free set, then its callee sorts_cmp_up (1000): with quick's set it
would share 500, with sorts_cmp_down's 1000; it goes on sorts_cmp_down's."""
import os
import subprocess
import sys
import tempfile

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import oltest  # noqa: E402

PROFILE = """olayout-profile 2
function main 1 1000
function quick 100 30000
function merge 100 20000
function sorts_cmp_up 5500 22000
function sorts_weight 1000 90000
function sorts_classify 1000 40000
edge quick sorts_cmp_up 3000
edge merge sorts_cmp_up 2500
"""

# one hot line per unit (its first 16 bytes); quick calls sorts_cmp_up
NEAR = """olayout-profile 4
function quick 10 500
function sorts_cmp_up 100 1000
function sorts_cmp_down 100 2000
edge quick sorts_cmp_up 100
insn quick 0 500
insn sorts_cmp_up 0 1000
insn sorts_cmp_down 0 2000
"""

# main's first line and merge's byte 192 hot (instruction counts, version 4)
PAST = """olayout-profile 4
function main 1 1000000
function merge 100 20000
insn main 0 500000
insn main 16 500000
insn merge 192 20000
"""


def placed(text):
    """the unit names of a layout's place lines, in order"""
    return [ln.split()[1] for ln in text.split("\n") if ln.startswith("place ")]


def main():
    tap = oltest.Tap()
    exe = [e for p, c, e in oltest.corpus() if p == "sorts" and c == "pie-g"][0]
    with tempfile.TemporaryDirectory() as work:
        prof = os.path.join(work, "sorts.prof")
        with open(prof, "w") as f:
            f.write(PROFILE)
        res = {s: oltest.olayout("plan", "--strategy", s, "--profile", prof, "--cache", "1024:2:32", exe)
               for s in ("cdsort", "hfsort")}
        direct = oltest.olayout("plan", "--strategy", "cdsort", "--profile", prof, "--cache", "512:1:32", exe)
        again = oltest.olayout("plan", "--strategy", "cdsort", "--profile", prof, "--cache", "512:1:32", exe)
        got = {s: placed(r.out.decode(errors="replace")) for s, r in res.items()}
        cds = got["cdsort"]
        tap.ok(res["cdsort"].rc == 0 and len(cds) == 6, "cdsort plans the six hot units",
               oltest.describe(res["cdsort"]))
        at = [cds.index(n) if n in cds else -9 for n in ("quick", "sorts_cmp_up", "merge")]
        tap.ok(sorted(at) == list(range(min(at), min(at) + 3)) and at[1] == min(at) + 1,
               "cdsort: the callee between its two callers, in a row (%s)" % cds)
        hf = got["hfsort"]
        tap.ok(res["hfsort"].rc == 0 and abs(hf.index("merge") - hf.index("sorts_cmp_up")) > 1,
               "hfsort (the contrast): merge apart from sorts_cmp_up (%s)" % hf)
        tap.ok(cds[:3] == ["quick", "sorts_cmp_up", "merge"] and cds[-1:] == ["main"],
               "cdsort packed: the most entries per byte first (quick, sorts_cmp_up, merge), "
               "main last (%s)" % cds)
        text = res["cdsort"].out.decode(errors="replace")
        tap.ok("pad=" not in text, "cdsort, 2-way cache: packed, no padding")
        fit = placed(direct.out.decode(errors="replace"))
        fill = [u for u in fit if u not in cds]
        tap.ok(direct.rc == 0 and set(cds) <= set(fit) and fill,
               "cdsort, direct-mapped cache: first fit, never-run code in the gaps (%s)" % fit,
               oltest.describe(direct))
        tap.ok(again.rc == 0 and again.out == direct.out, "cdsort: the same plan twice")
        out = os.path.join(work, "sorts.cds")
        opt = oltest.olayout("optimize", "--strategy", "cdsort", "--profile", prof, "--cache",
                             "512:1:32", "-o", out, exe)  # with the gaps filled
        ran = [subprocess.run([x], capture_output=True, timeout=60) for x in (exe, out)] \
            if opt.rc == 0 else []
        tap.ok(opt.rc == 0 and ran[0].returncode == ran[1].returncode and ran[0].stdout == ran[1].stdout,
               "cdsort: optimize's output verified, runs as the input", oltest.describe(opt))
        tap.ok(*past_four_caches(work, exe))
        tap.ok(*near_apart(work, exe))
        hot = [u for u in fit if u in cds]
        tap.ok(hot[:1] == ["sorts_weight"] and hot[-1:] == ["main"],
               "cdsort first fit: the most instructions per byte first (sorts_weight), main last (%s)"
               % hot)
    return tap.done()


def past_four_caches(work, exe):
    """(ok, name, detail): merge, placed after main's 4 caches of hot code,
    not packed right behind main (padding or never-run code between)"""
    prof = os.path.join(work, "past.prof")
    with open(prof, "w") as f:
        f.write(PAST)
    res = oltest.olayout("plan", "--strategy", "cdsort", "--profile", prof, "--cache", "256:1:32", exe)
    lines = [ln for ln in res.out.decode(errors="replace").split("\n") if ln.startswith("place ")]
    names = [ln.split()[1] for ln in lines]
    ok = res.rc == 0 and "main" in names and "merge" in names
    if ok:
        m = names.index("main")
        ok = names.index("merge") > m and (names[m + 1] != "merge" or "pad=" in lines[m])
    return ok, "cdsort: past 4 caches of hot code still first fit (%s)" % lines, oltest.describe(res)


def near_apart(work, exe):
    """(ok, name, detail): on a 2-set direct-mapped cache sorts_cmp_up's hot
    line shares the set of sorts_cmp_down (unrelated, hotter), not its
    caller quick's"""
    prof = os.path.join(work, "near.prof")
    with open(prof, "w") as f:
        f.write(NEAR)
    res = oltest.olayout("plan", "--strategy", "cdsort", "--profile", prof, "--cache", "64:1:32", exe)
    sets = {}
    for ln in res.out.decode(errors="replace").split("\n"):
        if ln.startswith("place ") and "# 0x" in ln:
            sets[ln.split()[1]] = int(ln.split("# 0x")[1], 16) // 32 % 2
    ok = res.rc == 0 and len({"quick", "sorts_cmp_up", "sorts_cmp_down"} & set(sets)) == 3 and \
        sets["sorts_cmp_up"] != sets["quick"] and sets["sorts_cmp_up"] == sets["sorts_cmp_down"]
    return ok, "cdsort, direct-mapped: a callee off its caller's set, on hotter code's (%s)" % sets, \
        oltest.describe(res)


if __name__ == "__main__":
    sys.exit(main())
