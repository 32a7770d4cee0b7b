#!/usr/bin/python3
"""olayout verify and info on the unmodified corpus: verify passes on every
executable as the linker wrote it; `info --json` lists every function of the
program's own sources at its symbol's address and size, movable, with its
.cold fragments, and says rightly whether the file is PIE and static; the
text form names main."""
import json
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import mklayout  # noqa: E402
import oltest  # noqa: E402


def elf_kind(exe):
    """(pie, static) from the ELF header and program headers."""
    out = mklayout.tool_output(["readelf", "-hlW", exe])
    return "DYN (" in out, "INTERP" not in out


def info_problems(prog, exe):
    res = oltest.olayout("info", "--json", exe)
    if res.rc != 0:
        return ["olayout info --json %s: %s" % (exe, oltest.describe(res))]
    try:
        info = json.loads(res.out)
        listed = {f["name"]: f for f in info["functions"]}
    except (ValueError, KeyError, TypeError) as e:
        return ["olayout info --json %s: not the documented JSON: %s" % (exe, e)]
    problems = []
    pie, static = elf_kind(exe)
    if info.get("pie") != pie or info.get("static") != static:
        problems.append("pie %s static %s, the file is pie %s static %s"
                        % (info.get("pie"), info.get("static"), pie, static))
    own = mklayout.units(exe, mklayout.read_funcs(oltest.funcs_file(prog)))
    for s in own:
        if mklayout.FRAGMENT_RE.search(s.name):
            parent = listed.get(mklayout.FRAGMENT_RE.sub("", s.name), {})
            frags = {f["name"]: f for f in parent.get("fragments", [])}
            f = frags.get(s.name)
            if f is None or (f["addr"], f["size"]) != (s.addr, s.size):
                problems.append("fragment %s (%#x, %d): listed as %s" % (s.name, s.addr, s.size, f))
            continue
        f = listed.get(s.name)
        if f is None or (f["addr"], f["size"]) != (s.addr, s.size):
            problems.append("function %s (%#x, %d): listed as %s" % (s.name, s.addr, s.size, f))
        elif not f["movable"]:
            problems.append("function %s not movable: %s" % (s.name, f.get("reason")))
    text = oltest.olayout("info", exe)
    if text.rc != 0 or not any(l.startswith("fn main ") for l in text.out.decode().splitlines()):
        problems.append("olayout info %s: no 'fn main' line; %s" % (exe, oltest.describe(text)))
    return problems


def check(case):
    prog, config, exe = case
    ver = oltest.olayout("verify", exe)
    ver_problem = None if ver.rc == 0 else "olayout verify %s: %s" % (exe, oltest.describe(ver))
    return prog, config, ver_problem, info_problems(prog, exe)


def main():
    oltest.need_olayout()
    exes = oltest.corpus()
    tap = oltest.Tap()
    for prog, config, ver_problem, problems in oltest.pmap(check, exes):
        tap.ok(ver_problem is None, "%s.%s: verify passes on the input" % (prog, config), ver_problem)
        tap.ok(not problems, "%s.%s: info lists the program's functions and fragments, movable"
               % (prog, config), "\n".join(problems[:10]))
    return tap.done()


if __name__ == "__main__":
    sys.exit(main())
