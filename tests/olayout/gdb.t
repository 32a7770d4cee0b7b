#!/usr/bin/python3
"""Debuggers and symbolizers see rewritten code by its right names.

For several builds of the layers program: clone its push path
(corpus/layers/clone.path) and route the calls along it; in gdb (batch mode)
a breakpoint on the deepest clone is hit and `bt` shows the clones and then
their uncloned callers, in order; addr2line names every clone. For the -g
builds of calc, reversed: a breakpoint on a moved function stops there with
its source file (DWARF follows the move) and addr2line gives file and name."""
import os
import re
import shutil
import subprocess
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import mklayout  # noqa: E402
import oltest  # noqa: E402

FRAME_RE = re.compile(r"^#(\d+)\s+(?:0x[0-9a-f]+ in )?(\S+) \(.*?\)(?: at (\S+):\d+)?", re.M)


def backtrace(exe, function):
    """[(name, file or None)] of the frames when FUNCTION is first entered.
    `set print demangle off`: gdb (13) otherwise shows a symbol without DWARF
    through its Ada decoder, its last `.word` as `[word]` (GCC's own foo.cold
    as foo[cold], wire_xmit.clone.push as wire_xmit.clone[push]); the names
    checked are the symbols olayout wrote."""
    cmd = ["gdb", "-batch", "-nx", "-ex", "set debuginfod enabled off",
           "-ex", "set print demangle off",
           "-ex", "break '%s'" % function, "-ex", "run", "-ex", "bt", exe]
    res = oltest.run(cmd, timeout=120)
    text = res.out.decode(errors="replace")
    return [(m.group(2), m.group(3)) for m in FRAME_RE.finditer(text)], oltest.shell_quote(cmd), text


def addr2line(exe, addr):
    out = subprocess.run(["addr2line", "-f", "-e", exe, "%#x" % addr],
                         capture_output=True, text=True).stdout.split("\n")
    return out[0], out[1] if len(out) > 1 else ""


def rewrite(name, exe, lines):
    work = oltest.workdir("gdb-" + name)
    layout, out = os.path.join(work, "layout"), os.path.join(work, "out")
    with open(layout, "w") as f:
        f.write("\n".join(lines) + "\n")
    res = oltest.olayout("rewrite", "--layout", layout, "-o", out, exe)
    if res.rc != 0:
        return None, "olayout rewrite --layout %s -o %s %s: %s" % (layout, out, exe, oltest.describe(res))
    return out, None


def check_clones(tap, config, exe):
    path, chain = oltest.clone_path("layers")
    funcs = mklayout.read_funcs(oltest.funcs_file("layers"))
    out, err = rewrite("layers." + config, exe, mklayout.clone_layout(exe, chain, path, funcs))
    if out is None:
        tap.ok(False, "layers.%s: clone rewrite for gdb" % config, err)
        tap.ok(False, "layers.%s: addr2line names the clones" % config, err)
        return
    clones = [fn + ".clone." + path for fn in chain[1:]]
    frames, cmd, text = backtrace(out, clones[-1])
    want = list(reversed(clones)) + [chain[0], "main"]
    got = [name for name, _ in frames[:len(want)]]
    tap.ok(got == want, "layers.%s: gdb bt from %s shows %s" % (config, clones[-1], " <- ".join(want)),
           "%s\ngot frames %s\n%s" % (cmd, got, text[-1500:]))
    syms = {s.name: s for s in mklayout.func_symbols(out)}
    wrong = []
    for c in clones:
        name = addr2line(out, syms[c].addr + 1)[0] if c in syms else "(no symbol)"
        if name != c:
            wrong.append("%s: addr2line says %s" % (c, name))
    tap.ok(not wrong, "layers.%s: addr2line names the %d clones" % (config, len(clones)), "\n".join(wrong))
    if got == want and not wrong:
        shutil.rmtree(os.path.dirname(out))


def check_moved(tap, config, exe):
    funcs = mklayout.read_funcs(oltest.funcs_file("calc"))
    out, err = rewrite("calc." + config, exe, mklayout.reverse_layout(exe, funcs))
    if out is None:
        tap.ok(False, "calc.%s: reverse rewrite for gdb" % config, err)
        tap.ok(False, "calc.%s: addr2line after the move" % config, err)
        return
    frames, cmd, text = backtrace(out, "calc_run")
    good = frames[:2] and frames[0][0] == "calc_run" and (frames[0][1] or "").endswith("vm.c") \
        and frames[1][0] == "main"
    tap.ok(bool(good), "calc.%s: gdb stops in moved calc_run at vm.c, called from main" % config,
           "%s\ngot frames %s\n%s" % (cmd, frames[:3], text[-1500:]))
    syms = {s.name: s for s in mklayout.func_symbols(out)}
    name, where = addr2line(out, syms["calc_run"].addr + 4)
    tap.ok(name == "calc_run" and "vm.c:" in where,
           "calc.%s: addr2line in moved calc_run gives calc_run at vm.c" % config,
           "addr2line -f -e %s %#x: %s %s" % (out, syms["calc_run"].addr + 4, name, where))
    if good and name == "calc_run":
        shutil.rmtree(os.path.dirname(out))


def main():
    oltest.need_olayout()
    oltest.need_tool("gdb", "addr2line")
    tap = oltest.Tap()
    builds = {(p, c): e for p, c, e in oltest.corpus()}
    for config in ("nopie-g", "pie-g", "static-g", "pie", "pie-cet"):
        check_clones(tap, config, builds[("layers", config)])
    for config in ("nopie-g", "pie-g", "static-g"):
        check_moved(tap, config, builds[("calc", config)])
    return tap.done()


if __name__ == "__main__":
    sys.exit(main())
