#!/usr/bin/python3
"""olayout profile on the corpus program layers (built -g, PIE): the same
profile twice from two runs; the proposed path is the chain clone.path names
(the program's real push chain); counts the program's source fixes (app_send
runs 6 times); cold functions and cold lines where the error paths are;
--from-callgrind of a run made by hand gives the same profile, its libc
externals end where an instruction ends (objdump); --merge sums; --exe EXE
-- SCRIPT sums EXE's runs among the script's processes, and only EXE's;
--toggle-collect measures inside one function only; bad input is one line, a
non-zero exit, and nothing left behind."""
import os
import re
import shutil
import subprocess
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import oltest  # noqa: E402
from oltest import entries, read  # noqa: E402

PROG = "layers"
EXE = os.path.join(oltest.CORPUS, PROG + ".pie-g")
OTHER = os.path.join(oltest.CORPUS, "calc.pie-g")


def one_line(res, rc=1):
    return res.rc == rc and len(res.err.splitlines()) == 1 and res.err.startswith(b"olayout: ")


def leftovers(work):
    """Files a failed or finished run left in WORK (temporaries, valgrind's
    directory under TMPDIR)."""
    found = []
    for root, dirs, files in os.walk(work):
        found += [os.path.join(root, n) for n in files + dirs
                  if ".tmp." in n or n.startswith("olprof.")]
    return found


def profile(work, name, *args):
    out = os.path.join(work, name)
    res = oltest.olayout("profile", "-o", out, *args)
    return res, out


def check_run(tap, work):
    """Two runs, one profile; what it says about layers."""
    args = ("--paths", "2", "--training", "2", "--", EXE)
    res1, p1 = profile(work, "a.prof", *args)
    res2, p2 = profile(work, "b.prof", *args)
    ok = res1.rc == 0 and res2.rc == 0 and os.path.exists(p1) and os.path.exists(p2)
    tap.ok(ok, "profile -- layers: exit 0 (layers exits 12: a warning)",
           oltest.describe(res1))
    if not ok:
        return None
    text = read(p1)
    tap.ok(text == read(p2), "the same profile from two runs")
    tap.ok(text.startswith("olayout-profile 5\nexe layers.pie-g\ntraining 2\n"
                           "cache alpha21064 8192 1 32\ncache modern 32768 8 64\n"),
           "version 5 header, exe, training, the two caches", text[:200])
    name, chain = oltest.clone_path(PROG)
    paths = entries(text, "path")
    tap.ok(paths[:1] == [[chain[0]] + chain], "the proposed path is clone.path's chain %s"
           % " ".join(chain), "got %s" % paths)
    funcs = {e[0]: (int(e[1]), int(e[2])) for e in entries(text, "function")}
    tap.ok(funcs.get("app_send", (0,))[0] == 6 and funcs.get("main", (0,))[0] == 1,
           "app_send entered 6 times (2 rounds x 3 words), main once",
           "app_send %s main %s" % (funcs.get("app_send"), funcs.get("main")))
    insns = [e for e in entries(text, "insn") if e[0] == "app_send"]
    tap.ok(insns and sum(int(e[2]) for e in insns) == funcs.get("app_send", (0, 0))[1]
           and len({e[1] for e in insns}) == len(insns),
           "insn entries: app_send's instructions, each once, add up to its INSNS",
           "%d entries, sum %d" % (len(insns), sum(int(e[2]) for e in insns)))
    edges = {(e[0], e[1]): int(e[2]) for e in entries(text, "edge")}
    tap.ok(edges.get(("main", "app_send")) == 6 and edges.get(("app_send", "udp_push")) == 6,
           "call edges main->app_send and app_send->udp_push ran 6 times", str(edges)[:300])
    lib = [e[0] for e in entries(text, "library")]
    tap.ok("msg_push_header" in lib and not set(lib) & set(chain),
           "msg_push_header (called by every layer) is a library mark, no path member is",
           str(lib))
    cold = [e[0] for e in entries(text, "cold-function")]
    tap.ok("layers_die" in cold and "app_send" not in cold, "layers_die never ran: cold",
           str(cold))
    # every call of layers_die is on a line that never ran, in a function that ran
    src = oltest.CORPUS_SRC
    calls = set()
    for c in sorted(os.listdir(os.path.join(src, PROG))):
        if c.endswith(".c") and c != "msg.c":
            for i, l in enumerate(read(os.path.join(src, PROG, c)).splitlines(), 1):
                if "layers_die(" in l:
                    calls.add("%s:%d" % (c, i))
    coldlines = {e[0].rsplit("/", 1)[-1] for e in entries(text, "cold-line")}
    hot = {e[0].rsplit("/", 1)[-1]: int(e[1]) for e in entries(text, "line")}
    tap.ok(calls and calls <= coldlines and not calls & set(hot),
           "the layers_die calls of %d files are cold lines" % len(calls),
           "calls %s, missing %s" % (sorted(calls), sorted(calls - coldlines)))
    body = read(os.path.join(src, PROG, "app.c")).splitlines()
    first = next(i for i, l in enumerate(body, 1) if l.startswith("int app_send"))
    tap.ok(any(hot.get("app.c:%d" % n) == 6 for n in range(first, first + 4)),
           "a line of app_send ran 6 times", str(sorted(hot.items()))[:300])
    ext = entries(text, "external")
    tap.ok(any(e[1] == "libc.so.6" and re.fullmatch(r"0x[0-9a-f]+", e[2]) for e in ext),
           "external entries for libc.so.6", str(ext[:3]))
    return p1


