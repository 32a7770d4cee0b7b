#!/usr/bin/python3
"""bad.t - BAD (olayout plan --strategy bad) in the paper's sense on every
bundled stack: the hot code and the functions it calls on the same cache
sets, so that a call misses going in and coming back. Of the calls the
round trip makes between the program's own functions (callgrind's call
counts, per call instruction, runs of N and 2N round trips as
bench/xkernel/callgrind.sh -k keeps them: deterministic), at least a
quarter return to a line on the alpha21064 set of their callee's entry
(8 KiB direct-mapped, 32-byte lines; STD, the linker's order: none on
either stack, 2026-12-03), and BAD makes as many calls as STD (the same
code: a count that missed the moved code would not). The misses this
costs are order.t's (BAD at least 1.5x STD's)."""
import collections
import os
import re
import subprocess
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "..", "olayout"))
sys.path.insert(0, os.path.join(HERE, "..", "..", "bench", "variants"))
from oltest import Tap, need, need_tool  # noqa: E402
import tables  # noqa: E402

BUILD = os.environ.get("BUILD", "build")
N = 100
LINE, SETS = 32, 256  # alpha21064
SHARE = 0.25


def stacks():
    """Every stack bench/variants/module.mk names (VARIANT_STACKS)."""
    for line in open("bench/variants/module.mk"):
        f = line.split()
        if f[:2] == ["VARIANT_STACKS", ":="]:
            return f[2:]
    return []


def call_lengths(exe):
    """{address: length} of exe's call instructions."""
    out = {}
    for line in tables.run(["objdump", "-d", "-w", exe]).splitlines():
        m = re.match(r"^\s*([0-9a-f]+):\t((?:[0-9a-f]{2} )+)\s*(?:notrack\s+)?call", line)
        if m:
            out[int(m.group(1), 16)] = len(m.group(2).split())
    return out


def calls(path, exe, syms):
    """{(call instruction address, callee address): calls} of exe's own code
    calling its own code, in a callgrind output with per-instruction
    positions; code callgrind gave no object ("???": olayout's new segment)
    has the load address taken off (tables.load_base)."""
    own = (os.path.basename(exe), "???")
    raw, lowest = collections.Counter(), {}
    for ob, fn, addr, _, call in tables.cg_records(path):
        if ob == "???":
            lowest[fn] = min(addr, lowest.get(fn, addr))
        if call and ob in own and call[2] in own:
            raw[ob, addr, call[2], call[1]] += call[0]
    base = tables.load_base(lowest, syms)
    off = {own[0]: 0, "???": base}
    return collections.Counter({(a - off[ob], to - off[cob]): n for (ob, a, cob, to), n in raw.items()})


def per_round_trip(exe, work):
    """(calls, calls tied) per round trip of exe's steady loop."""
    keep = tempfile.mkdtemp(dir=work)
    tables.run(["bench/xkernel/callgrind.sh", "-q", "-k", keep, "-n", str(N), exe], timeout=1800)
    lens, syms = call_lengths(exe), tables.symbols(exe)
    runs = [calls(os.path.join(keep, "%s.%d.out" % (os.path.basename(exe), k)), exe, syms) for k in (N, 2 * N)]
    grown = runs[1] - runs[0]
    rt = N + N // 10
    tied = sum(n for (a, to), n in grown.items()
               if a in lens and (a + lens[a]) // LINE % SETS == to // LINE % SETS)
    return sum(grown.values()) / rt, tied / rt


def main():
    lists = [os.path.join(BUILD, "variants", s, "variants.list") for s in stacks()]
    need(*lists)
    need_tool("valgrind")
    tap = Tap()
    work = tempfile.mkdtemp(prefix="badt.", dir=BUILD)
    for lst in lists:
        stack, _, _, rows = tables.read_list(lst)
        exe = {v: x for v, st, x in rows if st == "built"}
        tap.ok("BAD" in exe and "STD" in exe, "%s: BAD and STD are built" % stack, rows)
        if "BAD" not in exe or "STD" not in exe:
            continue
        got = {v: per_round_trip(exe[v], work) for v in ("BAD", "STD")}
        Tap.diag("%s: calls per round trip, tied: %s" % (
            stack, ", ".join("%s %.1f of %.1f" % (v, t, c) for v, (c, t) in got.items())))
        c, t = got["BAD"]
        tap.ok(c > 0 and t >= SHARE * c,
               "%s BAD: at least %.2f of the round trip's calls return to their callee's set (%.1f of %.1f)"
               % (stack, SHARE, t, c))
        # the control: the same code makes the same calls, wherever it lies
        tap.ok(c == got["STD"][0], "%s BAD: as many calls per round trip as STD, counted the same way "
               "in its moved code (%.1f, STD %.1f)" % (stack, c, got["STD"][0]))
    subprocess.run(["rm", "-rf", work])
    return tap.done()


if __name__ == "__main__":
    sys.exit(main())
