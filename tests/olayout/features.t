#!/usr/bin/python3
"""olayout on progs/feat.c, built PIE (-g, CET, exported symbols), non-PIE
(exported symbols) and static: thread-local accesses, an own IFUNC, a
computed goto, a GOT slot and an exported function survive a move (reverse
layout, with _start) and a clone with routed calls, and a second rewrite;
the entry point follows _start, the exported function's .dynsym entry
follows it; the clone of a function with two FDEs gets both; instructions Capstone 4
does not decode are measured (their function stays, verify checks it);
verify catches a code pointer in data that disagrees with its relocation; a non-PIE clone reads its own copy of the label
table, and in PIE (where that table needs dynamic relocations) olayout warns
that the clone reaches the original; code that data refers to with a
relocation type olayout does not redo stays, and placing it is refused; a
build without -ffunction-sections has its unrelocated references pinned
with a hint naming the flag."""
import os
import re
import shutil
import subprocess
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
import mklayout  # noqa: E402
import oltest  # noqa: E402


SRC = os.path.join(HERE, "progs", "feat.c")
BASE = ["gcc", "-O2", "-ffunction-sections", "-Wl,--emit-relocs"]
CONFIGS = {
    "pie": ["-fpie", "-pie", "-g", "-fcf-protection", "-DDYN", "-rdynamic"],
    "nopie": ["-fno-pie", "-no-pie", "-DDYN", "-rdynamic"],
    "static": ["-fno-pie", "-static"],
}
MOVABLE = ["_start", "main", "tls_bump", "exported_sq", "pick_a", "pick_b", "pick_resolve", "interp",
           "got_target", "got_call", "two_fde"]
CLONED = ["interp", "tls_bump", "exported_sq", "two_fde"]
PATH = "P"


def build(exe, flags):
    cmd = BASE + ["-o", exe, SRC] + flags + (["-ldl"] if "-DDYN" in flags else [])
    res = subprocess.run(cmd, capture_output=True, text=True)
    if res.returncode != 0:
        raise RuntimeError("%s: %s" % (" ".join(cmd), res.stderr[-500:]))


def rewrite(exe, lines, out):
    layout = out + ".layout"
    with open(layout, "w") as f:
        f.write("\n".join(lines) + "\n")
    return oltest.olayout("rewrite", "--layout", layout, "-o", out, exe), layout


def same_run(exe, out, want):
    """Problems rewriting EXE into OUT: verify, output and exit status."""
    problems = []
    ver = oltest.olayout("verify", out)
    if ver.rc != 0:
        problems.append("olayout verify %s: %s" % (out, oltest.describe(ver)))
    got = oltest.run([out])
    if got.rc != want.rc or got.out != want.out:
        problems.append("%s: exit %s, output %s (want exit %s)" % (
            out, got.rc, "same" if got.out == want.out else got.out[-200:], want.rc))
    return problems


def dynsym_value(exe, name):
    out = subprocess.run(["readelf", "--dyn-syms", "-W", exe], capture_output=True, text=True).stdout
    for line in out.splitlines():
        f = line.split()
        if len(f) >= 8 and f[7].split("@")[0] == name:
            return int(f[1], 16)
    return None


def fdes_in(exe, name):
    """How many FDEs of EXE start inside function NAME."""
    syms = {s.name: s for s in mklayout.func_symbols(exe)}
    out = subprocess.run(["readelf", "--debug-dump=frames", exe], capture_output=True,
                         text=True).stdout
    starts = [int(m.group(1), 16) for m in re.finditer(r" FDE cie=\w+ pc=([0-9a-f]+)\.\.", out)]
    s = syms.get(name)
    return s and sum(1 for a in starts if s.addr <= a < s.addr + s.size)