def check_convert(tap, work, p1):
    """The same run made by hand and converted gives the same profile."""
    cg, log = os.path.join(work, "cg.out"), os.path.join(work, "vg.log")
    subprocess.run(["valgrind", "-v", "-v", "--log-file=" + log, "--tool=callgrind",
                    "--dump-instr=yes", "--collect-jumps=yes", "--callgrind-out-file=" + cg,
                    EXE], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=False)
    res, p3 = profile(work, "c.prof", "--paths", "2", "--training", "2",
                      "--from-callgrind", cg, "--valgrind-log", log, EXE)
    # the dynamic loader's string functions depend on the environment: not
    # the externals
    def own(text):
        return [l for l in text.splitlines() if not l.startswith("external ")]
    tap.ok(res.rc == 0 and own(read(p3)) == own(read(p1)),
           "--from-callgrind of the same run: the same profile (externals aside)",
           oltest.describe(res))
    res, p4 = profile(work, "d.prof", "--from-callgrind", cg, EXE)
    tap.ok(res.rc == 0 and b"no external entries" in res.err and
           "external " not in read(p4) and "function app_send 6 " in read(p4),
           "without the valgrind log: no externals, and a warning", oltest.describe(res))
    check_external_sizes(tap, read(p3) if os.path.exists(p3) else "", log)
    return cg


def load_biases(log):
    """Object path -> load bias (avma - svma), from valgrind -v -v's log."""
    bias, cur = {}, None
    for line in read(log).splitlines():
        m = re.search(r"Reading syms from (\S+)", line)
        cur = m.group(1) if m else cur
        m = re.search(r"svma 0x([0-9a-f]+), avma 0x([0-9a-f]+)", line)
        if m and cur and cur not in bias:
            bias[cur] = int(m.group(2), 16) - int(m.group(1), 16)
    return bias


def check_external_sizes(tap, text, log):
    """An external's SIZE ends where its last instruction ends: objdump,
    decoding from its first instruction, starts one there."""
    libc = [(p, b) for p, b in load_biases(log).items() if os.path.basename(p) == "libc.so.6"]
    ext = [e for e in entries(text, "external") if e[1] == "libc.so.6"][:12]
    bad = []
    for e in ext if libc else []:
        lo = int(e[2], 16) - libc[0][1]
        end = lo + int(e[3])
        dis = subprocess.run(["objdump", "-d", "--start-address=%#x" % lo,
                              "--stop-address=%#x" % (end + 16), libc[0][0]],
                             capture_output=True, text=True).stdout
        if end not in {int(a, 16) for a in re.findall(r"^\s*([0-9a-f]+):\t", dis, re.M)}:
            bad.append("%s ends at %#x, inside an instruction" % (e[0], end))
    tap.ok(libc and ext and not bad, "libc externals end at an instruction's end (%d checked)"
           % len(ext), "\n".join(bad) or "no libc in the log or no libc externals")


