#!/usr/bin/python3
"""Bad input to olayout rewrite, verify and info: corpus executables truncated
at many offsets (also inside each header and table), with seeded bit flips
in the ELF header, program headers, section headers and tables (symbols,
relocations, .eh_frame, .dynamic; in an olayout output also its clone
table), non-ELF files, other architectures, stripped executables,
executables linked without --emit-relocs, malformed layout files, bad
command lines, and SIGTERM in the middle of a rewrite.

A refused input gives exactly one line on stderr, `olayout: FILE...`, naming
the input, and exit status 1 or 2. A bit flip may also leave a valid file:
then success is fine, but never a signal, a sanitizer report or a hang, and a
failure is still one line (verify may list up to 20 problems and a
summary). Every command runs in an empty directory that must stay empty, and rewrite's output must
not exist after a failure.

Environment: OLAYOUT_TEST_SEED (default 6) seeds the choice of executables
and the bit flips; OLAYOUT_BADINPUT_CASES=N runs a seeded sample of N inputs."""
import os
import random
import shutil
import signal
import struct
import subprocess
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import mklayout  # noqa: E402
import oltest  # noqa: E402

COMMANDS = ("rewrite", "verify", "info")
MUST_FAIL, MAY_PASS = "must fail", "may pass"
EM_AARCH64 = 183


TABLE_SECTIONS = (".symtab", ".rela.text", ".eh_frame", ".eh_frame_hdr", ".dynamic", ".rela.dyn",
                  ".olayout.clones", ".olayout.anchor")


def elf_tables(data):
    """[(label, offset, size)] of the ELF header, program headers, section
    headers and the sections of TABLE_SECTIONS the file has."""
    phoff, shoff = struct.unpack_from("<QQ", data, 0x20)
    phentsize, phnum, shentsize, shnum, shstrndx = struct.unpack_from("<HHHHH", data, 0x36)
    tables = [("ehdr", 0, 64), ("phdr", phoff, phentsize * phnum), ("shdr", shoff, shentsize * shnum)]
    shdrs = [struct.unpack_from("<IIQQQQ", data, shoff + i * shentsize) for i in range(shnum)]
    strtab = shdrs[shstrndx][4]
    for name_off, sh_type, _, _, off, size in shdrs:
        name = data[strtab + name_off:data.index(b"\0", strtab + name_off)].decode()
        if name in TABLE_SECTIONS and sh_type != 8 and size:  # 8: SHT_NOBITS
            tables.append((name.strip(".").replace(".", "_"), off, size))
    return tables


def last_load_phdr(data):
    """File offset of the last PT_LOAD program header of DATA."""
    phoff, = struct.unpack_from("<Q", data, 0x20)
    phentsize, phnum = struct.unpack_from("<HH", data, 0x36)
    loads = [phoff + i * phentsize for i in range(phnum)
             if struct.unpack_from("<I", data, phoff + i * phentsize)[0] == 1]  # PT_LOAD
    return loads[-1]


