#!/usr/bin/env python3
"""usage: coldgap.py PROF EXE FN...

How much of each function FN of EXE a source-location profile can call
cold. PROF is EXE's profile from `olayout profile` (version 4: its `insn`
counts say which instructions ran). Per FN, one line:

  FN size B never-run B | on never-run keys: plugin B, line B,
  line+disc B, inline B, inline+disc B | hot bytes for 90% 99% 99.9%

`never-run`: bytes of instructions that never ran (what BOLT's
-split-all-cold moves). `on never-run keys`: of those, the bytes a
profile keyed by source location can call cold. `plugin`: today's rule
(plugin/outline.cc): the instruction's line, or the line of its outermost
call site in FN, is a `cold-line` of PROF. The others: bytes whose key no
instruction of FN that ran shares (an upper bound for a profile keyed
that way), the key being the location's file:line, file:line plus DWARF
discriminator, or the whole inline chain of call sites (addr2line -i)
without or with discriminators. The rest shares its location with code
that ran (a macro expansion, a duplicated block): only counts per
instruction tell them apart. `hot bytes`: the fewest
bytes (hottest instructions first) that execute that share of FN's
instructions (what block ordering can pack). Needs binutils' objdump and
addr2line; EXE built with -g. PROF is read by olayout (`$OL`, else
`$BUILD/bin/olayout`, BUILD default build): what it refuses, coldgap
refuses with its message. A measurement for bench/: nothing asserted.
"""
import os
import re
import subprocess
import sys
import tempfile


def fail(msg):
    sys.stderr.write("coldgap: %s\n" % msg)
    sys.exit(1)


def olayout():
    """$OL, else $BUILD/bin/olayout (BUILD: default build, under the repository)."""
    root = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
    return os.environ.get("OL") or os.path.join(root, os.environ.get("BUILD", "build"), "bin", "olayout")


def read_profile(prof):
    """({FN: {OFFSET: COUNT}} from PROF's insn entries, {FILE:LINE} of its cold-lines).
    PROF is read by the one parser (lib/profile): `olayout profile --merge`
    of PROF alone writes its canonical text (no comments, one form per entry)."""
    counts, cold = {}, set()
    with tempfile.TemporaryDirectory(prefix="coldgap.") as tmp:
        canon = os.path.join(tmp, "prof")
        run([olayout(), "profile", "-o", canon, "--merge", prof])
        with open(canon) as f:
            head = f.readline().split()
            if int(head[1]) < 4:
                fail("%s: no insn counts (a profile of version 4 or later has them)" % prof)
            for p in map(str.split, f):
                if p[0] == "insn":
                    counts.setdefault(p[1], {})[int(p[2])] = int(p[3])
                elif p[0] == "cold-line":
                    cold.add(p[1])
    return counts, cold


def run(cmd):
    """CMD's output; its first line on stderr, as coldgap's one, when it fails."""
    try:
        r = subprocess.run(cmd, capture_output=True, text=True)
    except OSError as e:
        fail("%s: %s" % (cmd[0], e.strerror))
    if r.returncode != 0:
        first = (r.stderr.strip().splitlines() or ["failed"])[0]
        fail(first if first.startswith(os.path.basename(cmd[0]) + ":") else "%s: %s" % (cmd[0], first))
    return r.stdout


def symbol(exe, fn):
    """(address, size) of the function symbol FN in EXE."""
    for line in run(["nm", "-S", exe]).splitlines():
        p = line.split()
        if len(p) == 4 and p[3] == fn and p[2] in "tTwW":
            return int(p[0], 16), int(p[1], 16)
    fail("%s: no function symbol %s" % (exe, fn))


def instructions(exe, start, size):
    """[(address, length)] of the instructions in [start, start + size)."""
    out = run(["objdump", "-d", "--no-show-raw-insn", "--start-address=%#x" % start,
               "--stop-address=%#x" % (start + size), exe])
    addrs = [int(m.group(1), 16) for m in re.finditer(r"^\s+([0-9a-f]+):", out, re.M)]
    addrs.append(start + size)
    return [(a, b - a) for a, b in zip(addrs, addrs[1:])]


def chains(exe, addrs):
    """{address: [frame, ...]}: addr2line -i's inline chain, innermost first."""
    res, cur = {}, None
    for line in run(["addr2line", "-i", "-a", "-e", exe] + ["%x" % a for a in addrs]).splitlines():
        if line.startswith("0x"):
            cur = int(line, 16)
            res[cur] = []
        elif line:
            res[cur].append(line)
    return res


def nodisc(frame):
    return re.sub(r" \(discriminator \d+\)", "", frame)


def is_cold(frame, cold):
    """Whether addr2line's frame (FILE:LINE, maybe a discriminator) is a cold-line of PROF."""
    path, _, line = nodisc(frame).rpartition(":")
    return any(path == c[:-len(line) - 1] or path.endswith("/" + c[:-len(line) - 1])
               for c in cold if c.endswith(":" + line))


KEYS = [("line", lambda c: nodisc(c[0])),
        ("line+disc", lambda c: c[0]),
        ("inline", lambda c: tuple(map(nodisc, c))),
        ("inline+disc", tuple)]


def report(exe, fn, counts, cold):
    start, size = symbol(exe, fn)
    ins = instructions(exe, start, size)
    ran = {a: counts.get(a - start, 0) for a, _ in ins}
    never = [(a, n) for a, n in ins if not ran[a]]
    ch = chains(exe, [a for a, _ in ins])
    parts = ["plugin %d" % sum(n for a, n in never if is_cold(ch[a][0], cold) or is_cold(ch[a][-1], cold))]
    for name, key in KEYS:
        ran_keys = {key(ch[a]) for a, _ in ins if ran[a]}
        parts.append("%s %d" % (name, sum(n for a, n in never if key(ch[a]) not in ran_keys)))
    total = sum(ran.values())
    acc, used, marks, hot = 0, 0, [0.9, 0.99, 0.999], []
    for c, n in sorted(((ran[a], n) for a, n in ins), reverse=True):
        acc += c
        used += n
        while marks and total and acc >= marks[0] * total:
            hot.append(str(used))
            marks.pop(0)
    print("%s size %d never-run %d | on never-run keys: %s | hot bytes for 90%% 99%% 99.9%%: %s"
          % (fn, size, sum(n for _, n in never), ", ".join(parts), " ".join(hot) or "-"))


def main():
    if len(sys.argv) > 1 and sys.argv[1] in ("-h", "--help"):
        print(__doc__.strip())
        return
    if len(sys.argv) < 4:
        sys.stderr.write("usage: coldgap.py PROF EXE FN... (--help)\n")
        sys.exit(2)
    counts, cold = read_profile(sys.argv[1])
    for fn in sys.argv[3:]:
        report(sys.argv[2], fn, counts.get(fn, {}), cold)


main()
