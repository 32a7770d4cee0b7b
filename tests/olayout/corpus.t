#!/usr/bin/python3
"""The corpus has what the olayout tests rely on: every configuration of a
program prints the same output; the relocations are kept (or, for norelocs,
not); .cold fragments, jump tables, .init_array entries, CET notes exist."""
import os
import re
import subprocess
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import oltest  # noqa: E402
from mklayout import func_symbols  # noqa: E402


def tool(*cmd):
    return subprocess.run(cmd, check=True, capture_output=True, text=True).stdout


def sections(exe):
    return set(re.findall(r"^\s*\[\s*\d+\]\s+(\S+)", tool("readelf", "-SW", exe), re.M))


def main():
    tap = oltest.Tap()
    exes = oltest.corpus() + oltest.corpus(with_relocs=False)
    by_prog = {}
    for prog, config, exe in exes:
        by_prog.setdefault(prog, []).append((config, exe))

    # Same output in every configuration, and deterministic run to run.
    for prog, builds in sorted(by_prog.items()):
        runs = oltest.pmap(lambda b: oltest.run([b[1]], timeout=30), builds)
        again = oltest.run([builds[0][1]], timeout=30)
        ref = runs[0]
        bad = [c for (c, _), r in zip(builds, runs) if r != ref]
        tap.ok(not bad and again == ref and ref.out and ref.rc is not None and ref.rc >= 0,
               "%s: same output in %d configurations and twice" % (prog, len(builds)),
               "differs in: %s; first run %s" % (bad, oltest.describe(ref)))

    # Relocations kept, or not.
    for prog, config, exe in exes:
        has = ".rela.text" in sections(exe)
        want = config != "norelocs"
        tap.ok(has == want, "%s.%s: .rela.text %s" % (prog, config, "kept" if want else "absent"))

    # Features the rewriter must handle, in the builds that matter.
    nopie = {p: e for p, c, e in exes if c == "nopie"}
    cold = sorted(p for p, e in nopie.items()
                  if any(s.name.endswith(".cold") for s in func_symbols(e)))
    tap.ok(len(cold) >= 4, "%d programs have .cold fragments: %s" % (len(cold), " ".join(cold)))
    table_re = re.compile(r"jmp\s+\*0x[0-9a-f]+\(,%r\w+,8\)")
    tables = sorted(p for p, e in nopie.items() if table_re.search(tool("objdump", "-d", e)))
    tap.ok(len(tables) >= 2, "%d programs have jump tables: %s" % (len(tables), " ".join(tables)))
    for prog, config, exe in exes:
        if prog == "ctors" and config != "norelocs":
            n = len(re.findall(r"R_X86_64_64", tool("readelf", "-rW", exe).split(".rela.init_array")[-1]
                               .split("Relocation section")[0]))
            tap.ok(n >= 4, "ctors.%s: %d .init_array relocations" % (config, n))
    for prog, config, exe in exes:
        if config.endswith("-cet"):
            main_code = tool("objdump", "-d", "--disassemble=main", exe)
            tap.ok("endbr64" in main_code, "%s.%s: main starts with endbr64" % (prog, config))

    # The other architecture.
    i386 = os.path.join(oltest.CORPUS, "i386.elf")
    tap.ok("Intel 80386" in tool("readelf", "-h", i386), "i386.elf is a 32-bit x86 executable")
    return tap.done()


if __name__ == "__main__":
    sys.exit(main())