def script(work, name, lines):
    path = os.path.join(work, name)
    with open(path, "w") as f:
        f.write("#!/bin/sh\n" + "".join(line + "\n" for line in lines))
    os.chmod(path, 0o755)
    return path


def counts(text):
    """The profile's counts of EXE's own code: function, edge, line, insn."""
    return {" ".join(e[:-2 if k == "function" else -1]): e[-2:] if k == "function" else e[-1:]
            for k in ("function", "edge", "line", "insn") for e in
            ([k] + x for x in entries(text, k))}


def check_suite(tap, work, p1):
    """--exe EXE -- CMD: the runs of EXE among CMD's processes (a test
    suite), summed; a program of the same name elsewhere is not EXE."""
    suite = script(work, "suite.sh", [EXE, EXE + " >/dev/null", "exec " + EXE])
    res, s = profile(work, "suite.prof", "--paths", "2", "--exe", EXE, "--", suite)
    text = read(s) if res.rc == 0 else ""
    one = counts(read(p1))
    want = {k: [str(3 * int(x)) for x in v] for k, v in one.items()}
    got = counts(text)
    tap.ok(one and got == want, "--exe EXE -- suite.sh (EXE run 3 times, once by exec): "
           "every function, edge, line and insn count is 3x one run's (%d entries)" % len(one),
           oltest.describe(res) + str(sorted(k for k in want if got.get(k) != want[k])[:5]))
    tap.ok(entries(text, "path") == entries(read(p1), "path") and
           re.search(rb"merged 3 runs of .*layers\.pie-g \(of \d+ processes\)", res.err),
           "the paths are one run's; stderr says 3 runs were merged", oltest.describe(res))
    other = os.path.join(work, "other")
    os.makedirs(other)
    impostor = os.path.join(other, os.path.basename(EXE))
    shutil.copy(OTHER, impostor)
    mixed = script(work, "mixed.sh", [impostor, EXE, impostor])
    res, s = profile(work, "mixed.prof", "--exe", EXE, "--", mixed)
    got = counts(read(s)) if res.rc == 0 else {}
    tap.ok(got == one and b"merged 1 run of" in res.err,
           "a program of the same name elsewhere (run twice) is not EXE: one run's counts",
           oltest.describe(res))
    only = script(work, "only.sh", [impostor, impostor, "exit 0"])
    out = os.path.join(work, "none.prof")
    res = oltest.olayout("profile", "-o", out, "--exe", EXE, "--", only)
    tap.ok(one_line(res) and re.search(rb"none of the \d+ processes", res.err) and not os.path.exists(out),
           "no run of EXE: one line, exit 1, no output", oltest.describe(res))


def check_merge(tap, work, p1):
    res, m = profile(work, "m.prof", "--merge", p1, p1)
    text = read(m) if res.rc == 0 else ""
    funcs = {e[0]: e[1:] for e in entries(text, "function")}
    tap.ok(funcs.get("app_send", [None])[0] == "12" and "training 4\n" in text and
           "cold-function layers_die\n" in text and entries(text, "path") == entries(read(p1), "path"),
           "--merge A A: counts and training doubled, paths and cold functions kept",
           oltest.describe(res))


