#!/usr/bin/env bash
# hot_bytes.sh - the size of functions' hot parts in an executable: bytes
# from nm -S, or with -i instructions (objdump, within each symbol's nm size:
# the padding after a function is not counted). A clone (FN.isra.0,
# FN.constprop.0, FN.part.0) counts as FN, a FN.cold part does not.
#   plugin/hot_bytes.sh [-i] EXE FN...
set -eu -o pipefail
usage="usage: $0 [-i] EXE FN..."
case ${1:-} in -h | --help) echo "$usage"; exit 0 ;; esac
insns=0
[ "${1:-}" = -i ] && { insns=1; shift; }
[ $# -ge 2 ] || { echo "$usage" >&2; exit 2; }
exe=$1
shift
# The hot parts wanted: "start size" in hex, one per line.
parts=$(nm -S "$exe" | awk -v fns="$*" '
	BEGIN { n = split(fns, a, " "); for (i = 1; i <= n; i++) want[a[i]] = 1 }
	$3 ~ /^[tT]$/ && $4 !~ /\.cold$/ { base = $4; sub(/\..*/, "", base); if (base in want) print $1, $2 }')
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
