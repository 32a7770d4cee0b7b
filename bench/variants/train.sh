#!/usr/bin/env bash
# train.sh [--copies] OLAYOUT BASE EXE OUT TRAIN-ARGS... - the profile olayout plans EXE
# with: `olayout profile` of EXE running TRAIN-ARGS (its measured loop only,
# between the program's CALLGRIND_START/STOP requests), merged with the path
# and library marks of the checked-in profile BASE. EXE runs as ./NAME from a
# /tmp/xkcg.XXXXXXXX folder with an empty environment, exactly as
# bench/xkernel/callgrind.sh measures it, so the shared libraries' addresses
# in the profile (external entries) are the measured ones. With --copies it
# also has a copy entry per inlined copy of a line (olayout profile
# --copies): the plugin's copies= option reads them when it builds EXE again.
set -eu -o pipefail
case ${1:-} in -h | --help) sed -n '2,/^set -e/{/^#/s/^# \{0,1\}//p}' "$0" | sed '1s/^/usage: /'; exit 0 ;; esac
copies=()
[ "${1:-}" = --copies ] && { copies=(--copies); shift; }
[ $# -ge 4 ] || { echo "usage: $0 [--copies] OLAYOUT BASE EXE OUT TRAIN-ARGS..." >&2; exit 2; }
olayout=$(realpath "$1") base=$2 exe=$3 out=$4
shift 4
valgrind=$(command -v valgrind) || { echo "train.sh: valgrind is not installed" >&2; exit 1; }
tmp=$(mktemp -d /tmp/xkcg.XXXXXXXX)
trap 'rm -rf "$tmp"' EXIT
name=$(basename "$exe")
cp "$exe" "$tmp/$name"
# the loop runs n + n/10 + 1 times (xk_bench_run's warm-up, then the sample)
n=$(awk '{ for (i = 1; i < NF; i++) if ($i == "-n") print $(i + 1) }' <<<"$*")
(cd "$tmp" && env -i PATH="$(dirname "$valgrind")" "$olayout" profile "${copies[@]}" -o run.prof \
	${n:+--training $((n + n / 10 + 1))} --instr-atstart=no -- "./$name" "$@" >/dev/null)
# BASE's path and library marks, as its parser reads them (olayout paths
# without an executable)
"$olayout" paths --profile "$base" | awk '
	$1 == "path" { if (p != "") print p; p = "path " $2 }
	$1 == "root" || $1 == "layer" { p = p " " $2 }
	$1 == "library" { if (p != "") print p; p = ""; print "library", $2 }
	END { if (p != "") print p }' >"$tmp/marks"
{ echo "olayout-profile 2"; echo "exe $name"; cat "$tmp/marks"; } >"$tmp/marks.prof"
"$olayout" profile --merge "$tmp/run.prof" "$tmp/marks.prof" -o "$out.tmp"
mv -f "$out.tmp" "$out"
