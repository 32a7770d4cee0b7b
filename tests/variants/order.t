#!/usr/bin/env bash
# order.t - the orderings issue #12 names among the variants of each bundled
# stack (make variants; $BUILD/variants/STACK/variants.list says which rows
# exist), on the harness's own count: simulated alpha21064 I1 misses per
# round trip (bench/xkernel/callgrind.sh, deterministic). BAD > STD (and
# issue #12's BAD >= 1.5x STD), STD > OUT, OUT > COL (colouring beats the
# linker's order), OUT > PIN (issue #11: the path-inlined roots, outlined
# and grouped hot, beat outlining alone), ALL < STD, and issue #9's goal for
# CLO (bipartite with bound clones) and issue #12's for ALL: below BOLT, GCC
# PGO and PGO+BOLT and at most half of STD's misses. Every row is built
# under make test: a row still pending fails (lists.sh). Also issue #11's trace length goals, on
# instructions per round trip (deterministic too): PIN and ALL at most 0.88
# of STD's (the paper: 0.89; GCC PGO: ~0.89), OUT at most STD's (rpc's PIN
# reaches 0.88 since the plugin outlines a path's hot helpers with
# inline-only and counts only their hot code against max-growth: 0.868,
# before 0.903).
# On the modern geometry (32 KiB 8-way), where STD's hot code fits, BAD
# misses where STD misses nothing: its hot units all start at one cache
# offset, so more of their lines fall into one set than the set has ways
# (issue #12: conflict misses where STD has none).
. tests/tap/tap.sh
BUILD=${BUILD:-build}
export BUILD
need_tool valgrind

# counts EXE: instructions and alpha21064 I1 misses per round trip
counts() { bench/xkernel/callgrind.sh -q -n 300 -g alpha21064 "$1" | awk '{ print $2, $3 }'; }
# modern EXE: I1 misses per round trip of the modern geometry
modern() { bench/xkernel/callgrind.sh -q -n 300 -g modern "$1" | awk '{ print $3 }'; }
# more A B: A > B
more() { awk -v a="$1" -v b="$2" 'BEGIN { exit !(a > b) }'; }
# at_most A B R: A <= R * B
at_most() { awk -v a="$1" -v b="$2" -v r="$3" 'BEGIN { exit !(a <= r * b) }'; }
# at_least A B R: A >= R * B
at_least() { awk -v a="$1" -v b="$2" -v r="$3" 'BEGIN { exit !(a >= r * b) }'; }
# none A: A is 0
none() { awk -v a="$1" 'BEGIN { exit !(a == 0) }'; }

# An ordering a stack does not hold is named here (stack => "|HI LO|"),
# with its figures in a comment, and reported, never asserted. None today:
# OUT > PIN held on neither stack while path-inlined code ran in .cold parts
# and the paths' helpers sat among never-run code (rpc OUT 376 < PIN 407,
# tcpip 410 < 417, both moving by 13 to 59 with any change of the linker's
# addresses); with the helpers in .text.hot (pin4) and no training block in
# .cold (coldrun, cold.t), 2026-12-02: tcpip OUT 409 > PIN 382, rpc 416 > 396.
declare -A unmet=()

. tests/variants/lists.sh
variant_lists
for list in "${LISTS[@]}"; do
	stack=$(awk '$1 == "stack" { print $2 }' "$list")
	declare -A miss=() ir=() exe=()
	while read -r _ v state rest; do
		[ "$state" = built ] || continue	# variant_lists failed it
		need "$rest"
		exe[$v]=$rest
		read -r ir[$v] miss[$v] < <(counts "$rest")
		diag "$stack $v: ${ir[$v]:-?} instructions, ${miss[$v]:-?} I1 misses per round trip (alpha21064)"
		ok "$stack $v: callgrind counts its instructions and I1 misses" test -n "${miss[$v]}"
	done < <(awk '$1 == "variant" && $2 ~ /^(BAD|STD|OUT|CLO|COL|PIN|ALL|PGO|BOLT|PGO\+BOLT)$/' "$list")
	for pair in "BAD STD" "STD OUT" "OUT COL" "OUT PIN" "STD ALL" "BOLT CLO" "BOLT ALL" \
		"PGO ALL" "PGO+BOLT ALL"; do
		read -r hi lo <<<"$pair"
		[ -n "${miss[$hi]:-}" ] && [ -n "${miss[$lo]:-}" ] || continue
		if [[ ${unmet[$stack]:-} == *"|$pair|"* ]]; then
			diag "$stack: $hi > $lo I1 misses not held (${miss[$hi]} vs ${miss[$lo]}): not asserted"
			continue
		fi
		ok "$stack: $hi has more I1 misses per round trip than $lo (${miss[$hi]} > ${miss[$lo]})" \
			more "${miss[$hi]}" "${miss[$lo]}"
	done
	for v in CLO ALL; do
		[ -n "${miss[$v]:-}" ] && [ -n "${miss[STD]:-}" ] || continue
		ok "$stack: $v has at most half of STD's I1 misses per round trip (${miss[$v]} vs ${miss[STD]})" \
			at_most "${miss[$v]}" "${miss[STD]}" 0.5
	done
	if [ -n "${miss[BAD]:-}" ] && [ -n "${miss[STD]:-}" ]; then
		ok "$stack: BAD has at least 1.5x STD's I1 misses per round trip (${miss[BAD]} vs ${miss[STD]})" \
			at_least "${miss[BAD]}" "${miss[STD]}" 1.5
		bad=$(modern "${exe[BAD]}") std=$(modern "${exe[STD]}")
		diag "$stack: modern I1 misses per round trip: BAD ${bad:-?}, STD ${std:-?}"
		ok "$stack: on the modern geometry STD has no I1 misses per round trip (${std:-?})" \
			none "${std:-x}"
		ok "$stack: on the modern geometry BAD has I1 misses per round trip where STD has none (${bad:-?} > 0)" \
			more "${bad:-0}" 0
	fi
	for goal in "PIN 0.88" "ALL 0.88" "OUT 1.0"; do
		read -r v r <<<"$goal"
		[ -n "${ir[$v]:-}" ] && [ -n "${ir[STD]:-}" ] || continue
		ok "$stack: $v runs at most $r of STD's instructions per round trip (${ir[$v]} vs ${ir[STD]})" \
			at_most "${ir[$v]}" "${ir[STD]}" "$r"
	done
	unset miss ir exe
done
echo "1..$tap_n"
done_testing
