#!/usr/bin/python3
"""olayout tune: a layout's start chosen by simulated I1 misses.

The corpus program `sorts` (PIE) with its functions in reverse order
(mklayout.py), tuned on a 1 KiB direct-mapped cache over 6 starts 96 bytes
apart, the command being OUT itself: each try's count is what callgrind
counts for the same layout padded by hand and rewritten (same path, same
environment), the starts do not all miss alike (else the choice would test
nothing), OUT is the first try with the fewest, verifies and prints what
the input prints, --save-layout gives OUT byte for byte and, tuned again,
the counts of the pads after the chosen one (a try adds to the first place's
pad: try 0 is the layout as planned). A script that runs
OUT counts OUT's runs only. Bad input: a bad command line (exit 2), a
missing layout or one without a place line (exit 1, no OUT), a command that
never runs OUT or ends otherwise in a later try (exit 1, OUT removed); no
temporary directory left in TMPDIR.
"""
import glob
import os
import re
import shutil
import subprocess
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import oltest  # noqa: E402

GEOM, I1 = "1024:1:32", "1024,1,32"
TRIES, STEP = 6, 96


def callgrind_misses(exe, work):
    """I1 misses of exe run as tune runs a command (inherited environment)."""
    out = os.path.join(work, "direct.cg")
    subprocess.run([shutil.which("valgrind"), "--tool=callgrind", "--cache-sim=yes",
                    "--I1=" + I1, "--D1=" + I1, "--LL=4194304,16,64", "--callgrind-out-file=" + out,
                    "--log-file=" + os.path.join(work, "direct.log"), exe],
                   stdin=subprocess.DEVNULL, capture_output=True, timeout=120)
    text = oltest.read(out)
    ev = re.search(r"^events: (.*)$", text, re.M).group(1).split()
    return int(re.search(r"^totals: (.*)$", text, re.M).group(1).split()[ev.index("I1mr")])


def padded(layout, pad):
    """The layout's text with pad=PAD on its first place line."""
    lines = oltest.read(layout).splitlines()
    i = next(i for i, l in enumerate(lines) if l.startswith("place "))
    lines[i] = lines[i].split("#")[0].rstrip() + " pad=%d" % pad
    return "\n".join(lines) + "\n"


def leftovers():
    return set(glob.glob(os.path.join(os.environ["TMPDIR"], "olprof.*")))


def tune(*args):
    return oltest.olayout("tune", *args, timeout=600)