SYNTHETIC = """# callgrind format
version: 1
positions: instr line
events: Ir
ob=(1) {exe}
fl=(1) x.c
fn=(1) main
{main} 0 1
cfn=(2) app_send
calls=10 {app_send} 0
{main+1} 0 100
cfn=(6) wire_deliver
calls=5 {wire_deliver} 0
{main+2} 0 40
fn=(2) app_send
{app_send} 0 5
cfn=(3) udp_push
calls=6 {udp_push} 0
+1 0 20
cfn=(4) ip_push
calls=9 {ip_push} 0
+1 0 30
cfn=(7) msg_sum
calls=50 {msg_sum} 0
+1 0 50
fn=(3) udp_push
{udp_push} 0 6
cfn=(7)
calls=1 {msg_sum} 0
* 0 1
fn=(4) ip_push
{ip_push} 0 9
cfn=(7)
calls=1 {msg_sum} 0
* 0 1
cfn=(5) eth_push
calls=9 {eth_push} 0
+1 0 9
fn=(5) eth_push
{eth_push} 0 9
fn=(6) wire_deliver
{wire_deliver} 0 5
cfn=(8) wire_xmit
calls=5 {wire_xmit} 0
+1 0 5
fn=(7) msg_sum
{msg_sum} 0 52
fn=(8) wire_xmit
{wire_xmit} 0 5
"""


def check_paths_rule(tap, work):
    """A run made up over layers' functions: the paths follow the heaviest
    call edge, heaviest root first; msg_sum (3 callers) is a library mark
    even where it is the heaviest callee."""
    addr = {}
    for l in subprocess.run(["nm", "--defined-only", EXE], capture_output=True,
                            text=True).stdout.splitlines():
        f = l.split()
        if len(f) == 3 and f[1] in "tT":
            addr[f[2]] = int(f[0], 16)
    names = {n: "0x%x" % a for n, a in addr.items()}
    names.update({"main+1": "0x%x" % (addr["main"] + 1), "main+2": "0x%x" % (addr["main"] + 2),
                  "exe": os.path.abspath(EXE)})
    cg = os.path.join(work, "synthetic.cg")
    with open(cg, "w") as f:
        f.write(SYNTHETIC.format(**names))
    res, out = profile(work, "s.prof", "--paths", "2", "--from-callgrind", cg, EXE)
    text = read(out) if res.rc == 0 else ""
    want = [["app_send", "app_send", "ip_push", "eth_push"],
            ["wire_deliver", "wire_deliver", "wire_xmit"]]
    tap.ok(entries(text, "path") == want and entries(text, "library") == [["msg_sum"]],
           "--paths on a made-up run: heaviest root first, heaviest edge, library skipped",
           "%s %s %s" % (entries(text, "path"), entries(text, "library"), oltest.describe(res)))
    tap.ok(["app_send", "10", "5"] in entries(text, "function") and
           ["app_send", "ip_push", "9"] in entries(text, "edge"),
           "relative positions (+1, *) and name ids: counts where the file puts them",
           str(entries(text, "function")))


def check_toggle(tap, work):
    res, t = profile(work, "t.prof", "--toggle-collect=udp_push", "--", EXE)
    funcs = [e[0] for e in entries(read(t), "function")] if res.rc == 0 else []
    tap.ok("udp_push" in funcs and "ip_push" in funcs and "main" not in funcs and
           "app_send" not in funcs,
           "--toggle-collect=udp_push: udp_push and what it calls, not main",
           str(funcs) + oltest.describe(res))


