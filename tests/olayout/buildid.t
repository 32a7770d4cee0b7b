#!/usr/bin/python3
"""A rewritten program has a build-id of its own (tools/olayout/ol_buildid.c):
perf_spin.c built with ld's sha1 build-id, its spin moved by `olayout
rewrite`: the output's id differs from the input's, has its length, and is
the SHA-256 of the output with the id's bytes zeroed, cut to that length;
the same layout gives the same file twice; a program linked without a
build-id gets none. perf, with a fresh build-id cache that first took the
rewritten copy, names the original's hot function spin (when the copy kept
the input's id, perf read the copy's symbols for the original and named it
frame_dummy); olayout profile --from-perf reads the copy's recording, and
refuses a recording of the original once the copy has replaced it at its
path. The perf checks are skipped only where perf cannot record."""
import hashlib
import os
import re
import shutil
import subprocess
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import oltest  # noqa: E402

SRC = os.path.join(os.path.dirname(os.path.abspath(__file__)), "perf_spin.c")
LAYOUT = "olayout-layout 1\nplace spin align=16\n"


def build_id(path):
    out = subprocess.run(["readelf", "-n", path], capture_output=True, text=True).stdout
    m = re.search(r"Build ID: ([0-9a-f]+)", out)
    return bytes.fromhex(m.group(1)) if m else None


def rewrite(work, exe, out):
    layout = os.path.join(work, "spin.layout")
    with open(layout, "w") as f:
        f.write(LAYOUT)
    return oltest.olayout("rewrite", "--layout", layout, "-o", out, exe)


def check_id(tap, work, exe):
    outs = [os.path.join(work, n) for n in ("spin.opt", "spin.opt2")]
    res = [rewrite(work, exe, o) for o in outs]
    ok = all(r.rc == 0 for r in res)
    tap.ok(ok, "rewrite moves spin: exit 0", oltest.describe(res[0]))
    if not ok:
        return None
    old, new = build_id(exe), build_id(outs[0])
    tap.ok(old and new and new != old and len(new) == len(old),
           "the output's build-id is another of the same length (%d bytes)" % len(old or b""),
           "input %s output %s" % (old and old.hex(), new and new.hex()))
    with open(outs[0], "rb") as f:
        data = f.read()
    at = data.find(new) if new else -1
    zeroed = data[:at] + bytes(len(new or b"")) + data[at + len(new or b""):]
    tap.ok(at > 0 and data.count(new) == 1 and
           hashlib.sha256(zeroed).digest()[:len(new)] == new,
           "it is the SHA-256 of the output with the id zeroed, cut to its length")
    with open(outs[1], "rb") as f:
        tap.ok(f.read() == data, "the same layout gives the same file, build-id and all")
    return outs[0]


def check_none(tap, work):
    exe = os.path.join(work, "spin.noid")
    oltest.run(["gcc", "-O2", "-Wl,--build-id=none", "-Wl,--emit-relocs", "-o", exe, SRC])
    out = exe + ".opt"
    res = rewrite(work, exe, out)
    tap.ok(res.rc == 0 and build_id(exe) is None and build_id(out) is None and
           oltest.olayout("verify", out).rc == 0,
           "a program without a build-id: rewritten and verified, still without one",
           oltest.describe(res))


def hottest(work, data):
    res = oltest.run(["perf", "report", "-i", data, "--stdio", "--sort", "sym"], timeout=60)
    for line in res.out.decode(errors="replace").splitlines():
        m = re.match(r"\s+[\d.]+%\s+\[\.\]\s+(\S+)", line)
        if m:
            return m.group(1)
    return None


def check_perf(tap, work, exe, opt):
    """perf's build-id cache (HOME's ~/.debug) takes the rewritten copy first."""
    os.environ["HOME"] = os.path.abspath(os.path.join(work, "home"))
    os.makedirs(os.environ["HOME"])
    datas = [os.path.join(work, n) for n in ("opt.data", "orig.data")]
    why = None
    for e, d in zip((opt, exe), datas):
        res = oltest.run(["perf", "record", "-q", "-e", "cpu-clock", "-o", d, e], timeout=120)
        if res.rc != 0 or not os.path.exists(d):
            with open("/proc/sys/kernel/perf_event_paranoid") as f:
                why = "perf record -e cpu-clock fails here (perf_event_paranoid %s): %s" % (
                    f.read().strip(), oltest.describe(res, 1))
            break
    got = None if why else (hottest(work, datas[0]), hottest(work, datas[1]))
    tap.ok(got == ("spin", "spin"),
           "perf names spin the hot function of the rewritten copy and, after it, of the original",
           "got %s" % (got,), skip=why)
    check_from_perf(tap, work, exe, opt, why)


def check_from_perf(tap, work, exe, opt, why):
    """olayout profile --from-perf reads the copy's recording and, by the
    build-id, refuses a recording of the original made at the path the copy
    now has (a program rewritten in place after it was recorded)."""
    prof = os.path.join(work, "opt.prof")
    res = None if why else oltest.olayout("profile", "-o", prof, "--from-perf",
                                           os.path.join(work, "opt.data"), opt)
    funcs = [] if why or res.rc else [e for e in oltest.entries(oltest.read(prof), "function")
                                      if e[0] == "spin"]
    tap.ok(funcs and int(funcs[0][2]) > 0,
           "profile --from-perf of the rewritten copy: spin has samples",
           res and oltest.describe(res), skip=why)
    app, data = os.path.join(work, "app"), os.path.join(work, "app.data")
    if not why:
        shutil.copy(exe, app)
        oltest.run(["perf", "record", "-q", "-e", "cpu-clock", "-o", data, app], timeout=120)
        shutil.copy(opt, app)
    res = None if why else oltest.olayout("profile", "-o", prof + "2", "--from-perf", data, app)
    tap.ok(res and res.rc == 1 and b"recorded from another build" in res.err and
           not os.path.exists(prof + "2"),
           "profile --from-perf of a recording made before the program was rewritten in place: "
           "refused (another build-id), nothing written", res and oltest.describe(res), skip=why)


def main():
    oltest.need_olayout()
    oltest.need_tool("gcc", "readelf", "perf")
    tap = oltest.Tap()
    work = oltest.workdir("buildid")
    exe = os.path.join(work, "spin")
    oltest.run(["gcc", "-O2", "-g", "-Wl,--build-id=sha1", "-Wl,--emit-relocs", "-o", exe, SRC])
    oltest.need(exe)
    opt = check_id(tap, work, exe)
    check_none(tap, work)
    if opt:
        check_perf(tap, work, exe, opt)
    if tap.failed == 0:
        shutil.rmtree(work)
    return tap.done()


if __name__ == "__main__":
    sys.exit(main())
