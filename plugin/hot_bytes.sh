#!/usr/bin/env bash
# hot_bytes.sh - the size of functions' hot parts in an executable: bytes
# from nm -S, or with -i instructions (objdump, within each symbol's nm size:
# the padding after a function is not counted). A clone (FN.isra.0,
# FN.constprop.0, FN.part.0) counts as FN, a FN.cold part does not. A FN
# with no hot part in EXE is an error (one line on stderr, exit 1); with -m
# (a path whose layers the compiler may have inlined) it counts 0 and is
# named on stderr.
#   plugin/hot_bytes.sh [-i] [-m] EXE FN...
set -eu -o pipefail
usage="usage: $0 [-i] [-m] EXE FN..."
case ${1:-} in -h | --help) echo "$usage"; exit 0 ;; esac
insns=0 missing=0
while [[ ${1:-} == -[im] ]]; do
	[ "$1" = -i ] && insns=1 || missing=1
	shift
done
[[ ${1:-} != -* ]] || { echo "hot_bytes.sh: unknown option $1 ($usage)" >&2; exit 2; }
[ $# -ge 2 ] || { echo "$usage" >&2; exit 2; }
exe=$1
shift
[ -f "$exe" ] || { echo "hot_bytes.sh: $exe: no such file" >&2; exit 1; }
syms=$(nm -S -- "$exe" 2>/dev/null) || { echo "hot_bytes.sh: $exe: nm cannot read its symbols" >&2; exit 1; }
# The hot parts wanted: "start size" in hex, one per line; a FN with none
# (inlined away, misspelt) is an error, never a silent 0.
parts=$(awk -v fns="$*" -v exe="$exe" -v missing=$missing '
	BEGIN { n = split(fns, a, " "); for (i = 1; i <= n; i++) want[a[i]] = 1 }
	$3 ~ /^[tT]$/ && $4 !~ /\.cold$/ { base = $4; sub(/\..*/, "", base); if (base in want) { print $1, $2; seen[base] = 1 } }
	END { for (i = 1; i <= n; i++) if (!(a[i] in seen)) {
		printf "hot_bytes.sh: %s: no function %s%s\n", exe, a[i], missing ? " (counted 0)" : "" > "/dev/stderr"
		if (!missing) exit 1 } }' <<<"$syms")
sum=0
while read -r start size; do
	[ -n "$start" ] || continue
	if [ $insns = 0 ]; then
		sum=$((sum + 16#$size))
	else
		n=$(objdump -d --no-show-raw-insn --start-address=$((16#$start)) \
			--stop-address=$((16#$start + 16#$size)) "$exe" | grep -cE '^ +[0-9a-f]+:'$'\t') || true
		sum=$((sum + n))
	fi
done <<<"$parts"
echo $sum