def flip_data_pointer(exe):
    """A copy of EXE with one bit flipped in interp's label table (the kept
    R_X86_64_64 relocations of .rodata, pointing into code)."""
    rels = subprocess.run(["readelf", "-rW", exe], capture_output=True, text=True).stdout
    table = rels[rels.index("'.rela.rodata'"):]
    va = next(int(l.split()[0], 16) for l in table.splitlines() if "R_X86_64_64" in l)
    secs = subprocess.run(["readelf", "-SW", exe], capture_output=True, text=True).stdout
    data = bytearray(open(exe, "rb").read())
    for line in secs.splitlines():
        f = line.replace("[ ", "[").split()
        if len(f) > 6 and f[0].startswith("[") and f[2] == "PROGBITS":
            addr, off, size = int(f[3], 16), int(f[4], 16), int(f[5], 16)
            if addr <= va < addr + size:
                data[off + va - addr] ^= 0x10
    bad = exe + ".flipped"
    with open(bad, "wb") as out:
        out.write(data)
    return bad


def entry_point(exe):
    out = subprocess.run(["readelf", "-h", exe], capture_output=True, text=True).stdout
    m = re.search(r"Entry point address:\s+0x([0-9a-f]+)", out)
    return int(m.group(1), 16) if m else None


def own_label_table(out):
    """Problems unless interp's clone reads a label table whose entries all
    lie inside the clone (non-PIE: `mov TABLE(,%reg,8)`)."""
    syms = {s.name: s for s in mklayout.func_symbols(out)}
    clone = syms.get("interp.clone." + PATH)
    if clone is None:
        return ["no interp.clone.%s" % PATH]
    dis = subprocess.run(["objdump", "-d", "--start-address=%#x" % clone.addr,
                          "--stop-address=%#x" % (clone.addr + clone.size), out],
                         capture_output=True, text=True).stdout
    m = re.search(r"\s0x([0-9a-f]+)\(,%r\w+,8\)", dis)
    if m is None:
        return ["interp.clone.%s reads no label table" % PATH]
    table = int(m.group(1), 16)
    dump = subprocess.run(["objdump", "-s", "--start-address=%#x" % table,
                           "--stop-address=%#x" % (table + 32), out],
                          capture_output=True, text=True).stdout
    words = ""
    for line in dump.splitlines():
        f = line.split()
        if len(f) >= 2 and re.fullmatch(r"[0-9a-f]+", f[0]) and int(f[0], 16) >= table:
            words += "".join(w for w in f[1:5] if re.fullmatch(r"[0-9a-f]{1,8}", w))
    raw = bytes.fromhex(words)[:32]
    entries = [int.from_bytes(raw[i:i + 8], "little") for i in range(0, len(raw) - 7, 8)]
    bad = [e for e in entries if not clone.addr <= e < clone.addr + clone.size]
    if len(entries) != 4 or bad:
        return ["label table of interp.clone.%s at %#x: entries %s, outside the clone %s" % (
            PATH, table, [hex(e) for e in entries], [hex(e) for e in bad])]
    return []


