#!/usr/bin/python3
"""olayout map: a picture of the i-cache sets a program's code maps to.

On the corpus program `layers` (its push chain, corpus/layers/clone.path)
with a profile written here naming that chain as a path: the SVG parses
(python's xml.etree), has one cell per set (twice with --vs), every set the
hot function udp_push covers (olayout info --json) is a path cell, the
conflict marks agree with the summary's count; without a profile no cell is
path code; -o FILE.png is a PNG (rsvg-convert, which make deps installs).
Bad input (unknown geometry, a non-ELF, an unwritable or badly named -o, a
malformed profile, a PNG without rsvg-convert on PATH): one line, exit 1, nothing left behind.
"""
import json
import os
import re
import subprocess
import sys
import xml.etree.ElementTree as ET

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import oltest  # noqa: E402

SVG = "{http://www.w3.org/2000/svg}"
CHAIN = "app_send udp_push ip_push eth_push wire_xmit"
PROFILE = ("olayout-profile 2\ncache tiny 1024 1 32\npath push %s\nlibrary msg_sum\n"
           "function main 1 100\nfunction udp_push 10 5000\nfunction msg_sum 10 900\n" % CHAIN)


def cells(svg):
    return [r for r in ET.parse(svg).getroot().iter(SVG + "rect") if "cell" in r.get("class", "").split()]


def sets_of(exe, name, nsets, line):
    info = json.loads(oltest.olayout("info", "--json", exe).out)
    fn = next(f for f in info["functions"] if f["name"] == name)
    return {l % nsets for l in range(fn["addr"] // line, (fn["addr"] + fn["size"] - 1) // line + 1)}


def summary(res):
    m = re.search(rb"sets (\d+): path (\d+), library (\d+), other hot (\d+), cold only (\d+), "
                  rb"unused (\d+), conflicting (\d+)", res.out)
    return [int(x) for x in m.groups()] if m else None


def bad(tap, work, what, args, out, env=None, pattern=r"^olayout: "):
    before = sorted(os.listdir(work))
    p = subprocess.run([oltest.OLAYOUT, "map"] + args, capture_output=True, env=env, timeout=60)
    res = oltest.Result(p.returncode, p.stdout, p.stderr)
    lines = res.err.decode().strip().splitlines()
    tap.ok(res.rc == 1 and len(lines) == 1 and re.search(pattern, lines[0])
           and not os.path.exists(out) and sorted(os.listdir(work)) == before,
           "map refuses %s: one line, exit 1, nothing left" % what, oltest.describe(res))


def main():
    tap = oltest.Tap()
    oltest.need_olayout()
    oltest.need_tool("rsvg-convert")
    exe = os.path.join(oltest.CORPUS, "layers.pie")
    other = os.path.join(oltest.CORPUS, "layers.nopie")
    oltest.need(exe, other)
    work = oltest.workdir("map")
    prof = os.path.join(work, "p.prof")
    with open(prof, "w") as f:
        f.write(PROFILE)
    svg = os.path.join(work, "m.svg")

    res = oltest.olayout("map", "--help")
    tap.ok(res.rc == 0 and b"usage: olayout map" in res.out, "map --help")

    res = oltest.olayout("map", "--profile", prof, "-o", svg, exe)
    got = summary(res)
    cs = cells(svg) if res.rc == 0 else []
    tap.ok(res.rc == 0 and got and got[0] == 32 and len(cs) == 32,
           "tiny (the profile's cache, 32 sets): one cell per set", oltest.describe(res))
    want = sets_of(exe, "udp_push", 32, 32)
    roles = {int(c.get("data-set")): c.get("class").split()[1] for c in cs}
    tap.ok(want and all(roles.get(s) == "path" for s in want),
           "udp_push's sets %s are path cells" % sorted(want), roles)
    marked = sum(1 for c in cs if "conflict" in c.get("class").split())
    tap.ok(got and got[6] > 0 and marked == got[6],
           "conflict marks (%d) = the summary's conflicting sets" % marked, got)
    tap.ok(got and got[1] == sum(1 for r in roles.values() if r == "path"),
           "summary's path sets = path cells", got)

    res = oltest.olayout("map", "-o", svg, exe, "--vs", other)
    cs = cells(svg) if res.rc == 0 else []
    tap.ok(res.rc == 0 and len(cs) == 2 * 256 and len(res.out.splitlines()) == 2
           and not any("path" in c.get("class") for c in cs),
           "no profile, alpha21064, --vs: 2 x 256 cells, none path, two summary lines",
           oltest.describe(res))

    png = os.path.join(work, "m.png")
    res = oltest.olayout("map", "--cache", "modern", "-o", png, exe)
    with open(png, "rb") if res.rc == 0 else open(os.devnull, "rb") as f:
        head = f.read(8)
    tap.ok(res.rc == 0 and head == b"\x89PNG\r\n\x1a\n", "-o FILE.png is a PNG",
           oltest.describe(res))

    bad_dir = os.path.join(work, "bad")
    os.makedirs(bad_dir, exist_ok=True)
    out = os.path.join(bad_dir, "x.svg")
    text = os.path.join(bad_dir, "text")
    with open(text, "w") as f:
        f.write("not an ELF\n")
    # the option is named, not EXE (no profile: none to name)
    bad(tap, bad_dir, "an unknown geometry", ["--cache", "3000:1:32", "-o", out, exe], out,
        pattern=r"^olayout: --cache '3000:1:32': unknown cache: want alpha21064, modern")
    bad(tap, bad_dir, "a non-ELF", ["-o", out, text], out)
    bad(tap, bad_dir, "a non-ELF --vs", ["-o", out, exe, "--vs", text], out)
    bad(tap, bad_dir, "a malformed profile", ["--profile", text, "-o", out, exe], out)
    bad(tap, bad_dir, "-o in a missing directory", ["-o", os.path.join(bad_dir, "no", "x.svg"), exe], out)
    bad(tap, bad_dir, "-o FILE.txt", ["-o", os.path.join(bad_dir, "x.txt"), exe], out)
    bad(tap, bad_dir, "-o FILE.png without rsvg-convert", ["-o", os.path.join(bad_dir, "x.png"), exe],
        os.path.join(bad_dir, "x.png"), env={"PATH": bad_dir})
    return tap.done()


if __name__ == "__main__":
    sys.exit(main())
