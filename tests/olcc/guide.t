#!/usr/bin/python3
"""guide.t - docs/guide.md, every command as written: the ```sh install block
runs from the top of the repository with DESTDIR a scratch directory (and
SAN=1 when $BUILD is a sanitized build), which must then hold each installed
file; the other ```sh blocks run in order in one bash (set -e) with HOME a
scratch directory and the installed bin first in PATH, so the driver finds
the installed plugin. Each block that finishes is one passing test. Then
`make uninstall` with the same DESTDIR leaves no file behind. The profile of
`make check` (--exe ./calc) must count its 3 runs of calc."""
import os
import re
import shutil
import subprocess
import sys
import tempfile

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
sys.path.insert(0, os.path.join(ROOT, "tests", "olayout"))
from oltest import Tap, need, need_tool  # noqa: E402

BUILD = os.environ.get("BUILD", "build")
GUIDE = os.path.join(ROOT, "docs", "guide.md")
PREFIX = "/usr/local"
INSTALLED = ["bin/olayout", "bin/olayout-cc", "lib/olayout/olayout.so",
             "include/olayout_clone.h", "share/man/man1/olayout.1", "share/man/man1/olayout-cc.1"]


def blocks(text):
    """(tag, commands) of each ```sh block, in order."""
    return [(m.group(1).strip(), m.group(2))
            for m in re.finditer(r"^```sh([^\n]*)\n(.*?)^```$", text, re.M | re.S)]


def main():
    need(*(os.path.join(BUILD, "bin", f) for f in ("olayout", "olayout-cc")))
    need_tool("valgrind")
    tap = Tap()
    os.makedirs(os.path.join(BUILD, "tests"), exist_ok=True)
    tmp = os.path.abspath(tempfile.mkdtemp(prefix="guide.", dir=os.path.join(BUILD, "tests")))
    dest = os.path.join(tmp, "dest")
    home = os.path.join(tmp, "home")
    os.makedirs(home)
    env = {k: v for k, v in os.environ.items() if not k.startswith("MAKE") and k != "MFLAGS"}
    env.update(DESTDIR=dest, LC_ALL="C")
    if BUILD.rstrip("/").endswith("/san"):
        env["SAN"] = "1"
    all_blocks = blocks(open(GUIDE).read())
    install = [b for tag, b in all_blocks if tag == "install"]
    steps = [b for tag, b in all_blocks if tag == ""]
    tap.ok(len(install) == 1 and "make install" in install[0] and len(steps) >= 5,
           "the guide has one install block and the workflow's blocks", all_blocks)
    res = subprocess.run(["bash", "-e", "-c", "".join(install)], cwd=ROOT, env=env,
                         capture_output=True, text=True)
    missing = [f for f in INSTALLED if not os.path.isfile(os.path.join(dest, PREFIX[1:], f))]
    tap.ok(res.returncode == 0 and not missing,
           "the install block, with DESTDIR, installs each file", res.stderr + " missing: %s" % missing)
    page = os.path.join(dest, PREFIX[1:], "share/man/man1/olayout-cc.1")
    tap.ok(os.path.isfile(page) and "OLAYOUT_PROFILE" in open(page).read(),
           "olayout-cc's man page is its --help")

    bindir = os.path.join(dest, PREFIX[1:], "bin")
    env.update(HOME=home, PATH=bindir + os.pathsep + os.environ["PATH"])
    del env["DESTDIR"]
    script = "set -e\n" + "".join("%s\necho '@@guide-block %d'\n" % (b, i)
                                  for i, b in enumerate(steps))
    res = subprocess.run(["bash", "-c", script], cwd=ROOT, env=env, capture_output=True,
                         text=True, timeout=900)
    done = set(int(m) for m in re.findall(r"^@@guide-block (\d+)$", res.stdout, re.M))
    for i, b in enumerate(steps):
        first = b.strip().splitlines()[0]
        tap.ok(i in done, "guide block %d (%s) runs as written" % (i + 1, first),
               "exit %d\n%s\n%s" % (res.returncode, res.stdout[-1500:], res.stderr[-1500:]))
    work = os.path.join(home, "calc")
    prof = os.path.join(work, "calc.prof")
    marks = open(prof).read() if os.path.isfile(prof) else ""
    tap.ok(re.search(r"^path parse_line parse_line expr term primary$", marks, re.M) and
           re.search(r"^library lex_next$", marks, re.M) and
           re.search(r"^cold-function calc_error$", marks, re.M),
           "the profile names the path, library and cold function the guide says")
    check = os.path.join(work, "calc.check.prof")
    check = open(check).read() if os.path.isfile(check) else ""
    tap.ok(re.search(r"^function main 3 ", check, re.M),
           "the profile of make check sums its 3 runs of calc (main entered 3 times)",
           check[:300])
    tap.ok(os.path.isfile(os.path.join(work, "calc-map.svg")) and
           subprocess.run([os.path.join(bindir, "olayout"), "verify", os.path.join(work, "calc.opt")],
                          capture_output=True).returncode == 0,
           "the guide's optimized calc verifies and its map is drawn")

    env["DESTDIR"] = dest
    res = subprocess.run(["make", "--no-print-directory", "uninstall", "PREFIX=" + PREFIX],
                         cwd=ROOT, env=env, capture_output=True, text=True)
    left = [os.path.join(d, f) for d, _, fs in os.walk(dest) for f in fs]
    tap.ok(res.returncode == 0 and not left, "make uninstall removes every installed file",
           res.stderr + " left: %s" % left)
    shutil.rmtree(tmp, ignore_errors=True)
    return tap.done()


if __name__ == "__main__":
    sys.exit(main())
