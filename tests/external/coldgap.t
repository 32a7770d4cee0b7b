#!/usr/bin/env bash
# coldgap.t - bench/external/coldgap.py reads its profile through the one
# parser (lib/profile, by `olayout profile --merge`): a profile the parser
# takes (a leading comment, as profiles/tcpping.prof has) is measured, one
# it refuses is refused with the parser's FILE:LINE message in one line.
set -u
export LC_ALL=C
: "${BUILD:=build}"
. tests/tap/tap.sh
need "$BUILD/bin/olayout"
T=$(mktemp -d) && trap 'rm -rf "$T"' EXIT
cat >"$T/p.c" <<'C'
int main(int argc, char **argv) { (void)argv; return argc > 5 ? argc * 7 : 0; }
C
gcc -O1 -g -o "$T/p" "$T/p.c" || bail_out "cannot build p.c"
G=bench/external/coldgap.py
plan 4
printf '# trained by hand\nolayout-profile 4\n\n# main ran its first instruction\ninsn main 0 3\n' >"$T/ok.prof"
rc=0 && BUILD=$BUILD $G "$T/ok.prof" "$T/p" main >"$T/out" 2>"$T/err" || rc=$?
ok "a profile with comments and blank lines: measured (exit $rc; $(head -c 200 "$T/err"))" \
	grep -q '^main size [1-9][0-9]* never-run [0-9]* | on never-run keys: plugin ' "$T/out"
ok "  its insn count read: the hot bytes for 90% are the first instruction's" \
	grep -qE '\| hot bytes for 90% 99% 99\.9%: [1-9][0-9]? ' "$T/out"
printf 'olayout-profile 4\ninsn main 0 3\ninsn main 0 4\n' >"$T/bad.prof"
rc=0 && BUILD=$BUILD $G "$T/bad.prof" "$T/p" main >"$T/out" 2>"$T/err" || rc=$?
is "$rc $(wc -l <"$T/err")" "1 1" "a repeated insn entry (the parser refuses it): exit 1, one line"
ok "  the parser's message, with the line: $(head -c 200 "$T/err")" grep -q "bad.prof:3: " "$T/err"
done_testing
