#!/usr/bin/python3
"""tables.t - the structure of what bench/variants/tables.py writes, on a
smoke run (--smoke: the smallest counts, figures meaningless and never
asserted) over tcpip's STD and OUT and a row still waiting: the sections,
each table's rows and columns, Table 2's caption naming the timing method,
the CSV schema, the charts' data and PNGs; Table 4's client-side trace
length (the client host's process on the process wire) beside the
both-hosts one, and smaller (counts, not times); Table 4's hardware figures from
a stand-in perf whose counters exist (fixed counts: deterministic), the
reason printed when perf has no counters, and a perf run that fails (a
non-zero exit, counts printed all the same) reported as missing with its
reason, never as figures; a results folder it cannot use
is refused before the run, and the files are written whole or not at all;
the profile's paths are read by its one parser (olayout paths): a
malformed profile ends the run, comments change nothing, and an
executable without relocations is matched by its symbols."""
import contextlib
import csv
import io
import os
import subprocess
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "..", "olayout"))
sys.path.insert(0, os.path.join(HERE, "..", "..", "bench", "variants"))
from oltest import Tap, need, need_tool  # noqa: E402
import tables  # noqa: E402

BUILD = os.environ.get("BUILD", "build")
# The schema other tools read (issue #12 names the first columns it needs).
SCHEMA = ["stack", "variant", "geometry", "status", "instr_per_rt", "instr_client_per_rt", "i1_miss_per_rt",
          "d1_miss_per_rt", "ll_miss_per_rt", "icpi", "mcpi", "icache_unused",
          "icache_lines", "path_hot_bytes", "path_hot_instr",
          "rt_us", "rt_sd_us", "rt_median_us", "rt_q1_us", "rt_q3_us",
          "rt_process_us", "rt_process_sd_us", "rt_process_median_us", "rt_process_q1_us", "rt_process_q3_us",
          "proc_us", "proc_sd_us", "proc_median_us", "proc_q1_us", "proc_q3_us",
          "perf_instr_per_rt", "perf_cycles_per_rt", "perf_l1i_miss_per_rt"]
# A perf whose instructions and cycles count (1000 and 3000 a round trip of
# the program's loop: its warm-up of N/10 + 1 and N) and whose i-cache
# misses do not.
FAKE_PERF = """#!/bin/sh
ev=; n=0; prev=
for a; do case $prev in -e) ev=$a ;; -n) n=$a ;; esac; prev=$a; done
rt=$((n + n / 10 + 1))
for e in $(echo "$ev" | tr , ' '); do
	case $e in
	instructions) echo "$((1000 * rt)),,$e,100,100.00,," ;;
	cycles) echo "$((3000 * rt)),,$e,100,100.00,," ;;
	*) echo "<not supported>,,$e,0,100.00,," ;;
	esac
done >&2
"""
# The same counts, then the program fails (perf stat exits with its status).
FAILS = FAKE_PERF + """echo "tcpping: no reply from the peer" >&2
exit 3
"""
NO_COUNTERS = """#!/bin/sh
echo "<not supported>,,instructions,0,100.00,," >&2
"""


def section(md, title):
    """The lines of the section (### or ##) that starts with title."""
    lines = md.splitlines()
    start = next((i for i, line in enumerate(lines) if line.startswith(title)), None)
    if start is None:
        return []
    end = next((i for i in range(start + 1, len(lines)) if lines[i].startswith("#")), len(lines))
    return lines[start:end]


def rows(lines):
    """The cells of a section's table rows (header and separator left out)."""
    body = [[c.strip() for c in line.strip("|").split("|")] for line in lines if line.startswith("|")]
    return [cells for cells in body[1:] if not cells[0].startswith("---")]


def fake(work, name, text):
    d = os.path.join(work, name)
    os.makedirs(d)
    with open(os.path.join(d, "perf"), "w") as f:
        f.write(text)
    os.chmod(os.path.join(d, "perf"), 0o755)
    return d


