#!/usr/bin/python3
"""olayout verify on calls through the PLT (issue #16, defect 2): in corpus
programs (non-PIE, PIE, static with IFUNC entries, and calc built here with
-fcf-protection -z ibtplt, whose calls go to .plt.sec) one `call X@plt` is
patched to call another symbol's PLT entry, or one byte into its own entry;
verify must reject both (exit 1, naming the PLT) and pass the unpatched
file."""
import os
import shutil
import struct
import subprocess
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import mklayout  # noqa: E402
import oltest  # noqa: E402

EXES = ["calc.nopie", "calc.pie", "calc.static"]
CALC = os.path.join(os.path.dirname(os.path.abspath(__file__)), "corpus", "calc")


def build_ibtplt(work):
    """calc with an IBT PLT (.plt.sec), as some distributions link."""
    exe = os.path.join(work, "calc.ibtplt")
    srcs = sorted(os.path.join(CALC, f) for f in os.listdir(CALC) if f.endswith(".c"))
    subprocess.run(["gcc", "-O2", "-ffunction-sections", "-fcf-protection", "-fpie", "-pie",
                    "-Wl,-z,ibtplt", "-Wl,--emit-relocs", "-o", exe] + srcs, check=True)
    return exe


def sections(exe):
    """name -> (addr, offset, size) from readelf -SW."""
    out = {}
    for line in mklayout.tool_output(["readelf", "-SW", exe]).splitlines():
        w = line.replace("[ ", "[").split()
        if len(w) > 6 and w[0].startswith("[") and w[1].startswith("."):
            out[w[1]] = (int(w[3], 16), int(w[4], 16), int(w[5], 16))
    return out


def plt_calls(exe):
    """[(field vaddr, file offset, symbol, target)] of the R_X86_64_PLT32
    relocations of .rela.text whose call lands in a .plt* section."""
    secs = sections(exe)
    text = secs[".text"]
    plts = [v for k, v in secs.items() if k.startswith(".plt")]
    calls, in_text = [], False
    with open(exe, "rb") as f:
        data = f.read()
    for line in mklayout.tool_output(["readelf", "-rW", exe]).splitlines():
        if line.startswith("Relocation section"):
            in_text = "'.rela.text'" in line
            continue
        w = line.split()
        if not in_text or len(w) < 5 or w[2] != "R_X86_64_PLT32":
            continue
        va = int(w[0], 16)
        off = text[1] + va - text[0]
        target = va + 4 + struct.unpack_from("<i", data, off)[0]
        if any(a <= target < a + s for a, _, s in plts):
            calls.append((va, off, w[4], target))
    return calls


def patched(work, exe, off, va, target, name):
    path = os.path.join(work, os.path.basename(exe) + "." + name)
    shutil.copyfile(exe, path)
    with open(path, "r+b") as f:
        f.seek(off)
        f.write(struct.pack("<i", target - (va + 4)))
    return path


def main():
    oltest.need_olayout()
    oltest.need(*(os.path.join(oltest.CORPUS, n) for n in EXES))
    tap = oltest.Tap()
    exes = [os.path.join(oltest.CORPUS, n) for n in EXES]
    exes.append(build_ibtplt(oltest.workdir("plt-build")))
    for exe in exes:
        name = os.path.basename(exe)
        calls = plt_calls(exe)
        other = [c for c in calls if c[2] != calls[0][2]] if calls else []
        if not other:
            tap.ok(False, "%s: two PLT calls of different symbols" % name)
            continue
        va, off, sym, target = calls[0]
        work = oltest.workdir("plt-" + name)
        res = oltest.olayout("verify", exe)
        tap.ok(res.rc == 0, "%s: verify passes unpatched" % name, oltest.describe(res))
        for what, t, word in (("%s's entry" % other[0][2], other[0][3], b"PLT entry"),
                              ("its entry + 1", target + 1, b"not on the start of a PLT entry")):
            bad = patched(work, exe, off, va, t, "plt%d" % (t - target))
            res = oltest.olayout("verify", bad)
            tap.ok(res.rc == 1 and word in res.err and b"%x" % va in res.err,
                   "%s: verify rejects the call of %s at %#x sent to %s" % (name, sym, va, what),
                   oltest.describe(res))
    return tap.done()


if __name__ == "__main__":
    sys.exit(main())
