#!/usr/bin/env bash
# paired.t - bench/external/paired.py, which bench.sh's wall figures go
# through: a variant's time over the base's is the median of its per-round
# ratios (not a ratio of medians), its bootstrap interval spans them, the
# rows follow the order asked for; a bad line of times (or a variant with
# no round in common with the base, after rows that had) is refused in
# one line, exit 1, with no half table on stdout.
set -u
export LC_ALL=C
. tests/tap/tap.sh
T=$(mktemp -d) && trap 'rm -rf "$T"' EXIT
P=bench/external/paired.py
plan 8
# B is 1.10 x A in rounds 1-3 and 0.50 x in rounds 4 and 5: the median
# of the per-round ratios is 1.10; the ratio of the medians would be 0.733
printf '%s\n' "A 1 1.0 0.8" "B 1 1.1 0.8" "A 2 2.0 0.8" "B 2 2.2 0.4" "A 3 3.0 0.8" "B 3 3.3 0.8" \
	"A 4 4.0 0.8" "B 4 2.0 0.8" "A 5 5.0 0.8" "B 5 2.5 0.8" >"$T/times"
rc=0 && $P A B A <"$T/times" >"$T/out" 2>"$T/err" || rc=$?
is "$rc" 0 "a good table: exit 0 ($(head -c 200 "$T/err"))"
ok "  B's wall x A is the median of its per-round ratios, 1.100" grep -q '^| B | 1\.100 | ' "$T/out"
# two ratios of five at 0.5: a third of the resampled medians are 0.5,
# so the interval's low end is 0.500 for any seed
ok "  its 90% interval 0.500-1.100; CPU 1.000, 0.500-1.000 (one round of five at 0.5)" \
	grep -qE '^\| B \| 1\.100 \| 0\.500-1\.100 \| 1\.000 \| 0\.500-1\.000 \| 5 \|$' "$T/out"
is "$(grep -o '^| [AB] ' "$T/out" | tr -d '| \n')" BA "  the rows in the order asked for (B, then A)"
for bad in "A 6 1.0" "A 1 1.0 0.8" "A 6 0 0.8" "C 9 1.0 0.8"; do
	cp "$T/times" "$T/bad" && echo "$bad" >>"$T/bad"
	rc=0 && $P A <"$T/bad" >"$T/out" 2>"$T/err" || rc=$?
	is "$rc $(wc -l <"$T/err") $(wc -c <"$T/out")" "1 1 0" "'$bad' after the good lines: exit 1, one line, no table ($(head -c 200 "$T/err"))"
done
done_testing