class Inputs:
    """Writes the bad inputs into DIR; each is (name, path, class, needle)
    where needle must appear in the error line (None: only the path)."""

    def __init__(self, directory, rng):
        self.dir = directory
        self.rng = rng
        self.cases = []

    def add(self, name, data, cls, needle=None):
        path = os.path.join(self.dir, name)
        with open(path, "wb") as f:
            f.write(data)
        self.cases.append((name, path, cls, needle))

    def truncations(self, label, data):
        """At every 97th byte of the first 4 KiB, at every 16th of the file,
        and inside each table (ELF_TABLES) at its start, middle and end."""
        size = len(data)
        inside = [off + k for _, off, n in elf_tables(data) for k in (1, n // 2, n - 1)]
        offsets = sorted(set(list(range(0, min(size, 4096), 97)) +
                             [size * k // 16 for k in range(1, 16)] + [size - 1] +
                             [o for o in inside if 0 < o < size]))
        for off in offsets:
            self.add("trunc-%s-%07d" % (label, off), data[:off], MUST_FAIL)

    def bitflips(self, label, data, per_header=12, per_section=4):
        for table, start, length in elf_tables(data):
            for _ in range(per_header if table in ("ehdr", "phdr", "shdr") else per_section):
                off = start + self.rng.randrange(length)
                bit = self.rng.randrange(8)
                flipped = bytearray(data)
                flipped[off] ^= 1 << bit
                self.add("flip-%s-%s-%06x.%d" % (label, table, off, bit), bytes(flipped), MAY_PASS)

    def patched(self, label, data, offset, fmt, value, cls=MUST_FAIL):
        patched = bytearray(data)
        struct.pack_into(fmt, patched, offset, value)
        self.add(label, bytes(patched), cls)


def rewritten(directory):
    """layers.pie with its push path cloned: an olayout output, whose clone
    table and anchor a second rewrite reads."""
    exe = dict(((p, c), e) for p, c, e in oltest.corpus())[("layers", "pie")]
    path, chain = oltest.clone_path("layers")
    lines = mklayout.clone_layout(exe, chain, path, mklayout.read_funcs(oltest.funcs_file("layers")))
    layout, out = os.path.join(directory, "rewritten.layout"), os.path.join(directory, "rewritten")
    with open(layout, "w") as f:
        f.write("\n".join(lines) + "\n")
    res = oltest.olayout("rewrite", "--layout", layout, "-o", out, exe)
    if res.rc != 0:
        raise RuntimeError("olayout rewrite --layout %s -o %s %s: %s" % (layout, out, exe,
                                                                        oltest.describe(res)))
    data = open(out, "rb").read()
    os.remove(out)
    return data


def make_inputs(directory, rng):
    inputs = Inputs(directory, rng)
    exes = oltest.corpus()
    subjects = []
    for kind in ("pie", "static", "nopie-g"):
        prog, config, exe = rng.choice([e for e in exes if e[1] == kind])
        subjects.append(("%s.%s" % (prog, config), open(exe, "rb").read()))
    subjects.append(("layers.pie-rewritten", rewritten(directory)))
    for label, data in subjects:
        inputs.truncations(label, data)
        inputs.bitflips(label, data)
    base = open(exes[0][2], "rb").read()
    # the last PT_LOAD (a second rewrite's olayout segment) far outside the
    # file, or huge in memory: refused or out of range, never a giant output
    last_load = last_load_phdr(subjects[-1][1])
    inputs.patched("load-offset-huge", subjects[-1][1], last_load + 8, "<Q", 0x4000006000)
    inputs.patched("load-memsz-huge", subjects[-1][1], last_load + 40, "<Q", 1 << 46, MAY_PASS)
    inputs.add("empty", b"", MUST_FAIL)
    inputs.add("text", b"this is not an ELF file\n" * 40, MUST_FAIL)
    inputs.add("script", b"#!/bin/sh\necho hello\n", MUST_FAIL)
    inputs.add("random", bytes(rng.randrange(256) for _ in range(8192)), MUST_FAIL)
    inputs.add("magic-only", b"\x7fELF", MUST_FAIL)
    inputs.add("magic-zeros", b"\x7fELF" + bytes(4092), MUST_FAIL)
    inputs.add("header-only", base[:64], MUST_FAIL)
    inputs.patched("aarch64", base, 0x12, "<H", EM_AARCH64)
    inputs.patched("elfclass32", base, 4, "B", 1)
    inputs.patched("bigendian", base, 5, "B", 2)
    inputs.patched("relocatable", base, 0x10, "<H", 1)
    inputs.add("i386", open(os.path.join(oltest.CORPUS, "i386.elf"), "rb").read(), MUST_FAIL)
    stripped = os.path.join(directory, "stripped")
    subprocess.run(["strip", "-s", "-o", stripped, exes[0][2]], check=True)
    inputs.cases.append(("stripped", stripped, MUST_FAIL, "strip"))
    for prog, config, exe in oltest.corpus(with_relocs=False):
        inputs.add("%s.%s" % (prog, config), open(exe, "rb").read(), MUST_FAIL, "emit-relocs")
    # Paths that are not regular files: given as they are, not copied.
    inputs.cases.append(("dev-null", "/dev/null", MUST_FAIL, None))
    inputs.cases.append(("directory", directory, MUST_FAIL, None))
    inputs.cases.append(("missing", os.path.join(directory, "no-such-file"), MUST_FAIL, None))
    return inputs.cases


def check_command(cmd, path, layout, cls, needle, room, limit_memory):
    """Run one olayout command on PATH in the empty directory ROOM; returns
    a problem or None."""
    out = os.path.join(room, "out")
    args = {"rewrite": ["rewrite", "--layout", layout, "-o", out, path],
            "verify": ["verify", path], "info": ["info", path]}[cmd]
    res = oltest.run([oltest.OLAYOUT] + args, timeout=60, limit_memory=limit_memory)
    shown = oltest.shell_quote(["olayout"] + args)
    left = sorted(os.listdir(room))
    for name in left:
        p = os.path.join(room, name)
        shutil.rmtree(p) if os.path.isdir(p) else os.remove(p)
    if res.rc is None or res.rc < 0 or res.rc > 2:
        return "%s: %s" % (shown, oltest.describe(res))
    if res.rc == 0:
        if cls == MUST_FAIL:
            return "%s: exit 0 on bad input" % shown
        if left not in ([], ["out"]) or (cmd == "rewrite") != (left == ["out"]):
            return "%s: exit 0 but left %s" % (shown, left)
        return None
    lines = res.err.decode(errors="replace").splitlines()
    errors = [l for l in lines if not l.startswith("olayout: warning:")] if cls == MAY_PASS else lines
    # verify lists up to 20 problems, then "N more problems" and a total.
    most = 22 if (cmd == "verify" and cls == MAY_PASS) else 1
    if not 1 <= len(errors) <= most or not all(l.startswith("olayout: ") for l in errors):
        return "%s: exit %d, want %s one-line error(s), got stderr: %r" % (
            shown, res.rc, "up to %d" % most if most > 1 else "exactly", lines[:5])
    named = path in errors[0] or (cls == MAY_PASS and layout in errors[0])
    if not named:
        return "%s: the error does not name the input: %r" % (shown, errors[0])
    if needle and needle not in errors[0]:
        return "%s: the error does not say %r: %r" % (shown, needle, errors[0])
    if left:
        return "%s: exit %d but left %s behind" % (shown, res.rc, left)
    return None


def bad_layouts():
    """(name, layout text, where) of malformed layout files: the error must
    begin `olayout: FILE` + WHERE (the line, ':N:', or ':' when there is none)."""
    return [
        ("layout-empty", "", ":"),
        ("layout-no-header", "place main\n", ":1:"),
        ("layout-version-9", "olayout-layout 9\nplace main\n", ":1:"),
        ("layout-unknown-function", "olayout-layout 1\nplace no_such_function_here\n", ":2:"),
        ("layout-bad-directive", "olayout-layout 1\n# a comment\n\nteleport main\n", ":4:"),
        ("layout-placed-twice", "olayout-layout 1\nplace main\nplace main\n", ":3:"),
        # repeats apart, among a clone of the same unit (each unit's places are chained)
        ("layout-placed-twice-apart",
         "olayout-layout 1\nplace main\nclone main p\nplace calc_sum\nplace main\n", ":5:"),
        ("layout-cloned-twice",
         "olayout-layout 1\nclone main p\nplace main\nclone main q\nclone main p\n", ":5:"),
        ("layout-bad-align", "olayout-layout 1\nplace main align=3\n", ":2:"),
        ("layout-pad-twice", "olayout-layout 1\nplace main pad=8 pad=16\n", ":2:"),
        ("layout-align-twice", "olayout-layout 1\nplace main align=8 align=16\n", ":2:"),
        ("layout-huge-align", "olayout-layout 1\nalign 99999999999999999999999\n", ":2:"),
        ("layout-bad-pad", "olayout-layout 1\nplace main pad=-4\n", ":2:"),
        ("layout-clone-no-path", "olayout-layout 1\nclone main\n", ":2:"),
        ("layout-clone-bad-path", "olayout-layout 1\nclone main a/b\n", ":2:"),
        ("layout-route-unknown", "olayout-layout 1\nroute main nowhere p\n", ":2:"),
        ("layout-binary", "olayout-layout 1\n\x00\x01\x02\xff\n", ":2:"),
        ("layout-long-line", "olayout-layout 1\nplace " + "x" * 5000 + "\n", ":2:"),
    ]


def check_layouts(tap, work, good, limit_memory):
    for name, text, where in bad_layouts():
        path = os.path.join(work, name)
        with open(path, "w") as f:
            f.write(text)
        room = oltest.workdir("badinput-room-" + name)
        out = os.path.join(room, "out")
        cmd = [oltest.OLAYOUT, "rewrite", "--layout", path, "-o", out, good]
        res = oltest.run(cmd, timeout=60, limit_memory=limit_memory)
        lines = res.err.decode(errors="replace").splitlines()
        left = os.listdir(room)
        good_err = (res.rc == 1 and len(lines) == 1 and lines[0].startswith("olayout: " + path + where)
                    and not left)
        tap.ok(good_err, "%s: one line naming the layout file and line, no output" % name,
               "%s: exit %s, stderr %r, left %s" % (oltest.shell_quote(cmd), res.rc, lines[:5], left))
        shutil.rmtree(room)


def bad_command_lines(exe, layout, out):
    """(args, exit status, what stdout must hold) of command lines."""
    missing = os.path.join(os.path.dirname(out), "no-such-layout")
    return [
        ([], 2, None), (["bogus"], 2, None), (["-x"], 2, None),
        (["--help"], 0, "usage: olayout"), (["-h"], 0, "usage: olayout"),
        (["rewrite", "--help"], 0, "usage: olayout rewrite"),
        (["verify", "--help"], 0, "usage: olayout verify"),
        (["info", "--help"], 0, "usage: olayout info"),
        (["rewrite"], 2, None), (["rewrite", "--layout"], 2, None),
        (["rewrite", "--layout", layout, "-o"], 2, None),
        (["rewrite", "--layout", layout, exe], 2, None),
        (["rewrite", "-o", out, exe], 2, None),
        (["rewrite", "--frob", "--layout", layout, "-o", out, exe], 2, None),
        (["rewrite", "--layout", layout, "-o", out, exe, exe], 2, None),
        (["verify"], 2, None), (["verify", exe, exe], 2, None), (["verify", "--json", exe], 2, None),
        (["info"], 2, None), (["info", "--xml", exe], 2, None), (["info", exe, exe], 2, None),
        (["rewrite", "--layout", missing, "-o", out, exe], 1, missing),
        (["rewrite", "--layout", layout, "-o", "/nonexistent-dir/out", exe], 1, "/nonexistent-dir/out"),
        (["rewrite", "--layout", layout, "-o", os.path.dirname(out), exe], 1, os.path.dirname(out)),
    ]


def check_command_lines(tap, exe, layout):
    """Usage errors: exit 2, one line `olayout: ... (olayout [CMD ]--help)`;
    --help: exit 0, the usage on stdout, nothing on stderr; a file problem
    (missing layout, unwritable output): exit 1, one line naming the file."""
    room = oltest.workdir("badinput-room-cmdline")
    out = os.path.join(room, "out")
    for args, rc, want in bad_command_lines(exe, layout, out):
        res = oltest.run([oltest.OLAYOUT] + args, timeout=60)
        err = res.err.decode(errors="replace").splitlines()
        left = os.listdir(room)
        if rc == 0:
            good = res.rc == 0 and want in res.out.decode(errors="replace") and not err
        elif rc == 2:
            good = oltest.usage_error(res)
        else:
            good = res.rc == 1 and len(err) == 1 and err[0].startswith("olayout: " + want)
        good = good and not left
        shown = oltest.shell_quote(["olayout"] + args)
        tap.ok(good, "command line: %s -> exit %d" % (shown, rc),
               "%s: exit %s, stdout %r, stderr %r, left %s" % (
                   shown, res.rc, res.out[:200], err[:4], left))
        for name in left:
            os.remove(os.path.join(room, name))
    os.rmdir(room)


def check_signals(tap, room_name):
    """SIGTERM at several moments of a rewrite (of the biggest corpus
    executable, all its own functions reversed): either the rewrite finished
    (exit 0, OUT verifies) or it died of the signal and left nothing (or,
    killed right after renaming, a complete OUT): never a temporary file."""
    prog, config, exe = max(oltest.corpus(), key=lambda e: os.path.getsize(e[2]))
    room = oltest.workdir(room_name)
    layout, out = os.path.join(room, "layout"), os.path.join(room, "out")
    with open(layout, "w") as f:
        f.write("\n".join(mklayout.reverse_layout(exe, mklayout.read_funcs(oltest.funcs_file(prog)))))
    cmd = [oltest.OLAYOUT, "rewrite", "--layout", layout, "-o", out, exe]
    problems, outcomes = [], []
    for delay in (0.0, 0.002, 0.005, 0.01, 0.02, 0.04, 0.08, 0.16):
        p = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        time.sleep(delay)
        p.send_signal(signal.SIGTERM)
        rc = p.wait(timeout=120)
        left = sorted(set(os.listdir(room)) - {"layout"})
        outcomes.append("done" if rc == 0 else "killed")
        # killed just after the rename, OUT is complete: it must verify
        complete = left == ["out"] and oltest.olayout("verify", out).rc == 0
        if rc == 0 and not complete:
            problems.append("after %gs: exit 0 but %s" % (delay, left))
        elif rc not in (0, -signal.SIGTERM) or (rc != 0 and left and not complete):
            problems.append("after %gs: exit %s, left %s" % (delay, rc, left))
        for name in left:
            os.remove(os.path.join(room, name))
    tap.ok(not problems, "SIGTERM during a rewrite of %s.%s leaves nothing behind (%s)"
           % (prog, config, ", ".join(outcomes)), "\n".join(problems))
    shutil.rmtree(room)


def main():
    oltest.need_olayout()
    tap = oltest.Tap()
    oltest.corpus()
    seed = int(os.environ.get("OLAYOUT_TEST_SEED", "6"))
    limit_memory = not oltest.sanitized()
    tap.diag("seed %d (OLAYOUT_TEST_SEED); memory limit %s" % (seed, "4 GiB" if limit_memory else "none (ASan)"))
    work = oltest.workdir("badinput")
    inputs_dir = os.path.join(work, "inputs")
    os.makedirs(inputs_dir)
    layout = os.path.join(work, "layout")
    with open(layout, "w") as f:
        f.write("olayout-layout 1\nplace main\n")
    cases = make_inputs(inputs_dir, random.Random(seed))
    cases = oltest.sample(cases, "OLAYOUT_BADINPUT_CASES", seed, tap)

    def check(case):
        name, path, cls, needle = case
        room = oltest.workdir("badinput-room-" + name)
        problems = [p for p in (check_command(c, path, layout, cls, needle, room, limit_memory)
                                for c in COMMANDS) if p]
        os.rmdir(room)
        return name, cls, problems

    failed = 0
    for name, cls, problems in oltest.pmap(check, cases):
        failed += bool(problems)
        tap.ok(not problems, "%s (%s): rewrite, verify, info" % (name, cls), "\n".join(problems))

    good = oltest.corpus()[0][2]
    check_layouts(tap, work, good, limit_memory)
    check_command_lines(tap, good, layout)
    check_signals(tap, "badinput-room-signals")
    if not failed:
        shutil.rmtree(inputs_dir)
    return tap.done()


if __name__ == "__main__":
    sys.exit(main())
