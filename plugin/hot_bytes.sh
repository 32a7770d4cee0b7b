#!/usr/bin/env bash
# hot_bytes.sh - the bytes of functions' hot parts in an executable, from
# nm -S: a clone (FN.isra.0, FN.constprop.0, FN.part.0) counts as FN, a
# FN.cold part does not.      plugin/hot_bytes.sh EXE FN...
set -eu -o pipefail
[ $# -ge 2 ] || { echo "usage: $0 EXE FN..." >&2; exit 2; }
exe=$1
shift
sum=0
for h in $(nm -S "$exe" | awk -v fns="$*" '
	BEGIN { n = split(fns, a, " "); for (i = 1; i <= n; i++) want[a[i]] = 1 }
	$3 ~ /^[tT]$/ && $4 !~ /\.cold$/ { base = $4; sub(/\..*/, "", base); if (base in want) print $2 }'); do
	sum=$((sum + 16#$h))
done
echo $sum
