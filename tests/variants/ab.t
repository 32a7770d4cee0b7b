#!/usr/bin/python3
"""ab.t - bench/variants/ab.py's method and arithmetic, on stand-in programs
whose "round trip" is fixed (no figure of a real run is asserted): every
run is pinned to the CPU the report names (one in process, two between
processes) and SCHED_FIFO when root and chrt allows it; the warm-up round
is discarded; the order rotates each round; the ratios are the per-round
ones to the reference; no run starts while another session holds the lock
($AB_LOCK); wrong command lines get one line and exit 1."""
import fcntl
import os
import subprocess
import sys
import tempfile
import time

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "olayout"))
from oltest import Tap  # noqa: E402

AB = "bench/variants/ab.py"
# A stand-in for a stack program: logs its name, arguments, CPUs and policy,
# then reports the round trip RT the test gave it.
FAKE = """#!/bin/sh
echo "$(basename "$0") $* cpus=$(taskset -cp $$ | sed 's/.*: //') policy=$(chrt -p $$ | sed -n 's/.*policy: //p')" >>"{log}"
echo "fake: 1 samples x 1 round trips (1 byte), wire x: round trip {rt} ± 0.000 us; client protocol processing {proc} ± 0.000 us per round trip"
"""


def fifo_allowed():
    if os.geteuid() != 0:
        return False
    return subprocess.run(["chrt", "-f", "1", "true"], capture_output=True).returncode == 0


def main():
    tap = Tap()
    work = tempfile.mkdtemp(prefix="abt.")
    log = os.path.join(work, "log")
    fakes = {}
    for name, rt in (("slow", "2.000"), ("fast", "1.000"), ("same", "2.000")):
        path = os.path.join(work, name)
        with open(path, "w") as f:
            f.write(FAKE.format(log=log, rt=rt, proc="0.500"))
        os.chmod(path, 0o755)
        fakes[name] = path
    cpus = sorted(os.sched_getaffinity(0))
    os.environ["AB_LOCK"] = os.path.join(work, "lock")
    with open(os.environ["AB_LOCK"], "a") as lock:  # another session's run
        fcntl.flock(lock, fcntl.LOCK_EX)
        ab = subprocess.Popen([AB, "-k", "6", "-n", "7", "-r", "slow"] + ["%s=%s" % kv for kv in fakes.items()],
                              stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        time.sleep(2)
        tap.ok(not os.path.exists(log) and ab.poll() is None, "no run starts while the lock is held")
    out, err = ab.communicate()
    r = subprocess.CompletedProcess(ab.args, ab.returncode, out, err)
    tap.ok(r.returncode == 0, "ab.py runs stand-ins given as NAME=EXE once the lock is free", r.stderr)
    out = r.stdout
    runs = [line.split() for line in open(log).read().splitlines()] if os.path.exists(log) else []
    tap.ok(len(runs) == 7 * 3 * 2, "7 rounds (one a warm-up) x 3 programs x 2 wires run (%d)" % len(runs))
    tap.ok("over 6 rounds" in out and "discarded warm-up round" in out and os.environ["AB_LOCK"] in out,
           "the report counts 6 rounds and names the discarded warm-up and the lock", out)
    firsts = [x[0] for x in runs if "inproc" in x][::3]
    tap.ok(firsts == ["slow", "fast", "same"] * 2 + ["slow"], "each round starts with the next program (%s)" % firsts)
    tap.ok(all(x[1:5] in (["-w", w, "-n", "7"] for w in ("inproc", "process")) and x[5:7] == ["-s", "1"]
               for x in runs), "every run is PROG -w WIRE -n 7 -s 1", runs[:2])
    want = {"inproc": str(cpus[-1]), "process": ",".join(map(str, cpus[-2:]))}
    pinned = all(x[7] == "cpus=" + want[x[2]] for x in runs)
    tap.ok(pinned and "in process, pinned to CPU %s" % want["inproc"] in out and
           "between processes, pinned to CPU %s" % want["process"] in out,
           "runs are pinned as the report says: in process %s, between processes %s" % (
               want["inproc"], want["process"]), runs[:2])
    fifo = fifo_allowed()
    policies = {x[8] for x in runs}
    tap.ok(policies == {"policy=SCHED_FIFO"} and "every run SCHED_FIFO" in out if fifo else
           "policy=SCHED_FIFO" not in policies and "not SCHED_FIFO" in out,
           "runs are %sSCHED_FIFO, as the report says" % ("" if fifo else "not "), policies)
    rows = {line.split()[0]: line.split() for line in out.splitlines() if line.split()[:1] in
            (["slow"], ["fast"], ["same"])}
    tap.ok(len([line for line in out.splitlines() if line.startswith("fast ")]) == 2,
           "one row per program and wire", out)
    tap.ok(rows.get("fast", [])[8:12] == ["0.500", "0.500", "-", "0.500"] and
           rows.get("same", [])[8:12] == ["1.000", "1.000", "-", "1.000"],
           "ratios to the reference: fast 0.500, same 1.000, with their interquartile ranges", out)
    # 6 rounds: the smallest 95% interval of a median is the least to the greatest (coverage 1 - 2/64)
    tap.ok(rows.get("fast", [])[12:] == ["0.500", "-", "0.500", "6/6", "0.031", "faster"] and
           rows.get("same", [])[12:] == ["1.000", "-", "1.000", "0/6", "1.000", "tie"] and
           rows.get("slow", [])[-1:] == ["reference"],
           "95% interval, wins, sign test and verdict: fast won 6 of 6 (p 0.031, faster), same none (tie)", out)
    tap.ok(rows.get("fast", [])[1:5] == ["1.000", "1.000", "-", "1.000"],
           "median and interquartile range of the rounds", rows.get("fast"))

    for args, what in ((["-r", "none", "STD=/bin/true"], "a reference not among the variants"),
                       (["nosuch=/nonexistent"], "a missing executable"),
                       (["a=%s" % fakes["fast"], "a=%s" % fakes["slow"]], "a name given twice"),
                       (["-k", "1", "a=%s" % fakes["fast"]], "fewer than 2 rounds"),
                       (["-s", "tcpip", "-b", work, "STD"], "a variant not built")):
        r = subprocess.run([AB] + args, capture_output=True, text=True)
        tap.ok(r.returncode == 1 and r.stdout == "" and len(r.stderr.splitlines()) == 1 and
               r.stderr.startswith("ab.py: "), "%s: one line on stderr, exit 1" % what, r.stderr)
    r = subprocess.run([AB, "--help"], capture_output=True, text=True)
    tap.ok(r.returncode == 0 and "usage:" in r.stdout, "--help prints the usage")
    subprocess.run(["rm", "-rf", work])
    return tap.done()


if __name__ == "__main__":
    sys.exit(main())