def main():
    tap = oltest.Tap()
    oltest.need_olayout()
    oltest.need_tool("valgrind")
    exe, work, layout = oltest.reversed_pie("sorts", "tune")
    out, saved = os.path.join(work, "out"), os.path.join(work, "chosen.layout")
    os.environ["TMPDIR"] = os.path.join(work, "tmp")  # tune's runs' folders, none left: not /tmp's
    os.makedirs(os.environ["TMPDIR"])               # (other olayout runs use it meanwhile)
    before = leftovers()

    res = tune("--layout", layout, "--cache", GEOM, "--tries", str(TRIES), "--step", str(STEP),
               "--save-layout", saved, "-o", out, exe, "--", out)
    tries = [int(m.group(2)) for m in re.finditer(rb"try (\d+) of %d: pad \d+ bytes: (\d+) I1 misses" % TRIES,
                                                  res.err)]
    tap.ok(res.rc == 0 and len(tries) == TRIES and leftovers() == before,
           "tune sorts, %d tries: exit 0, a line per try, nothing left in TMPDIR" % TRIES, oltest.describe(res))
    tap.ok(len(set(tries)) > 1, "the starts miss differently: %s" % tries)
    direct = []
    if os.path.exists(out):  # each pad by hand at OUT's path: the path's length moves a count
        os.replace(out, out + ".tuned")
    for k in range(TRIES):
        one = os.path.join(work, "by_hand.layout")
        with open(one, "w") as f:
            f.write(padded(layout, k * STEP))
        rw = oltest.olayout("rewrite", "--layout", one, "-o", out, exe)
        direct.append(callgrind_misses(out, work) if rw.rc == 0 else None)
    if os.path.exists(out + ".tuned"):
        os.replace(out + ".tuned", out)
    tap.ok(tries == direct, "each try's misses are callgrind's for that pad by hand: %s" % direct,
           "tune said %s" % tries)
    best = min(range(len(tries)), key=lambda k: (tries[k], k)) if tries else -1
    said = re.search(rb"^(\S+): pad (\d+) bytes more \(try (\d+) of %d\): (\d+) I1 misses" % TRIES, res.out, re.M)
    tap.ok(said is not None and int(said.group(2)) == best * STEP and int(said.group(4)) == min(tries)
           and said.group(1).decode() == out,
           "OUT is the first try with the fewest misses (pad %d)" % (best * STEP), res.out.decode())
    again = oltest.olayout("rewrite", "--layout", saved, "-o", out + ".again", exe)
    tap.ok(again.rc == 0 and oltest.read(saved) == padded(layout, best * STEP)
           and open(out + ".again", "rb").read() == open(out, "rb").read(),
           "--save-layout: the layout with the chosen pad, which rewrites to OUT's bytes", oltest.describe(again))
    # (at a path as long as OUT's: the path's length moves a count)
    res = tune("--layout", saved, "--cache", GEOM, "--tries", "2", "--step", str(STEP), "-o", out[:-1] + "2", exe,
               "--", out[:-1] + "2")
    again = [int(m.group(1)) for m in re.finditer(rb"try \d+ of 2: pad \d+ bytes: (\d+) I1 misses", res.err)]
    tap.ok(0 < best < TRIES - 1 and again == tries[best:best + 2],
           "tune of the chosen layout adds to its pad (pads %d and %d miss as before: %s)"
           % (best * STEP, (best + 1) * STEP, again), oltest.describe(res))
    ver, run_in, run_out = oltest.olayout("verify", out), oltest.run([exe]), oltest.run([out])
    tap.ok(ver.rc == 0 and run_out.rc == run_in.rc and run_out.out == run_in.out,
           "OUT verifies and prints what the input prints", oltest.describe(ver))
    tap.ok(direct and callgrind_misses(out, work) == min(tries), "OUT misses as its try did")

    script = os.path.join(work, "suite.sh")
    counts = []
    for runs in (1, 2):
        with open(script, "w") as f:
            f.write("#!/bin/sh\n" + "%s > /dev/null\n" % out * runs + "/bin/true\n")
        os.chmod(script, 0o755)
        res = tune("--layout", layout, "--cache", GEOM, "--tries", "1", "-o", out, exe, "--", script)
        one = re.search(rb": (\d+) I1 misses on ", res.out)
        counts.append(int(one.group(1)) if res.rc == 0 and one else None)
    tap.ok(None not in counts and counts[1] == 2 * counts[0],
           "a script running OUT, then true: OUT's runs counted, not sh's nor true's (twice: %s)" % counts)

    for what, args in [("--tries 0", ["--tries", "0"]), ("--step 65537", ["--step", "65537"]),
                       ("no command", []), ("OUT = EXE", ["-o", exe])]:
        res = tune("--layout", layout, *args, *(["-o", out] if "-o" not in args else []), exe,
                   *(["--", out] if args else []))
        tap.ok(oltest.usage_error(res), "tune refuses %s: exit 2, one line" % what, oltest.describe(res))
    noplace = os.path.join(work, "noplace.layout")
    with open(noplace, "w") as f:
        f.write("olayout-layout 1\n# nothing\n")
    badpad = os.path.join(work, "badpad.layout")
    with open(badpad, "w") as f:
        f.write(padded(layout, 0).replace("pad=0", "pad=-4", 1))
    for what, lay, pattern in [("a missing layout", os.path.join(work, "nope"), r"nope: No such file"),
                               ("a layout without a place", noplace, r"no place line"),
                               ("a first place line's pad=-4", badpad, r"pad of its first place line is no number")]:
        os.unlink(out) if os.path.exists(out) else None
        res = tune("--layout", lay, "-o", out, exe, "--", out)
        lines = res.err.decode().strip().splitlines()
        tap.ok(res.rc == 1 and len(lines) == 1 and re.search(pattern, lines[0]) and not os.path.exists(out),
               "tune refuses %s: one line, exit 1, no OUT" % what, oltest.describe(res))
    flag = os.path.join(work, "flag")
    with open(script, "w") as f:
        f.write("#!/bin/sh\n%s > /dev/null\n[ ! -e %s ] || exit 3\ntouch %s\n" % (out, flag, flag))
    for what, cmd, pattern in [("a command that never runs OUT", ["/bin/true"], r"none of the 1 processes"),
                               ("a command ending otherwise in a later try", [script],
                                r"wait status 0 in try 1, 768 in try 2")]:
        res = tune("--layout", layout, "--cache", GEOM, "--tries", "2", "--step", str(STEP), "-o", out, exe,
                   "--", *cmd)
        lines = [l for l in res.err.decode().strip().splitlines() if "tune: try" not in l
                 and "under valgrind" not in l]
        tap.ok(res.rc == 1 and len(lines) == 1 and re.search(pattern, lines[0]) and not os.path.exists(out)
               and leftovers() == before, "tune refuses %s: one line, exit 1, OUT removed" % what,
               oltest.describe(res))
    return tap.done()


if __name__ == "__main__":
    sys.exit(main())
