#!/usr/bin/python3
"""One spelling for every function in a layout (issue #16, defect 4):
progs/names has a global `helper` in a.c and a static `helper` in b.c.
`place helper` is the global one, `place helper@b.c` the static one (each
moves alone, both together too; the output verifies and runs as the
input); `helper@a.c` is unknown (the global has no file) with a hint;
`info --json` gives the static its file, so `NAME@FILE` can be formed."""
import json
import os
import subprocess
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
import oltest  # noqa: E402

SRC = [os.path.join(HERE, "progs", "names", f) for f in ("a.c", "b.c")]


def addrs(exe):
    """name -> [(addr, file)] of the functions info lists."""
    res = oltest.olayout("info", "--json", exe)
    out = {}
    for f in json.loads(res.out)["functions"] if res.rc == 0 else []:
        out.setdefault(f["name"], []).append((f["addr"], f.get("file")))
    return out


def main():
    oltest.need_olayout()
    tap = oltest.Tap()
    work = oltest.workdir("names")
    for config, flags in (("pie", ["-fpie", "-pie"]), ("nopie", ["-fno-pie", "-no-pie"])):
        exe = os.path.join(work, "names." + config)
        subprocess.run(["gcc", "-O2", "-ffunction-sections", "-Wl,--emit-relocs", "-o", exe]
                       + flags + SRC, check=True)
        want = oltest.run([exe])
        before = addrs(exe)
        helpers = sorted(before.get("helper", []), key=lambda h: h[1] or "")
        tap.ok(len(helpers) == 2 and helpers[0][1] is None and helpers[1][1] == "b.c",
               "%s: info lists the global helper (no file) and helper of b.c" % config,
               str(helpers))
        if len(helpers) != 2:
            continue
        glob, stat = helpers[0][0], helpers[1][0]
        for names, moved in ((["helper"], {glob}), (["helper@b.c"], {stat}),
                             (["helper", "helper@b.c"], {glob, stat})):
            lay = os.path.join(work, "%s.%s.layout" % (config, len(moved) + 2 * (stat in moved)))
            out = lay + ".out"
            with open(lay, "w") as f:
                f.write("olayout-layout 1\n" + "".join("place %s\n" % n for n in names))
            res = oltest.olayout("rewrite", "--layout", lay, "-o", out, exe)
            after = {a for a, _ in addrs(out).get("helper", [])} if res.rc == 0 else set()
            ver = oltest.olayout("verify", out) if res.rc == 0 else res
            got = oltest.run([out]) if res.rc == 0 else res
            stayed, new = after & {glob, stat}, after - {glob, stat}
            tap.ok(res.rc == 0 and stayed == {glob, stat} - moved and len(new) == len(moved) and
                   ver.rc == 0 and (got.rc, got.out) == (want.rc, want.out),
                   "%s: place %s moves exactly that; verifies, runs the same"
                   % (config, " and ".join(names)), oltest.describe(res if res.rc else ver))
        lay = os.path.join(work, config + ".bad.layout")
        with open(lay, "w") as f:
            f.write("olayout-layout 1\nplace helper@a.c\n")
        res = oltest.olayout("rewrite", "--layout", lay, "-o", lay + ".out", exe)
        tap.ok(res.rc == 1 and b"%s:2: unknown function 'helper@a.c'" % lay.encode() in res.err
               and b"without @FILE" in res.err, "%s: helper@a.c is unknown, with a hint" % config,
               oltest.describe(res))
    return tap.done()


if __name__ == "__main__":
    sys.exit(main())
