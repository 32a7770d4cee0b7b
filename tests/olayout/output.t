#!/usr/bin/python3
"""Where rewrite writes, and the words for inputs of the wrong kind
(issue #16, defect 1 and its wording). `-o` naming a FIFO, a socket, a
character device (made here, as root) or a directory is refused in one
line saying what it is, and the node stays as it was; `-o` naming a
symlink writes the link's target (the link stays a link, the target is the
rewritten program: it verifies and runs as the input), a dangling symlink
is refused. A directory as EXE is "not a regular file" for every
subcommand, as layout too; a shared library is "not an executable" for
info, verify and rewrite. Nothing is left behind in any case."""
import os
import socket
import stat
import subprocess
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import oltest  # noqa: E402

HERE = os.path.dirname(os.path.abspath(__file__))


def one_line(res, rc, text):
    return res.rc == rc and res.err.count(b"\n") == 1 and text.encode() in res.err


def main():
    oltest.need_olayout()
    exe = os.path.join(oltest.CORPUS, "calc.pie")
    oltest.need(exe)
    tap = oltest.Tap()
    work = oltest.workdir("output")
    lay = os.path.join(work, "rev.layout")
    with open(lay, "w") as f:
        f.write("olayout-layout 1\nplace calc_gcd\nplace main\n")

    nodes = {}
    os.mkfifo(os.path.join(work, "fifo"))
    nodes["fifo"] = "a FIFO"
    sock = socket.socket(socket.AF_UNIX)
    sock.bind(os.path.join(work, "sock"))
    nodes["sock"] = "a socket"
    os.mkdir(os.path.join(work, "dir"))
    nodes["dir"] = "a directory"
    if os.geteuid() == 0:
        os.mknod(os.path.join(work, "null"), 0o666 | stat.S_IFCHR, os.makedev(1, 3))
        nodes["null"] = "a character device"
    else:
        tap.ok(True, "-o over a character device", skip="not root: cannot mknod")
    for name, kind in sorted(nodes.items()):
        node = os.path.join(work, name)
        mode = os.lstat(node).st_mode
        res = oltest.olayout("rewrite", "--layout", lay, "-o", node, exe)
        left = [f for f in os.listdir(work) if ".tmp." in f]
        tap.ok(one_line(res, 1, "%s: not a regular file (%s)" % (node, kind)) and
               os.lstat(node).st_mode == mode and not left,
               "-o over %s: refused, the node unchanged" % kind, oltest.describe(res))
    sock.close()

    target = os.path.join(work, "target")
    with open(target, "w") as f:
        f.write("old\n")
    link = os.path.join(work, "link")
    os.symlink("target", link)
    res = oltest.olayout("rewrite", "--layout", lay, "-o", link, exe)
    ver = oltest.olayout("verify", target)
    want = oltest.run([exe])
    got = oltest.run([target]) if os.access(target, os.X_OK) else ver
    left = [f for f in os.listdir(work) if ".tmp." in f]
    tap.ok(res.rc == 0 and os.path.islink(link) and os.readlink(link) == "target" and
           ver.rc == 0 and (got.rc, got.out) == (want.rc, want.out) and not left,
           "-o over a symlink: the link stays, its target is the output",
           oltest.describe(res if res.rc else ver))
    dangling = os.path.join(work, "dangling")
    os.symlink("missing", dangling)
    res = oltest.olayout("rewrite", "--layout", lay, "-o", dangling, exe)
    tap.ok(one_line(res, 1, "%s: a symlink to a missing file" % dangling) and
           not os.path.exists(os.path.join(work, "missing")),
           "-o over a dangling symlink: refused", oltest.describe(res))

    d = os.path.join(work, "dir")
    for cmd in (["info", d], ["info", "--json", d], ["verify", d],
                ["rewrite", "--layout", lay, "-o", os.path.join(work, "o1"), d],
                ["paths", "--profile", os.path.join(HERE, "..", "..", "profiles", "tcpping.prof"), d]):
        res = oltest.olayout(*cmd)
        tap.ok(one_line(res, 1, "olayout: %s: not a regular file" % d),
               "%s: a directory as EXE is not a regular file" % cmd[0], oltest.describe(res))
    res = oltest.olayout("rewrite", "--layout", d, "-o", os.path.join(work, "o2"), exe)
    tap.ok(one_line(res, 1, "olayout: %s: not a regular file" % d),
           "rewrite: a directory as layout is not a regular file", oltest.describe(res))

    so = os.path.join(work, "libx.so")
    src = os.path.join(work, "x.c")
    with open(src, "w") as f:
        f.write("int x_inc(int v) { return v + 1; }\n")
    subprocess.run(["gcc", "-O2", "-fPIC", "-shared", "-ffunction-sections", "-Wl,--emit-relocs",
                    "-o", so, src], check=True)
    for cmd in (["info", so], ["verify", so],
                ["rewrite", "--layout", lay, "-o", os.path.join(work, "o3"), so]):
        res = oltest.olayout(*cmd)
        tap.ok(one_line(res, 1, "olayout: %s: not an executable" % so),
               "%s: a shared library is not an executable" % cmd[0], oltest.describe(res))
    left = sorted(f for f in os.listdir(work) if f.startswith("o") or ".tmp." in f)
    tap.ok(not left, "nothing left behind", str(left))
    return tap.done()


if __name__ == "__main__":
    sys.exit(main())
