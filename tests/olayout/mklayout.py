#!/usr/bin/python3
"""mklayout: write olayout layout files (format: tools/olayout/README.md).

    mklayout.py reverse EXE [--funcs FILE]
    mklayout.py random  EXE [--funcs FILE] [--seed N]
    mklayout.py clone   EXE [--funcs FILE] [--chain A,B,C] [--path NAME]

The units are the FUNC symbols of EXE (functions and their .cold fragments,
clones of an earlier rewrite too); --funcs limits them to the names listed
in FILE (one a line: a corpus program's own functions, so that libc's code
in a static executable stays where it is). reverse places them in reverse
address order; random in a seeded random order with random alignments and
padding (the seed is printed in a comment); clone copies a call chain (by
default the longest chain of direct calls from main, found with objdump, or
from any function if main calls none directly) and routes each call along
it to the next clone.
"""
import os
import random
import re
import subprocess
import sys
from collections import namedtuple

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "lib", "py"))
from ol_args import ArgumentParser  # noqa: E402

Sym = namedtuple("Sym", "name addr size")

CLONE_RE = re.compile(r"\.clone\.[A-Za-z0-9_$]+")
FRAGMENT_RE = re.compile(r"\.cold(\.\d+)?$")


class ToolError(RuntimeError):
    """readelf or objdump could not read a file."""


def tool_output(cmd):
    res = subprocess.run(cmd, capture_output=True, text=True)
    if res.returncode != 0:
        raise ToolError("%s: exit %d: %s" % (" ".join(cmd), res.returncode, res.stderr.strip()[:500]))
    return res.stdout


def base_name(name):
    """foo.clone.P -> foo, foo.cold.clone.P -> foo.cold: the original unit."""
    return CLONE_RE.sub("", name)


def func_symbols(exe):
    """The FUNC symbols of EXE's .symtab with a size, by address; a name
    defined twice (two statics of the same name) is left out."""
    out = tool_output(["readelf", "-sW", exe])
    syms, seen, dup = [], set(), set()
    in_symtab = False
    for line in out.splitlines():
        if line.startswith("Symbol table"):
            in_symtab = "'.symtab'" in line
            continue
        f = line.split()
        if not in_symtab or len(f) < 8 or f[3] != "FUNC" or f[6] == "UND":
            continue
        name = f[7].split("@")[0]
        size = int(f[2], 0)
        if size == 0:
            continue
        if name in seen:
            dup.add(name)
        seen.add(name)
        syms.append(Sym(name, int(f[1], 16), size))
    return sorted((s for s in syms if s.name not in dup), key=lambda s: s.addr)


def read_funcs(path):
    with open(path) as f:
        return {line.strip() for line in f if line.strip()}


def units(exe, funcs=None):
    """The movable units to lay out: own functions, fragments and clones,
    one name per unit (aliases at the same address are one unit)."""
    syms = func_symbols(exe)
    if funcs is not None:
        syms = [s for s in syms if base_name(s.name) in funcs]
    seen = set()
    return [s for s in syms if not (s.addr in seen or seen.add(s.addr))]


def header(comment):
    return ["olayout-layout 1", "# " + comment]


def reverse_layout(exe, funcs=None):
    lines = header("reverse address order of " + exe) + ["align 16"]
    lines += ["place " + s.name for s in reversed(units(exe, funcs))]
    return lines


def random_layout(exe, funcs=None, seed=1):
    rng = random.Random(seed)
    todo = units(exe, funcs)
    rng.shuffle(todo)
    lines = header("random order of %s, seed %d" % (exe, seed))
    lines.append("align %d" % rng.choice([1, 16, 32, 64]))
    for s in todo:
        extra = ""
        if rng.random() < 0.3:
            extra += " align=%d" % rng.choice([1, 2, 8, 64, 256])
        if rng.random() < 0.3:
            extra += " pad=%d" % rng.randrange(1, 100)
        lines.append("place " + s.name + extra)
    return lines


CALL_RE = re.compile(r"^\s*[0-9a-f]+:\s+(?:bnd |notrack )?(call|jmp)\w*\s+[0-9a-f]+ <([^>+]+)>$")
LABEL_RE = re.compile(r"^[0-9a-f]+ <([^>]+)>:$")


def direct_branches(exe):
    """{function: [names its direct calls and jumps go to]}, from objdump;
    branches inside a function (to <fn+off>) are left out."""
    out = tool_output(["objdump", "-d", "--no-show-raw-insn", exe])
    branches, current = {}, None
    for line in out.splitlines():
        m = LABEL_RE.match(line)
        if m:
            current = m.group(1)
            branches.setdefault(current, [])
            continue
        m = CALL_RE.match(line)
        if m and current is not None:
            branches[current].append(m.group(2))
    return branches


def call_graph(exe, names):
    """Direct calls and jumps between the functions NAMES."""
    graph = {}
    for caller, callees in direct_branches(exe).items():
        if caller in names:
            graph[caller] = sorted({c for c in callees if c in names and c != caller})
    return graph


def longest_chain(graph, root, limit=6):
    """The longest simple chain of calls from ROOT (first found wins)."""
    best = [root]

    def walk(chain):
        nonlocal best
        if len(chain) > len(best):
            best = list(chain)
        if len(chain) == limit:
            return
        for callee in graph.get(chain[-1], []):
            if callee not in chain:
                walk(chain + [callee])

    walk([root])
    return best


def default_chain(exe, funcs=None):
    """The longest chain from main; when main reaches the program's code only
    through function pointers, the longest chain from any function (the
    first by name among equals)."""
    names = {s.name for s in units(exe, funcs) if not FRAGMENT_RE.search(s.name)}
    graph = call_graph(exe, names)
    best = longest_chain(graph, "main")
    if len(best) < 2:
        for root in sorted(graph):
            chain = longest_chain(graph, root)
            if len(chain) > len(best):
                best = chain
    return best


def clone_layout(exe, chain, path, funcs=None):
    """Clone CHAIN[1:] for PATH and route each call along CHAIN to the next
    clone; CHAIN[0] stays the path's (uncloned) entry."""
    if len(chain) < 2:
        raise ValueError("%s: no call chain to clone" % exe)
    have = {s.name for s in units(exe, funcs)}
    lines = header("clone of %s for path %s in %s" % (" -> ".join(chain), path, exe))
    lines.append("align 16")
    for fn in chain[1:]:
        lines.append("clone %s %s" % (fn, path))
        for frag in sorted(n for n in have if n.startswith(fn + ".cold")):
            lines.append("clone %s %s" % (frag, path))
    for caller, callee in zip(chain, chain[1:]):
        lines.append("route %s %s %s" % (caller, callee, path))
    return lines


def main():
    ap = ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("kind", choices=["reverse", "random", "clone"])
    ap.add_argument("exe")
    ap.add_argument("--funcs", help="file listing the names that may move")
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--chain", help="comma-separated call chain to clone")
    ap.add_argument("--path", default="hot", help="path name of the clones")
    args = ap.parse_args()
    funcs = read_funcs(args.funcs) if args.funcs else None
    if args.kind == "reverse":
        lines = reverse_layout(args.exe, funcs)
    elif args.kind == "random":
        lines = random_layout(args.exe, funcs, args.seed)
    else:
        chain = args.chain.split(",") if args.chain else default_chain(args.exe, funcs)
        lines = clone_layout(args.exe, chain, args.path, funcs)
    print("\n".join(lines))
    return 0


if __name__ == "__main__":
    sys.exit(main())
