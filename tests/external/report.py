#!/usr/bin/python3
"""report.py PKG PROG ORIG OPTDIR "STRATEGIES": one program's line of the
test-external report: its functions (olayout info of the unmodified build),
how many olayout refuses to move and why (grouped), and per strategy how many
units the saved layout moves (place) and clones (clone lines)."""
import collections
import json
import os
import subprocess
import sys


def main():
    if sys.argv[1:2] in (["--help"], ["-h"]):
        print("usage: " + __doc__)
        return 0
    if len(sys.argv) != 6 or "OL" not in os.environ:
        print("usage: report.py PKG PROG ORIG OPTDIR STRATEGIES, OL in the environment "
              "(report.py --help)", file=sys.stderr)
        return 2
    pkg, prog, orig, optdir, strategies = sys.argv[1:6]
    ol = os.environ["OL"]
    info = json.loads(subprocess.run([ol, "info", "--json", orig], capture_output=True,
                                     text=True, check=True).stdout)
    fns = info["functions"]
    refused = collections.Counter(f["reason"] or "unknown" for f in fns if not f["movable"])
    moved = []
    for s in strategies.split():
        lay = os.path.join(optdir, s, os.path.basename(orig) + ".layout")
        if not os.path.exists(lay):
            moved.append("%s: not optimized" % s)
            continue
        kinds = collections.Counter(l.split()[0] for l in open(lay)
                                    if l.strip() and not l.startswith(("#", "olayout-layout")))
        moved.append("%s %d moved%s" % (s, kinds["place"],
                                        ", %d clones" % kinds["clone"] if kinds["clone"] else ""))
    why = "; ".join("%d %s" % (n, r) for r, n in refused.most_common())
    print("%s %s: %d functions, %d refused%s; %s" % (pkg, prog, len(fns), sum(refused.values()),
                                                      " (%s)" % why if why else "",
                                                      "; ".join(moved)))
    return 0


if __name__ == "__main__":
    sys.exit(main())
