#!/usr/bin/env bash
# block_ids.t - the option block-ids on progs/macro.c (-O2 -g): every
# block's index becomes its discriminator in the line table, for `olayout
# profile --blocks`. The code is the same as without it (the .text bytes,
# also with block-order=exttsp, which reorders after the ids are given);
# work's rows carry the ids in address order (bbro numbers the blocks in
# its layout), the macro's line (MACRO: a test and both its sides) holds
# three blocks; .olayout.blockids names each function compiled, clones by
# their assembler name (scale.constprop.0), also at an -flto link.
. tests/plugin/lib.sh

SRC=$PROGS/macro.c

# text EXE: the bytes of EXE's .text, as hex.
text() {
	objcopy -O binary --only-section=.text "$1" "$1.text" && od -An -tx1 -v "$1.text"
}

# in_block_order D...: yes when the discriminators, after the function's
# first row (its start, before the first block's note: no discriminator),
# never go down and lie in 2 .. N+1 (N: $BLOCKS); else the first bad one.
in_block_order() {
	awk -v n="$BLOCKS" 'NR == 1 && $1 == 0 { next }
		$1 < last || $1 < 2 || $1 > n + 1 { print "row " NR ": " $1 " after " last; bad = 1; exit }
		{ last = $1 } END { if (!bad) print "yes" }'
}

# marker EXE: the names in EXE's .olayout.blockids, sorted, one line.
marker() {
	readelf -p .olayout.blockids "$1" | sed -n 's/^ *\[ *[0-9a-f]*\] *//p' | sort | tr '\n' ' ' | sed 's/ $//'
}

plan 15
mapfile -t plain < <(plugin_args)
mapfile -t ids < <(plugin_args block-ids verbose)
ok "builds without block-ids" $CC -O2 -g "${plain[@]}" -o "$WORK/m0" "$SRC"
ok "builds with block-ids" sh -c '"$@" 2>"$0"' "$WORK/verbose.m1" $CC -O2 -g "${ids[@]}" -o "$WORK/m1" "$SRC"
is "$(text "$WORK/m1" | md5sum)" "$(text "$WORK/m0" | md5sum)" "block-ids: .text byte-identical"
is "$(objdump -d "$WORK/m1" | tail -n +3 | md5sum)" "$(objdump -d "$WORK/m0" | tail -n +3 | md5sum)" \
	"block-ids: the same instructions at the same addresses"
BLOCKS=$(sed -n 's/^olayout: block-ids: work: \([0-9]*\) blocks$/\1/p' "$WORK/verbose.m1")
ok "verbose: work's blocks counted" test -n "$BLOCKS"
is "$(discriminators "$WORK/m1" work | in_block_order)" yes \
	"work's rows carry its block indexes, in layout order"
is "$(discriminators "$WORK/m1" work "$(marked_line "$SRC" "/* MACRO */")" | sort -u | wc -l)" 3 \
	"the macro's line: three blocks (its test, each side) with three ids"
is "$(discriminators "$WORK/m0" work | sort -u | tr '\n' ' ')" "0 " "without block-ids: no discriminators"
is "$(marker "$WORK/m1")" "main scale.constprop.0 work" ".olayout.blockids names every function, clones as the symbol table"
ok "without block-ids: no .olayout.blockids" sh -c '! readelf -S "$1" | grep -qF .olayout.blockids' sh "$WORK/m0"

# with a profile and ext-TSP block order: the ids come before the reorder
marked_profile "$SRC" work 1 'ENTRY \*/=1' 'HOT \*/=100000' 'MACRO \*/=100000' >"$WORK/p.prof"
mapfile -t ord < <(plugin_args profile="$WORK/p.prof" block-order=exttsp)
ok "builds with block-order=exttsp" $CC -O2 -g "${ord[@]}" -o "$WORK/o0" "$SRC"
ok "builds with block-order=exttsp and block-ids" $CC -O2 -g "${ord[@]}" \
	-fplugin-arg-olayout-block-ids -o "$WORK/o1" "$SRC"
is "$(text "$WORK/o1" | md5sum)" "$(text "$WORK/o0" | md5sum)" "block-order=exttsp: .text byte-identical with block-ids"

ok "-flto: builds with block-ids at compile and link time" \
	$CC -O2 -g -flto "${plain[@]}" -fplugin-arg-olayout-block-ids -o "$WORK/l1" "$SRC"
is "$(marker "$WORK/l1")" "main scale.constprop.0 work" "-flto: .olayout.blockids names every function"
done_testing
