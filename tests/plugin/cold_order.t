#!/usr/bin/env bash
# cold_order.t - with split-cold (exact block counts) the blocks of a
# function's cold partition that ran go first in it, most runs first. On
# progs/coldorder.c, cold-runs sends work's rare arm (25 runs) to work.cold
# with its two never-run arms, and GCC lays the cold partition out with a
# never-run arm first. Built again with the block profile of that build
# and split-cold=never, work.cold begins with the arm that ran, then the
# never-run ones (verbose says so); with split-cold=off it stays in GCC's
# order. GCC's checks (-fchecking) pass, the program prints the same.
. tests/plugin/lib.sh

OLAYOUT=$BUILD/bin/olayout
need "$OLAYOUT"
SRC=$PROGS/coldorder.c
N=100000
marked_profile "$SRC" work 1 'ENTRY \*/=1' "HOT \\*/=$N" 'RARE \*/=25' 'NEVER \*/=cold' >"$WORK/lines.prof"
mapfile -t ARMS_ARGS < <(plugin_args profile="$WORK/lines.prof" block-order=exttsp-warm verbose)

# build NAME [OPTION...]: SRC -O2 -g with GCC's checks, the line profile,
# exttsp-warm, cold-runs=1000 and OPTIONs into WORK/NAME; one test.
build() { ARMS_CFLAGS=-fchecking arms_build "$@" cold-runs=1000; }

# ran_order EXE: per block of work.cold in address order, 1 if it ran on
# the training input (WORK/b.prof), else 0; one line.
ran_order() {
	discriminators "$1" work.cold | uniq |
		awk 'NR == FNR { if ($1 == "block" && $2 == "work") c[$3] = $4; next } { printf "%d", (c[$1] > 0) }' \
			"$WORK/b.prof" -
}

plan 10
build lines block-ids
arms_blocks "$WORK/b.prof" "$WORK/lines"
ok "GCC's cold partition: a never-run arm before the one that ran" grep -qE '^0+1' <<<"$(ran_order "$WORK/lines")"
build split block-profile="$WORK/b.prof" split-cold=never
is "$(ran_order "$WORK/split")" "100" "split-cold=never: the arm that ran first in work.cold, the never-run after"
ok "verbose: the cold partition's block that ran first" grep -qE \
	"^olayout: block-order: work: 1 blocks of its cold partition that ran \([0-9]+ bytes\) first in it$" \
	"$WORK/verbose.split"
is "$("$WORK/split" $N)" "$("$WORK/lines" $N)" "same output"
ok "olayout verify passes" "$OLAYOUT" verify "$WORK/split"
build off block-profile="$WORK/b.prof" split-cold=off
is "$(ran_order "$WORK/off")" "$(ran_order "$WORK/lines")" "split-cold=off: GCC's order of work.cold"
done_testing