def check_config(tap, config, work):
    exe = os.path.join(work, "feat." + config)
    build(exe, CONFIGS[config])
    want = oltest.run([exe])
    dyn = "-DDYN" in CONFIGS[config]

    info = oltest.olayout("info", exe)
    pinned = [l for l in info.out.decode().splitlines() if l.startswith("movable: no pinned_fn ")]
    res, _ = rewrite(exe, ["olayout-layout 1", "place pinned_fn"], exe + ".pinned")
    err = res.err.decode(errors="replace")
    tap.ok(pinned and "relocation type 24" in pinned[0] and res.rc == 1
           and "'pinned_fn' cannot move" in err and err.count("\n") == 1
           and not os.path.exists(exe + ".pinned"),
           "%s: code reached through an R_X86_64_PC64 word stays; placing it is refused" % config,
           "info: %s\nrewrite: %s" % (pinned, oltest.describe(res)))

    lines = info.out.decode().splitlines()
    probe = [l for l in lines if l.startswith("movable: no cet_probe ")]
    ver = oltest.olayout("verify", exe)
    tap.ok(probe and "unknown to Capstone 4" in probe[0] and ver.rc == 0
           and not any("do not decode" in l for l in lines if "cet_probe" in l or "main" in l),
           "%s: instructions Capstone 4 lacks are measured: their function stays, verify checks it"
           % config, "%s\n%s" % (probe, oltest.describe(ver)))

    moved = exe + ".rev"
    res, _ = rewrite(exe, ["olayout-layout 1"] + ["place " + f for f in reversed(MOVABLE)], moved)
    problems = [oltest.describe(res)] if res.rc != 0 else same_run(exe, moved, want)
    tap.ok(not problems, "%s: TLS, IFUNC, computed goto, GOT slot moved: verify, same output" % config,
           "\n".join(problems))
    if config == "nopie" and res.rc == 0:
        bad = flip_data_pointer(moved)
        ver = oltest.olayout("verify", bad)
        tap.ok(ver.rc == 1 and b"disagrees with its relocation" in ver.err,
               "%s: verify catches a code pointer in data that disagrees with its relocation"
               % config, oltest.describe(ver))
    syms = {s.name: s for s in mklayout.func_symbols(moved)} if res.rc == 0 else {}
    entry = entry_point(moved) if res.rc == 0 else None
    tap.ok("_start" in syms and entry == syms["_start"].addr != entry_point(exe),
           "%s: the entry point follows the moved _start" % config,
           "entry %s, _start %s" % (entry, syms.get("_start")))
    if dyn:
        before = dynsym_value(exe, "exported_sq")
        after = dynsym_value(moved, "exported_sq") if res.rc == 0 else None
        tap.ok(after is not None and after != before and after == syms["exported_sq"].addr,
               "%s: .dynsym follows the moved exported_sq" % config,
               "before %s, after %s, .symtab %s" % (before, after, syms.get("exported_sq")))

    cloned = exe + ".clone"
    lines = ["olayout-layout 1"] + ["clone %s %s" % (f, PATH) for f in CLONED] + \
        ["route main %s %s" % (f, PATH) for f in CLONED]
    res, _ = rewrite(exe, lines, cloned)
    problems = [oltest.describe(res)] if res.rc != 0 else \
        same_run(exe, cloned, want) + oltest.check_placement(lines, exe, cloned)
    tap.ok(not problems, "%s: clones of TLS, computed goto, exported code: routes, verify, same output"
           % config, "\n".join(problems))
    tap.ok(res.rc == 0 and fdes_in(cloned, "two_fde.clone." + PATH) == 2,
           "%s: the clone of a function with two FDEs has both" % config,
           "FDEs: %s" % (fdes_in(cloned, "two_fde.clone." + PATH) if res.rc == 0 else None))
    err = res.err.decode(errors="replace")
    if config == "pie":
        tap.ok(res.rc == 0 and "points inside interp" in err,
               "%s: warns that interp's label table leads its clone back to interp" % config, err)
    else:
        problems = own_label_table(cloned) if res.rc == 0 else ["no output"]
        tap.ok(not problems and "warning" not in err,
               "%s: interp's clone has its own label table, no warning" % config,
               "\n".join(problems) + "\n" + err)

    again = exe + ".again"
    lines = mklayout.reverse_layout(cloned, set(MOVABLE) | {"exported_alias"}) if res.rc == 0 else []
    res2, _ = rewrite(cloned, lines, again)
    problems = [oltest.describe(res2)] if res2.rc != 0 else same_run(cloned, again, want)
    tap.ok(res.rc == 0 and not problems, "%s: the cloned output moved again (clones too; mklayout names an alias once)" % config,
           "\n".join(problems))


def check_no_function_sections(tap, work):
    exe = os.path.join(work, "feat.nofs")
    cmd = ["gcc", "-O2", "-Wl,--emit-relocs", "-fpie", "-pie", "-o", exe, SRC]
    subprocess.run(cmd, check=True)
    info = oltest.olayout("info", exe).out.decode()
    hints = [l for l in info.splitlines() if l.startswith("movable: no ") and
             "has no relocation (built without -ffunction-sections?)" in l]
    tap.ok(bool(hints), "without -ffunction-sections: unrelocated references pinned, the flag named",
           info)


def main():
    oltest.need_olayout()
    tap = oltest.Tap()
    work = oltest.workdir("unit-features")
    for config in CONFIGS:
        check_config(tap, config, work)
    check_no_function_sections(tap, work)
    if tap.failed == 0:
        shutil.rmtree(work)
    return tap.done()


if __name__ == "__main__":
    sys.exit(main())
