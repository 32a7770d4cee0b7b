#!/usr/bin/env bash
# fdo_switch.t - fdo=late on progs/opcodes.c: run's byte-code switch has an
# exit the outline pass sends to .cold (op 4, cold lines in training). With
# switch-counts=on (olayout-cc's default) its other exits still take their
# probabilities from the training counts (plugin/fdo.cc, set_switch): the
# rare op's block counts its 2000 runs of the 1000000 dispatches (0.2%).
# By default (off) the switch keeps GCC's guess, an even share for every
# case (20%: sqlite3VdbeExec's rare opcodes counted as hot as its hot
# ones). The never-run op stays in .cold.
. tests/plugin/lib.sh

SRC=$PROGS/opcodes.c
opcodes_profile 1000 1000000 249500 2000 >"$WORK/s.prof"

# rare_permille DUMP: per mille of the switch's block count that the first
# block holding a RARE statement counts (GCC's -details-lineno dump of run).
rare_permille() {
	awk -v rare=" $(marked_lines "$SRC" 'RARE \*/' | tr '\n' ' ')" '
		/^;; Function / { on = ($3 == "run") }
		!on { next }
		/<bb [0-9]+> \[.*count: [0-9]+/ { match($0, /count: [0-9]+/); c = substr($0, RSTART + 7, RLENGTH - 7) }
		/switch \(/ && !sw { sw = c }
		match($0, /opcodes\.c:[0-9]+:/) && !r {
			l = substr($0, RSTART + 10, RLENGTH - 11)
			if (index(rare, " " l " ")) r = c
		}
		END { if (sw && r != "") print int(r * 1000 / sw) }' "$1"
}

plan 10
$CC -O2 -o "$WORK/plain" "$SRC" || bail_out "cannot build $SRC"
# s (switch-counts=on) and k (the default), their dumps in WORK/s and WORK/k
for name in s k; do
	mkdir -p "$WORK/$name.d"
	cp "$WORK/s.prof" "$WORK/$name.prof"
	opt=()
	[ $name = k ] || opt=(switch-counts=on)
	CC="$CC -g -fdump-tree-optimized-details-lineno -dumpdir $WORK/$name.d/" plugin_build "$SRC" $name fdo=late "${opt[@]}"
done
line=$(marked_line "$SRC" 'switch (code') # the switch's
ok "verbose: the switch took trained probabilities, its outlined exit kept never" \
	grep -qE "^olayout: run: branch at .*opcodes\.c:$line \(block [0-9]+\): switch: line counts \(flow\), outlined exits kept never$" \
	"$WORK/verbose.s"
ok "verbose: the op that never ran is a cold seed" grep -qE '^olayout: run: block [0-9]+ is a cold seed: .*opcodes\.c:[0-9]+ never ran \(cold-line\)$' \
	"$WORK/verbose.s"
p=$(rare_permille "$WORK"/s.d/*.optimized)
ok "the rare op's block counts about 2 per mille of the dispatch (its training runs), not a share ($p)" \
	test "$p" -ge 1 -a "$p" -le 3
ok "by default the switch keeps GCC's guess (an exit never runs)" \
	grep -qE "^olayout: run: branch at .*opcodes\.c:$line \(block [0-9]+\): kept: an exit never runs \(outlined\)$" "$WORK/verbose.k"
k=$(rare_permille "$WORK"/k.d/*.optimized)
ok "by default the rare op's block counts a share of the dispatch ($k per mille)" test "$k" -ge 100
is "$(cold_parts "$WORK/s")" run "run has a .cold part (the never-run op)"
is "$("$WORK/s" 50)" "$("$WORK/plain" 50)" "same output"
is "$("$WORK/s" 50 4)" "$("$WORK/plain" 50 4)" "same output when the never-run op runs"
done_testing
