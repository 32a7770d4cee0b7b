#!/usr/bin/python3
"""One movability decision (issue #16, defect 3). In every static corpus
build (calc.static: glibc's _dl_tlsdesc_undefweak has an FDE starting
before its symbol): `info --json` calls it unmovable, with the reason;
a layout placing every function info calls movable rewrites (info and
rewrite agree); a layout naming the unmovable one fails as
`LAYOUT:LINE: 'x' cannot move: REASON`, leaving no output; with
`--skip-unmovable` the rewrite warns the same way, leaves it in place, and
the output verifies and runs as the input."""
import json
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import oltest  # noqa: E402

ODD = "_dl_tlsdesc_undefweak"


def write(path, lines):
    with open(path, "w") as f:
        f.write("\n".join(["olayout-layout 1"] + lines) + "\n")
    return path


def main():
    oltest.need_olayout()
    exe = os.path.join(oltest.CORPUS, "calc.static")
    oltest.need(exe)
    tap = oltest.Tap()
    work = oltest.workdir("movable")
    res = oltest.olayout("info", "--json", exe)
    funcs = json.loads(res.out)["functions"] if res.rc == 0 else []
    fns = {f["name"]: f for f in funcs}
    odd = fns.get(ODD, {})
    tap.ok(odd.get("movable") is False and "FDE" in odd.get("reason", ""),
           "info: %s is not movable, its FDE covers other code" % ODD, str(odd))

    movable = sorted(f["name"] + ("@" + f["file"] if f.get("file") else "") for f in funcs
                     if f["movable"])
    lay = write(os.path.join(work, "all.layout"), ["place " + n for n in movable])
    out = os.path.join(work, "all.out")
    res = oltest.olayout("rewrite", "--layout", lay, "-o", out, exe)
    ver = oltest.olayout("verify", out) if res.rc == 0 else res
    tap.ok(res.rc == 0 and ver.rc == 0, "rewrite places all %d functions info calls movable"
           % len(movable), oltest.describe(res if res.rc else ver))

    lay = write(os.path.join(work, "odd.layout"), ["place main", "place " + ODD])
    out = os.path.join(work, "odd.out")
    res = oltest.olayout("rewrite", "--layout", lay, "-o", out, exe)
    want = b"olayout: %s:3: '%s' cannot move: " % (lay.encode(), ODD.encode())
    tap.ok(res.rc == 1 and res.err.startswith(want) and res.err.count(b"\n") == 1 and
           not os.path.exists(out), "a layout placing %s: one line LAYOUT:3, no output" % ODD,
           oltest.describe(res))

    res = oltest.olayout("rewrite", "--skip-unmovable", "--layout", lay, "-o", out, exe)
    warn = b"olayout: warning: %s:3: '%s' cannot move: " % (lay.encode(), ODD.encode())
    tap.ok(res.rc == 0 and res.err.startswith(warn) and b"left in place" in res.err,
           "--skip-unmovable: the same reason as a warning, exit 0", oltest.describe(res))
    info = oltest.olayout("info", "--json", out) if res.rc == 0 else res
    moved = {f["name"]: f["addr"] for f in json.loads(info.out)["functions"]} if info.rc == 0 else {}
    tap.ok(moved.get(ODD) == odd.get("addr") and moved.get("main") not in (None, fns["main"]["addr"]),
           "--skip-unmovable: main moved, %s stayed" % ODD, oltest.describe(info))
    ver = oltest.olayout("verify", out)
    orig, got = oltest.run([exe]), oltest.run([out])
    tap.ok(ver.rc == 0 and (got.rc, got.out) == (orig.rc, orig.out),
           "--skip-unmovable: the output verifies and runs as the input",
           oltest.describe(ver) + " exit %s want %s" % (got.rc, orig.rc))
    return tap.done()


if __name__ == "__main__":
    sys.exit(main())
