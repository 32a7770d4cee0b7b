#!/usr/bin/env bash
# block_profile.t - block-profile=FILE on progs/arms.c: work's loop holds
# two macro lines whose rare arm (1 in 1024) and common arm share the
# line's count in a line profile, so ext-TSP (block-order=exttsp) keeps a
# rare arm in the loop's straight line, between hot blocks. The build with
# block-ids, trained by `olayout profile --blocks`, gives each block its
# count: with that block profile the hot blocks are one run and the rare
# arms out of it (with block-order=exttsp-warm after all of them); the
# edges' counts come from the blocks'. A profile whose
# entries do not fit the function (an id that is no block of it, most
# blocks without an entry) leaves GCC's counts, with a note: the same code
# as without it; an id that is no block but never ran is left out.
# At an -flto link (ids written and the profile read at link time) the
# counts come from the block entries too (there GCC's line counts already
# keep the rare arms out: the verbose note is what tells the profile was used).
. tests/plugin/lib.sh
need_tool valgrind

arms_setup

# ids_by_count MIN MAX [PROF]: work's block ids whose count in PROF (b.prof)
# is in [MIN, MAX].
ids_by_count() {
	awk -v lo="$1" -v hi="$2" '$1 == "block" && $2 == "work" && $4 >= lo && $4 <= hi { print $3 }' \
		"${3:-$WORK/b.prof}" | tr '\n' ' '
}

# rare_among_hot EXE: yes when one of work's rows of a rare arm's block lies
# between its first and last row of a hot block, else no.
rare_among_hot() {
	discriminators "$1" work | awk -v hot="$HOT" -v rare="$RARE" '
		BEGIN { split(hot, h, " "); for (i in h) H[h[i]] = 1; split(rare, r, " "); for (i in r) R[r[i]] = 1 }
		{ if ($1 in H) { if (!first) first = NR; last = NR } if ($1 in R) at[NR] = 1 }
		END { for (i = first; i <= last; i++) if (i in at) { print "yes"; exit } print "no" }'
}

# rare_after_hot EXE: yes when each of work's rows of a rare arm's block
# comes after its last row of a hot block, else no.
rare_after_hot() {
	discriminators "$1" work | awk -v hot="$HOT" -v rare="$RARE" '
		BEGIN { split(hot, h, " "); for (i in h) H[h[i]] = 1; split(rare, r, " "); for (i in r) R[r[i]] = 1 }
		{ if ($1 in H) last = NR; if (($1 in R) && !first) first = NR }
		END { print (first > last ? "yes" : "no") }'
}

plan 25
arms_build lines block-ids
arms_blocks "$WORK/b.prof" "$WORK/lines"
HOT=$(ids_by_count $((N / 2)) $N) RARE=$(ids_by_count $((N / 2000)) $((N / 500)))
ok "the profile tells hot blocks (ids $HOT) from the two rare arms, about N/1024 each (ids $RARE)" \
	eval '[ -n "$HOT" ] && [ "$(wc -w <<<"$RARE")" = 2 ]'
is "$(rare_among_hot "$WORK/lines")" yes "line counts: a rare arm lies among work's hot blocks"

arms_build blocks block-profile="$WORK/b.prof"
is "$(rare_among_hot "$WORK/blocks")" no "block counts: work's hot blocks are one run, the rare arms out of it"
ok "verbose: work's counts come from its block entries" \
	grep -qE "^olayout: block-order: work: counts from [0-9]+ block entries" "$WORK/verbose.blocks"
ok "verbose: work ordered by ext-TSP" \
	grep -qE "^olayout: block-order: work: [0-9]+ blocks ordered by ext-TSP" "$WORK/verbose.blocks"
is "$("$WORK/blocks" 5000)" "$("$WORK/lines" 5000)" "same output"
# exttsp-warm (rare: fewer than N/100 runs) on the block counts
arms_build warm block-order=exttsp-warm cold-runs=$((N / 100)) block-profile="$WORK/b.prof"
is "$(rare_after_hot "$WORK/warm")" yes "block counts and exttsp-warm: the rare arms after all of work's hot blocks"

# entries that do not fit: GCC's counts, the code of the line-profile build
{ cat "$WORK/b.prof"; echo "block work 999 5"; } >"$WORK/stray.prof"
arms_build stray block-profile="$WORK/stray.prof"
ok "verbose: an id that is no block of work" grep -qF \
	"olayout: block-order: work: its block entries do not fit (block 999 is no block of it): GCC's counts" \
	"$WORK/verbose.stray"
is "$(objdump -d "$WORK/stray" | tail -n +3 | md5sum)" "$(objdump -d "$WORK/lines" | tail -n +3 | md5sum)" \
	"that profile: the code of GCC's counts"
{ cat "$WORK/b.prof"; echo "block work 998 0"; } >"$WORK/zero.prof"
arms_build zero block-profile="$WORK/zero.prof"
is "$(objdump -d "$WORK/zero" | tail -n +3 | md5sum)" "$(objdump -d "$WORK/blocks" | tail -n +3 | md5sum)" \
	"an id that is no block and never ran (a line-table row of no instruction): left out"
{ grep -v '^block work ' "$WORK/b.prof"; grep '^block work ' "$WORK/b.prof" | head -1; } >"$WORK/few.prof"
arms_build few block-profile="$WORK/few.prof"
ok "verbose: most of work's blocks without an entry" grep -qE \
	"^olayout: block-order: work: its block entries do not fit \([0-9]+ of its [0-9]+ blocks have none\): GCC's counts$" \
	"$WORK/verbose.few"

# at an -flto link the ids are written, and the block profile read, at link time
ARMS_CFLAGS=-flto arms_build lto-lines block-ids
arms_blocks "$WORK/lto.prof" "$WORK/lto-lines" "-flto: olayout profile --blocks of its run"
HOT=$(ids_by_count $((N / 2)) $N "$WORK/lto.prof") RARE=$(ids_by_count $((N / 2000)) $((N / 500)) "$WORK/lto.prof")
ok "-flto: hot blocks (ids $HOT) and the two rare arms (ids $RARE)" eval '[ -n "$HOT" ] && [ "$(wc -w <<<"$RARE")" = 2 ]'
ARMS_CFLAGS=-flto arms_build lto-blocks block-profile="$WORK/lto.prof"
ok "-flto verbose: work's counts come from its block entries" \
	grep -qE "^olayout: block-order: work: counts from [0-9]+ block entries" "$WORK/verbose.lto-blocks"
is "$(rare_among_hot "$WORK/lto-blocks")" no "-flto, block counts: work's hot blocks are one run, the rare arms out of it"
is "$("$WORK/lto-blocks" 5000)" "$("$WORK/lines" 5000)" "-flto: same output"
done_testing
