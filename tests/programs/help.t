#!/usr/bin/env bash
# help.t - every program the build puts in $BUILD/bin, and the scripts
# users run by hand (the pipeline's steps in docs/DESIGN.md, the benches),
# answer --help and -h with their usage on stdout (a line starting "usage:") and exit status 0, and
# tcpping/udpping, which refuse -t and -p, do not offer them. olayout's
# summary gives each command every option of that command's own usage line,
# and its help names the profile versions the reader takes (1 to
# OL_PROFILE_VERSION, lib/profile/ol_profile.h) and the one profile writes.
. tests/tap/tap.sh
: "${BUILD:=build}"
T=$(mktemp -d) && trap 'rm -rf "$T"' EXIT

progs=("$BUILD"/bin/*)
need "${progs[0]}"
progs+=(profiles/tcpping.sh profiles/rpcping.sh profiles/xk_build.sh plugin/hot_bytes.sh
	bench/plugin/tcpping.sh bench/xkernel/callgrind.sh bench/xkernel/classify.sh bench/xkernel/lossy.sh
	bench/xkernel/synflood.sh bench/xkernel/zerowin.sh bench/external/bench.sh bench/external/shift.sh bench/external/bands.sh bench/external/bandfuncs.py bench/external/paired.py tests/external/ext.sh
	bench/olayout/demo.sh bench/olayout/plan.sh bench/variants/ab.py bench/variants/tables.py bench/olayout/i1lines.py
	bench/variants/train.sh bench/olayout/debsrc.sh tests/external/report.py mk/deps.sh mk/debsrc.sh mk/manpage.sh)
plan $((2 * ${#progs[@]} + 4))

# usage_on_stdout PROG OPTION: exit 0, a usage line on stdout.
usage_on_stdout() {
	timeout 10 "$1" "$2" >"$T/out" 2>"$T/err" && grep -qi '^usage:' "$T/out"
}

for p in "${progs[@]}"; do
	for opt in --help -h; do
		ok "$(basename "$p") $opt: usage on stdout, exit 0" usage_on_stdout "$p" "$opt" ||
			diag "  stdout: $(head -c 200 "$T/out")" "  stderr: $(head -c 200 "$T/err")"
	done
done
for p in tcpping udpping; do
	ok "$p --help offers no -t/-p (it refuses them)" eval \
		'"$BUILD/bin/$p" --help >"$T/out" 2>/dev/null && ! grep -qE -- "-[tp] " "$T/out"'
done

OL=$BUILD/bin/olayout
# opts: the options (-x, --x) in the usage lines on stdin
opts() { grep -oE -- '(^|[[ ])--?[a-z][a-z-]*' | tr -d '[ ' | sort -u; }
# cmd_opts CMD: those of the first line of `olayout CMD --help` and the lines continuing it
cmd_opts() { "$OL" "$1" --help | awk 'NR == 1 || (go && /^ +\[/) { print; go = 1; next } { go = 0 }' | opts; }
# main_opts CMD: those `olayout --help` gives CMD (its line and the lines continuing it)
main_opts() {
	"$OL" --help | awk -v c="$1" '$1 == c && /^  [a-z]/ { go = 1; print; next }
		go && /^      *\[/ { print; next } { go = 0 }' | opts
}
lacks=
for c in $("$OL" --help | sed -n 's/^  \([a-z][a-z-]*\) .*/\1/p'); do
	m=$(comm -23 <(cmd_opts "$c") <(main_opts "$c") | tr '\n' ' ')
	[ -z "$m" ] || lacks+=" $c: $m"
done
ok "olayout --help gives each command the options of its own usage${lacks:+ (lacks:$lacks)}" [ -z "$lacks" ]
v=$(sed -n 's/^#define OL_PROFILE_VERSION \([0-9]*\).*/\1/p' lib/profile/ol_profile.h)
ok "olayout plan and optimize --help take profile versions 1 to $v, profile --help writes version $((v - 2)) ($((v - 1)) with --copies, $v with --blocks)" eval \
	'"$OL" plan --help | grep -qF "versions 1 to $v)" && "$OL" optimize --help | grep -qF "versions 1 to $v)" &&
	 "$OL" profile --help | grep -qF "writes a version $((v - 2)) profile ($((v - 1)) with --copies, $v with --blocks)"'
done_testing
