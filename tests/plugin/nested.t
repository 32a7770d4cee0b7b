#!/usr/bin/env bash
# nested.t - a statement inlined through two calls counts at most as often
# as each call site it stands for (progs/nested.c): clamp's line ran (main
# calls it) and sender's call of window ran, but window's call of clamp
# is a cold-line, so clamp's copy in sender never ran and goes to
# sender.cold with the cold-line's own code. By the outermost call site
# alone it ran, and the whole branch stayed in line.
. tests/plugin/lib.sh

SRC=$PROGS/nested.c
marked_profile "$SRC" sender 1000 'M_SEND\|M_WIN=1000' 'M_CLAMP=2000' 'M_SLOW=cold' >"$WORK/n.prof"
clamp=$(marked_lines "$SRC" 'M_CLAMP')
slow=$(marked_lines "$SRC" 'M_SLOW')

plan 5
$CC -O2 -o "$WORK/plain" "$SRC" || bail_out "cannot build $SRC"
mapfile -t pargs < <(plugin_args profile="$WORK/n.prof" verbose outline-only)
ok "n: builds (-g: the lines of sender.cold)" $CC -O2 -g "${pargs[@]}" -o "$WORK/n" "$SRC" 2>"$WORK/verbose.n"
ok "verbose: clamp's copy in sender is a cold seed, by window's call site" \
	grep -qE "^olayout: sender: block [0-9]+ is a cold seed: [^ ]*nested.c:$slow never ran \\(cold-line\\)$" \
	"$WORK/verbose.n"
is "$(cold_parts "$WORK/n")" "sender" "the branch is outlined (sender.cold)"
is "$(src_lines "$WORK/n" sender.cold "$SRC" | tr '\n' ' ')" "$(printf '%s\n' "$clamp" "$slow" | sort -u | tr '\n' ' ')" \
	"sender.cold holds clamp's line and the cold-line"
is "$("$WORK/n" 20)" "$("$WORK/plain" 20)" "same output"
done_testing
