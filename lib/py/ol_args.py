"""ol_args.py - argparse for the repository's Python scripts, with the house
rule for a bad command line: one line on stderr naming the script and the
problem, exit status 2 (argparse's own error() prints the usage too).

    sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "RELATIVE/lib/py"))
    from ol_args import ArgumentParser
    ap = ArgumentParser(description=...)   # as argparse.ArgumentParser
"""
import argparse


class ArgumentParser(argparse.ArgumentParser):
    """argparse.ArgumentParser whose error() is one line: PROG: MESSAGE (PROG --help)."""

    def error(self, message):
        self.exit(2, "%s: %s (%s --help)\n" % (self.prog, message, self.prog))
