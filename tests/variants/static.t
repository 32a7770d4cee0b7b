#!/usr/bin/python3
"""static.t - issue #11's goal for outlining on each bundled stack (make
variants): every path's static hot size in instructions after outlining (OUT)
is at most 0.66 of STD's (the paper's TCP/IP critical path: 5841 -> 3856,
0.66), counted as Table 5 of bench/variants/tables.py counts it (the hot
parts of the path's root and layers, olayout paths). Deterministic: the
executables' bytes. A control: both rows find the same number of the path's
functions, so a member lost from OUT cannot make its sum small."""
import os
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "..", "olayout"))
sys.path.insert(0, os.path.join(HERE, "..", "..", "bench", "variants"))
from oltest import Tap, need  # noqa: E402
import tables  # noqa: E402

BUILD = os.environ.get("BUILD", "build")
GOAL = 0.66


def rows(listing):
    """(stack, profile, {variant: exe}) of a variants.list."""
    stack, profile, built = None, None, {}
    for line in open(listing):
        f = line.split()
        if f[0] == "stack":
            stack, profile = f[1], f[3]
        elif f[0] == "variant" and f[2] == "built":
            built[f[1]] = f[3]
    return stack, profile, built


def main():
    tap = Tap()
    vdir = os.path.join(BUILD, "variants")
    lists = sorted(os.path.join(vdir, d, "variants.list") for d in os.listdir(vdir)) if os.path.isdir(vdir) else []
    need(*(lists or [os.path.join(vdir, "tcpip", "variants.list")]))
    for listing in lists:
        stack, profile, built = rows(listing)
        need(built["STD"], built["OUT"])
        size, count = {}, {}
        for v in ("STD", "OUT"):
            size[v] = tables.path_sizes(BUILD, built[v], profile, v, tables.instr_lengths(built[v]))
            count[v] = {p: len(m) for p, m in tables.path_members(BUILD, built[v], profile, v).items()}
        for path, (_, std) in size["STD"].items():
            out = size["OUT"].get(path, (0, 0))[1]
            tap.ok(count["OUT"].get(path) == count["STD"][path] and count["STD"][path] > 0,
                   "%s %s: OUT and STD find the same functions of the path (%s, %s)"
                   % (stack, path, count["STD"][path], count["OUT"].get(path)))
            tap.ok(0 < out <= GOAL * std, "%s %s: OUT's hot instructions at most %.2f of STD's (%d / %d = %.3f)"
                   % (stack, path, GOAL, out, std, out / std))
    return tap.done()


sys.exit(main())