def dies(fn, *args):
    """(True, stderr) when fn(*args) ends the run (tables.die), else (False, its result)."""
    err = io.StringIO()
    try:
        with contextlib.redirect_stderr(err):
            got = fn(*args)
    except SystemExit:
        return True, err.getvalue()
    return False, got


def check_profile_reader(tap, work, std):
    """The paths come from the profile's one parser (olayout paths): a
    malformed profile ends the run with the parser's line, never falls
    back to reading it by hand; an executable olayout refuses for lack of
    relocations (BOLT's output) is matched by its symbols on the same
    paths, comments and all."""
    plain = open("profiles/tcpping.prof").read()
    commented = os.path.join(work, "commented.prof")
    with open(commented, "w") as f:
        f.write("".join(l + ("# a comment\n" if l.startswith("path ") else "\n") for l in plain.splitlines()))
    bad = os.path.join(work, "bad.prof")
    with open(bad, "w") as f:
        f.write(plain + "path tcp_send eth_demux eth_pop\n")
    died, err = dies(tables.path_members, BUILD, std, bad, "STD")
    tap.ok(died and err.startswith("tables.py: ") and "%s:%d: " % (bad, len(plain.splitlines()) + 1) in err,
           "a malformed profile ends the run with the parser's line (FILE:LINE)", err or "no error")
    norel = os.path.join(work, "norel")
    subprocess.run(["objcopy", "--remove-section=.rela.text", std, norel], check=True)
    want = dies(tables.profile_paths, BUILD, "profiles/tcpping.prof")[1]
    tap.ok(dies(tables.profile_paths, BUILD, commented)[1] == want and len(want) == 2,
           "the paths of a profile with comments on its path lines are the profile's", want)
    died, got = dies(tables.path_members, BUILD, norel, commented, "STD")
    tap.ok(not died and list(got) == [n for n, _ in want] and all(got.values()) and
           got == dies(tables.path_members, BUILD, norel, "profiles/tcpping.prof", "STD")[1],
           "an executable without relocations: the same paths' functions by its symbols", got)


def check_failed_perf(tap, work, exe):
    """A perf run that exits non-zero is missing, with why, whatever counts it printed."""
    path = os.environ["PATH"]
    os.environ["PATH"] = fake(work, "fails", FAILS) + ":" + path
    got, why = tables.perf_per_rt(exe, 10)
    os.environ["PATH"] = path
    tap.ok(got == {} and why is not None and why.endswith("exited 3: tcpping: no reply from the peer"),
           "a perf run that exits non-zero: no figures, the command's status and last line", (got, why))
    hw = rows(tables.md_perf(["STD"], ["STD"], {"STD": {"perf": got, "perf_why": why}}, None))
    tap.ok(len(hw) == 1 and hw[0][0] == "STD" and hw[0][1] == "missing: %s" % why and hw[0][2:] == ["", ""],
           "Table 4 (hardware): a failed perf run's row says missing and why", hw)


