#!/usr/bin/python3
"""olayout profile --from-perf: perf_spin.c (main calls spin, a hot loop),
built -O2 -g --emit-relocs, recorded by `perf record -e cpu-clock
--call-graph dwarf` (no hardware counters needed; frame-pointer chains lose
the caller of a leaf such as spin, which sets up no frame), converted: a version 3
profile that says its counts are cpu-clock samples; its hottest function is
spin, its hottest line one of spin's loop, the callchains give the edge main
-> spin; no cold entries (code no sample hit may have run). The profile
drives `optimize` to an output that runs as the input. --merge adds samples
to samples, never to instructions. Bad input (garbage, a truncated or empty
perf.data, a missing file, a recording of another program) is one line, exit
1, nothing written; so is EXE rebuilt since the recording (perf
buildid-list). Skipped, with the reason, only where perf cannot record
on this machine (perf_event_paranoid, no perf events in the kernel)."""
import os
import random
import re
import shutil
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import oltest  # noqa: E402
from oltest import entries, read  # noqa: E402

HERE = os.path.dirname(os.path.abspath(__file__))
SRC = os.path.join(HERE, "perf_spin.c")
OTHER = os.path.join(oltest.CORPUS, "calc.pie-g")


def source_line(needle):
    for n, line in enumerate(read(SRC).splitlines(), 1):
        if needle in line:
            return n
    raise AssertionError("%s: no line with %r" % (SRC, needle))


def one_line(res, pattern):
    lines = res.err.decode(errors="replace").strip().splitlines()
    return res.rc == 1 and len(lines) == 1 and re.search(pattern, lines[0]) is not None


def record(work, exe):
    """perf.data of one run of EXE, or the reason perf cannot record here."""
    data = os.path.join(work, "perf.data")
    res = oltest.run(["perf", "record", "-q", "-e", "cpu-clock", "--call-graph", "dwarf,4096",
                      "-o", data, exe],
                     timeout=120)
    if res.rc == 0 and os.path.exists(data):
        return data, None
    with open("/proc/sys/kernel/perf_event_paranoid") as f:
        paranoid = f.read().strip()
    return None, "perf record -e cpu-clock fails here (uid %d, perf_event_paranoid %s): %s" % (
        os.geteuid(), paranoid, oltest.describe(res, 1))


def check_profile(tap, work, exe, data):
    prof = os.path.join(work, "spin.prof")
    res = oltest.olayout("profile", "-o", prof, "--from-perf", data, exe)
    said = res.out.decode(errors="replace")
    tap.ok(res.rc == 0 and re.search(r"counts are cpu-clock samples, not instructions: \d+ "
                                     r"samples, \d+ in ", said),
           "--from-perf: exit 0, says its counts are cpu-clock samples, not instructions",
           oltest.describe(res) + said)
    if res.rc != 0:
        return None
    text = read(prof)
    tap.ok(text.startswith("olayout-profile 3\nexe spin\nsamples cpu-clock\n"),
           "version 3 header, exe spin, samples cpu-clock", text[:200])
    funcs = {f[0]: int(f[2]) for f in entries(text, "function")}
    hottest = max(funcs, key=funcs.get) if funcs else None
    tap.ok(hottest == "spin", "the hottest function is spin (%s)" % funcs)
    lines = {l[0]: int(l[1]) for l in entries(text, "line")}
    loop = {"perf_spin.c:%d" % source_line(s) for s in ("for (unsigned long i", "x = x *")}
    top = max(lines, key=lines.get) if lines else ""
    tap.ok(any(top.endswith("/" + l) or top == l for l in loop),
           "the hottest line is in spin's loop (%s, want one of %s)" % (top, sorted(loop)))
    edges = {(e[0], e[1]): int(e[2]) for e in entries(text, "edge")}
    tap.ok(0 < edges.get(("main", "spin"), 0) <= sum(funcs.values()) + 100,
           "the callchains give the edge main -> spin (%s)" % edges)
    tap.ok(not entries(text, "cold-function") and not entries(text, "cold-line"),
           "no cold-function or cold-line entries from samples")
    return prof


def check_use(tap, work, exe, prof):
    out = os.path.join(work, "spin.opt")
    res = oltest.olayout("optimize", "--strategy", "bipartite", "--profile", prof, "--cache",
                         "1024:1:32", "-o", out, exe)
    runs = [oltest.run([e]) for e in (exe, out)] if res.rc == 0 else []
    tap.ok(res.rc == 0 and runs[0].rc == runs[1].rc == 0 and runs[0].out == runs[1].out,
           "optimize --strategy bipartite with the perf profile: the output runs as the input",
           oltest.describe(res))