def check_bad(tap, work, cg):
    bad = os.path.join(work, "bad")
    os.makedirs(bad)
    with open(os.path.join(bad, "junk.cg"), "w") as f:
        f.write("# callgrind format\nevents: Ir\npositions: instr line\nfn=(1) f\n0x10 1 zz\n")
    with open(os.path.join(bad, "noinstr.cg"), "w") as f:
        f.write("# callgrind format\nevents: Ir\nfn=(1) f\n10 1\n")
    with open(os.path.join(bad, "cut.cg"), "w") as f:
        f.write(read(cg).split("calls=", 1)[0] + "calls=1 0x1000 0\n")
    with open(os.path.join(bad, "badinterp"), "w") as f:
        f.write("#!/nonexistent/interpreter\n")
    os.chmod(os.path.join(bad, "badinterp"), 0o755)
    out = os.path.join(bad, "out.prof")
    cases = [
        ("malformed callgrind line", ["--from-callgrind", os.path.join(bad, "junk.cg"), EXE],
         r"junk\.cg:5: bad cost"),
        ("callgrind run without --dump-instr", ["--from-callgrind",
                                                 os.path.join(bad, "noinstr.cg"), EXE],
         r"noinstr\.cg:\d+: .*--dump-instr=yes"),
        ("truncated callgrind file", ["--from-callgrind", os.path.join(bad, "cut.cg"), EXE],
         r"cut\.cg: truncated"),
        ("missing callgrind file", ["--from-callgrind", os.path.join(bad, "none.cg"), EXE],
         r"none\.cg: No such file"),
        ("a run of another executable", ["--from-callgrind", cg, OTHER],
         r"calc\.pie-g: no code of it ran"),
        ("a command that does not exist", ["--", os.path.join(bad, "nope")],
         r"nope: No such file"),
        ("no valgrind output (valgrind cannot start the command)",
         ["--exe", EXE, "--", os.path.join(bad, "badinterp")],
         r"valgrind wrote no callgrind output: .*bad interpreter"),
    ]
    for what, args, want in cases:
        res = oltest.olayout("profile", "-o", out, *args)
        tap.ok(one_line(res) and re.search(want.encode(), res.err) and not os.path.exists(out),
               "%s: one line, exit 1, no output" % what, oltest.describe(res))
    p = os.path.join(work, "a.prof")
    with open(os.path.join(bad, "other.prof"), "w") as f:
        f.write("olayout-profile 2\nexe calc.pie-g\n")
    res = oltest.olayout("profile", "-o", out, "--merge", p, os.path.join(bad, "other.prof"))
    tap.ok(one_line(res) and b"different executables" in res.err and not os.path.exists(out),
           "--merge of two executables' profiles: one line, exit 1, no output",
           oltest.describe(res))
    res = oltest.olayout("profile", "-o", out, "--merge", p, bad)
    tap.ok(one_line(res) and res.err.endswith(b"bad: cannot read: Is a directory\n")
           and not os.path.exists(out), "--merge of a directory: one line saying so",
           oltest.describe(res))
    res = oltest.olayout("profile", "-o", out, "--from-callgrind", bad, EXE)
    tap.ok(one_line(res) and res.err.endswith(b"bad: cannot read: Is a directory\n")
           and not os.path.exists(out), "--from-callgrind of a directory: one line saying so",
           oltest.describe(res))
    res = oltest.olayout("profile", "-o", os.path.join(bad, "no", "dir.prof"),
                         "--from-callgrind", cg, EXE)
    tap.ok(one_line(res) and b"dir.prof" in res.err, "unwritable output: one line, exit 1",
           oltest.describe(res))
    tap.ok(leftovers(work) == [], "nothing left behind", str(leftovers(work)))


def check_usage(tap):
    bad = [oltest.olayout("profile", "--", EXE), oltest.olayout("profile", "-o", "x"),
           oltest.olayout("profile", "-o", "x", "--paths", "0", "--", EXE),
           oltest.olayout("profile", "-o", "x", "--from-callgrind", "f")]
    tap.ok(all(oltest.usage_error(r, r"^olayout: profile: ") for r in bad),
           "bad command lines: exit 2 with the usage hint",
           "\n".join(oltest.describe(r) for r in bad))
    helps = oltest.olayout("--help"), oltest.olayout("profile", "--help")
    tap.ok(b"profile" in helps[0].out and helps[1].out.startswith(b"usage: olayout profile")
           and helps[0].rc == helps[1].rc == 0, "olayout --help lists profile; profile --help")


def main():
    oltest.need_olayout()
    oltest.need(EXE, OTHER)
    oltest.need_tool("valgrind")
    tap = oltest.Tap()
    work = oltest.workdir("profile")
    os.environ["TMPDIR"] = work
    p1 = check_run(tap, work)
    if not p1:
        return tap.done()
    cg = check_convert(tap, work, p1)
    check_merge(tap, work, p1)
    check_suite(tap, work, p1)
    check_paths_rule(tap, work)
    check_toggle(tap, work)
    check_bad(tap, work, cg)
    check_usage(tap)
    shutil.rmtree(work)
    return tap.done()


if __name__ == "__main__":
    sys.exit(main())
