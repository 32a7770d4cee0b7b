#!/usr/bin/env bash
# measured.t - the function a training run was inside when it started (the
# measured loop: it ran, but its `function` entry counts no calls) is hot,
# with outlining: its callers never ran in training and are cold-functions,
# and from them alone GCC would take it for never executed and compile it
# for size (tcpip's xk_ping_round_trips zeroed each message with rep stos).
# progs/loops.c's ping plays it, with a hand-written profile; with
# inline-only (no cold marks) nothing changes.
. tests/plugin/lib.sh

SRC=$PROGS/loops.c
printf 'olayout-profile 2\nfunction ping 0 50000\nfunction sum_words 3000 40000\n' >"$WORK/on.prof"
printf 'cold-function main\n' >>"$WORK/on.prof"
cp "$WORK/on.prof" "$WORK/pin.prof"

# section FN OBJ: the section of FN's code in OBJ (-ffunction-sections).
section() {
	readelf -SW "$2" | awk -v fn="$1" '{ for (i = 1; i <= NF; i++) if ($i ~ "^\\.text(\\.[a-z]+)?\\." fn "$") print $i }'
}

# build NAME [OPTION...]: SRC compiled (-c, one section per function) with
# the plugin, profile WORK/NAME.prof and verbose, into WORK/NAME.
build() {
	local name=$1 pargs
	shift
	mapfile -t pargs < <(plugin_args profile="$WORK/$name.prof" verbose "$@")
	ok "$name: compiles" $CC -O2 -ffunction-sections "${pargs[@]}" -c -o "$WORK/$name" "$SRC" \
		2>"$WORK/verbose.$name"
}

plan 6
build on
build pin inline-only
ok "verbose: ping is hot" \
	grep -qF "ping: hot (profile ran, never entered: the measured loop)" "$WORK/verbose.on"
is "$(section ping "$WORK/on")" ".text.hot.ping" "ping's code is in .text.hot"
ok "inline-only: no such mark" sh -c '! grep -q "never entered" "$1"' sh "$WORK/verbose.pin"
is "$(section ping "$WORK/pin")" ".text.ping" "inline-only: ping's code stays in .text"
done_testing
