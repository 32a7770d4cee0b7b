#!/usr/bin/python3
"""olayout's functions short enough to see whole (the house rule: under ~60
lines): every function of the files below, from its header line to its
closing brace, at most 60 lines. Files join the list as they are brought
under the rule (ol_output.c's ol_out_write had 85 lines, write_area 69)."""
import os
import re
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import oltest  # noqa: E402

LIMIT = 60
ROOT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "tools", "olayout")
FILES = ["ol_output.c", "ol_code.c", "ol_memo.c", "ol_plan_cache.c"]


def long_functions(path):
    """(header, lines) of each function longer than LIMIT: a function is a
    line `{` at column 0 after a header line starting with a name and `(`,
    up to the next `}` at column 0 (the kernel style every file follows)."""
    lines = open(path).read().split("\n")
    found, head = [], None
    for i, line in enumerate(lines):
        if line == "{":
            head = i - 1
            while head > 0 and not re.match(r"[A-Za-z_].*\(", lines[head]):
                head -= 1
        elif line == "}" and head is not None:
            if i - head + 1 > LIMIT:
                found.append((lines[head].strip(), i - head + 1))
            head = None
    return found


def main():
    tap = oltest.Tap()
    for name in FILES:
        bad = long_functions(os.path.join(ROOT, name))
        tap.ok(not bad, "%s: every function at most %d lines" % (name, LIMIT),
               "\n".join("%s: %d lines" % b for b in bad))
    return tap.done()


if __name__ == "__main__":
    sys.exit(main())