def main():
    real = os.path.join(BUILD, "variants", "tcpip")
    std, out = os.path.join(real, "STD", "tcpping"), os.path.join(real, "OUT", "tcpping")
    need(os.path.join(real, "variants.list"), std, out)
    need_tool("valgrind")
    tap = Tap()
    work = tempfile.mkdtemp(prefix="tablest.", dir=BUILD)
    lst = os.path.join(work, "variants.list")
    with open(lst, "w") as f:
        f.write("stack tcpip tcpping profiles/tcpping.prof\nvariant BAD pending waiting for the test\n"
                "variant STD built %s\nvariant OUT built %s\n" % (std, out))
    res = os.path.join(work, "results")
    env = dict(os.environ, PATH=fake(work, "counters", FAKE_PERF) + ":" + os.environ["PATH"])
    r = subprocess.run(["bench/variants/tables.py", "--smoke", "--build", BUILD, "--results", res, lst],
                       capture_output=True, text=True, env=env)
    tap.ok(r.returncode == 0, "tables.py --smoke runs", r.stderr[-2000:])
    md = open(os.path.join(res, "tables.md")).read() if r.returncode == 0 else ""
    for title in ("## tcpip (tcpping)", "### Table 2: round-trip time", "### Table 4 (alpha21064)",
                  "### Table 4 (modern)", "### Table 4 (hardware)", "### Table 5"):
        tap.ok(section(md, title) != [], "tables.md has '%s'" % title)

    t2 = section(md, "### Table 2")
    caption = " ".join(t2)
    for words in ("discarded warm-up round", "order rotating", "pinned to CPU", "taskset", "median",
                  "interquartile range", "per-round ratios"):
        tap.ok(words in caption, "Table 2's caption names the method: '%s'" % words, caption)
    fifo = os.geteuid() == 0 and subprocess.run(["chrt", "-f", "1", "true"]).returncode == 0
    tap.ok(("SCHED_FIFO (chrt -f 1)" in caption) if fifo else ("not SCHED_FIFO (" in caption),
           "Table 2's caption says whether the runs were SCHED_FIFO (%s here)" % fifo, caption)
    t2rows = rows(t2)
    tap.ok([x[0] for x in t2rows] == ["BAD", "STD", "OUT"], "Table 2: one row per variant, in order",
           t2rows)
    tap.ok(all(len(x) == 8 for x in t2rows), "Table 2: 8 cells a row (median, mean ± sd, slower per wire; paper)",
           t2rows)
    tap.ok(t2rows and t2rows[0][1].startswith("not yet available (waiting for the test)"),
           "Table 2: a waiting row says why", t2rows[:1])
    tap.ok(len(t2rows) > 1 and all(c.count("[") == 1 for c in t2rows[1][1::3][:2]) and
           "±" in t2rows[1][2], "Table 2: a median [IQR] and a mean ± sd per wire", t2rows[1:2])
    tap.ok(any(line.startswith("Wall clock, per-round ratios") for line in t2),
           "Table 2 ends with the wall-clock goals as per-round ratios")
    for g in ("alpha21064", "modern"):
        t4 = rows(section(md, "### Table 4 (%s)" % g))
        tap.ok([x[0] for x in t4] == ["BAD", "STD", "OUT"] and all(len(x) == 11 for x in t4[1:]),
               "Table 4 (%s): 3 rows, 11 cells each" % g, t4)
        head = next((line for line in section(md, "### Table 4 (%s)" % g) if line.startswith("|")), "")
        tap.ok("| trace length, both hosts | client |" in head and "paper trace length (client)" in head,
               "Table 4 (%s): a client-side trace length beside the both-hosts one and the paper's" % g, head)
    hw = rows(section(md, "### Table 4 (hardware)"))
    tap.ok(hw == [["BAD", "not yet available", "", ""], ["STD", "1000.0", "3000.0", "not counted"], ["OUT", "1000.0", "3000.0", "not counted"]],
           "Table 4 (hardware): perf's counts per round trip where the counter exists", hw)
    t5 = rows(section(md, "### Table 5"))
    tap.ok([x[0] for x in t5] == ["BAD", "STD", "OUT"] and all(len(x) == 9 for x in t5[1:]),
           "Table 5: 3 rows, 9 cells each (two profile paths)", t5)

    path = os.path.join(res, "tables.csv")
    data = list(csv.DictReader(open(path))) if os.path.exists(path) else []
    tap.ok(data and list(data[0]) == SCHEMA, "tables.csv has the schema", list(data[0]) if data else None)
    tap.ok([(d["variant"], d["geometry"]) for d in data] ==
           [(v, g) for v in ("BAD", "STD", "OUT") for g in ("alpha21064", "modern")],
           "tables.csv: one row per variant and geometry")
    tap.ok(all(d["status"] == "not yet available" and d["instr_per_rt"] == "" for d in data[:2]),
           "tables.csv: a waiting row has its status and no figures")
    built = data[2:]
    tap.ok(built and all(float(d["rt_q1_us"]) <= float(d["rt_median_us"]) <= float(d["rt_q3_us"]) and
                         float(d["rt_process_q1_us"]) <= float(d["rt_process_median_us"]) <=
                         float(d["rt_process_q3_us"]) for d in built),
           "tables.csv: q1 <= median <= q3 on both wires")
    tap.ok(built and all(d["perf_instr_per_rt"] == "1000.0" and d["perf_cycles_per_rt"] == "3000.0" and
                         d["perf_l1i_miss_per_rt"] == "" for d in built),
           "tables.csv: perf's counts per round trip, empty where not counted")
    # the client's share of a round trip: not the whole of both hosts' (tcpip STD: ~3900 against 6358)
    tap.ok(built and all(0 < float(d["instr_client_per_rt"]) < float(d["instr_per_rt"]) for d in built),
           "tables.csv: the client side's instructions per round trip, fewer than both hosts'",
           [(d["variant"], d["instr_client_per_rt"], d["instr_per_rt"]) for d in built])
    plot = os.path.join(res, "tables_tcpip.csv")
    head = open(plot).readline().strip() if os.path.exists(plot) else ""
    tap.ok(head == "variant,rt_inproc,rt_inproc_q1,rt_inproc_q3,rt_process,rt_process_q1,rt_process_q3,"
                   "i1_alpha21064,i1_modern,mcpi_alpha21064,mcpi_modern,unused_alpha21064,unused_modern",
           "tables_tcpip.csv: the charts' columns", head)
    r = subprocess.run(["gnuplot", "-e", "dir='%s'" % res, "-e", "stacks='tcpip'", "bench/variants/plots.gp"],
                       capture_output=True, text=True)
    pngs = ["tables_tcpip_%s.png" % k for k in ("rt", "i1", "unused")]
    tap.ok(r.returncode == 0 and r.stderr == "" and all(os.path.getsize(os.path.join(res, p)) > 0 for p in pngs),
           "plots.gp draws the three charts without a warning", r.stderr)

    os.environ["PATH"] = fake(work, "none", NO_COUNTERS) + ":" + os.environ["PATH"]
    why = tables.perf_missing()
    tap.ok(why is not None and "no hardware counters" in why, "perf without counters: the reason", why)
    tap.ok(tables.md_perf(["STD"], ["STD"], {"STD": {}}, why) == ["No hardware figures: %s." % why],
           "Table 4 (hardware) prints the reason instead of figures")

    check_failed_perf(tap, work, std)

    # where the tables go: refused before the run, in one line; written whole or not at all
    r = subprocess.run(["bench/variants/tables.py", "--smoke", "--results", os.path.join(lst, "x"), lst],
                       capture_output=True, text=True)
    tap.ok(r.returncode == 1 and r.stderr == "tables.py: %s/x: Not a directory\n" % lst,
           "a results folder that cannot be made: one line, before measuring", r.stderr[-500:])
    out = os.path.join(work, "out")
    os.makedirs(os.path.join(out, "b.csv"))
    err = io.StringIO()
    try:
        with contextlib.redirect_stderr(err):
            tables.write_all(out, {"a.md": "a\n", "b.csv": "b\n"})
        failed = False
    except SystemExit:
        failed = True
    tap.ok(failed and not [f for f in os.listdir(out) if f.endswith(".tmp")] and
           err.getvalue() == "tables.py: %s/b.csv: Is a directory\n" % out,
           "write_all: a file it cannot replace fails the run in one line naming it, and leaves no temporary file",
           (os.listdir(out), err.getvalue()))
    check_profile_reader(tap, work, std)
    subprocess.run(["rm", "-rf", work])
    return tap.done()


if __name__ == "__main__":
    sys.exit(main())