def check_merge(tap, work, exe, prof):
    two = os.path.join(work, "two.prof")
    res = oltest.olayout("profile", "-o", two, "--merge", prof, prof)
    one = {f[0]: f[1:] for f in entries(read(prof), "function")}
    both = {f[0]: f[1:] for f in entries(read(two), "function")} if res.rc == 0 else {}
    tap.ok(res.rc == 0 and read(two).startswith("olayout-profile 3\nexe spin\nsamples "
                                                 "cpu-clock\n") and
           both.get("spin") == [str(2 * int(v)) for v in one["spin"]],
           "--merge of two perf profiles: samples add up, still samples", oltest.describe(res))
    insns = os.path.join(work, "insns.prof")
    with open(insns, "w") as f:
        f.write("olayout-profile 2\nexe spin\nfunction spin 1 1000\n")
    out = os.path.join(work, "mixed.prof")
    res = oltest.olayout("profile", "-o", out, "--merge", prof, insns)
    tap.ok(one_line(res, r"counts samples, .*insns\.prof instructions") and
           not os.path.exists(out),
           "--merge of samples and instructions: one line, exit 1, no output",
           oltest.describe(res))


def check_bad(tap, work, exe, data):
    bad = os.path.join(work, "bad")
    os.makedirs(bad)
    rng = random.Random(9)
    raw = open(data, "rb").read()
    files = {
        "garbage.data": bytes(rng.randrange(256) for _ in range(4096)),
        "cut.data": raw[:len(raw) // 2],
        "empty.data": b"",
    }
    for name, body in files.items():
        with open(os.path.join(bad, name), "wb") as f:
            f.write(body)
    out = os.path.join(bad, "out.prof")
    cases = [
        ("random bytes", os.path.join(bad, "garbage.data"), exe, r"garbage\.data: perf \S+ "
                                                                 r"failed: "),
        ("a perf.data cut in half", os.path.join(bad, "cut.data"), exe,
         r"cut\.data: perf \S+ (failed: |died of signal)"),
        ("an empty file", os.path.join(bad, "empty.data"), exe, r"empty\.data: perf \S+ "
                                                                r"failed: "),
        ("a missing file", os.path.join(bad, "none.data"), exe, r"none\.data: perf \S+ "
                                                                r"failed: .*No such file"),
        ("a recording of another program", data, OTHER,
         r"perf\.data: none of its \d+ samples is in .*calc\.pie-g"),
    ]
    for what, d, e, want in cases:
        res = oltest.olayout("profile", "-o", out, "--from-perf", d, e)
        left = [n for n in os.listdir(bad) if n not in files]
        tap.ok(one_line(res, want) and not left,
               "--from-perf with %s: one line, exit 1, nothing written" % what,
               oltest.describe(res) + " left: %s" % left)
    usage = [oltest.olayout("profile", "-o", out, "--from-perf", data),
             oltest.olayout("profile", "-o", out, "--from-perf", data, "--from-callgrind", data,
                            exe),
             oltest.olayout("profile", "-o", out, "--from-perf", data, exe, "--", exe),
             oltest.olayout("profile", "-o", out, "--merge", "--from-perf", data, exe)]
    tap.ok(all(oltest.usage_error(r, r"^olayout: profile: ") for r in usage) and
           not os.path.exists(out),
           "--from-perf without EXE, with --from-callgrind, a command or --merge: exit 2, usage",
           "\n".join(oltest.describe(r) for r in usage))
    # last: EXE rebuilt (-O1) where perf.data's was; perf would read the old
    # one from its build-id cache
    oltest.run(["gcc", "-O1", "-g", "-Wl,--emit-relocs", "-o", exe + ".new", SRC])
    os.replace(exe + ".new", exe)
    res = oltest.olayout("profile", "-o", out, "--from-perf", data, exe)
    tap.ok(one_line(res, r"perf\.data: recorded from another build of .*spin \(build-id ") and
           not os.path.exists(out), "--from-perf of a rebuilt EXE: one line, exit 1, no output",
           oltest.describe(res))
    helps = oltest.olayout("profile", "--help")
    tap.ok(helps.rc == 0 and b"--from-perf PERF.DATA" in helps.out and b"samples" in helps.out,
           "profile --help describes --from-perf")


def main():
    oltest.need_olayout()
    oltest.need(OTHER)
    if shutil.which("perf") is None:
        oltest.fail("perf is not installed (make deps installs linux-perf)")
    work = oltest.workdir("perf")
    exe = os.path.join(work, "spin")
    oltest.run(["gcc", "-O2", "-g", "-Wl,--emit-relocs", "-o", exe, SRC])
    oltest.need(exe)
    data, why = record(work, exe)
    if why:
        oltest.skip_all(why)
    tap = oltest.Tap()
    prof = check_profile(tap, work, exe, data)
    if prof:
        check_use(tap, work, exe, prof)
        check_merge(tap, work, exe, prof)
    check_bad(tap, work, exe, data)
    if tap.failed == 0:
        shutil.rmtree(work)
    return tap.done()


if __name__ == "__main__":
    sys.exit(main())
