#!/usr/bin/env bash
# xkernel.t - the plugin on the bundled x-kernel: tcpping built from the
# stack's sources with -flto in four variants (STD: no plugin, OUT:
# outline-only, PIN: inline-only, ALL: both) with profiles/tcpping.prof.
# Each still echoes; the send path's root calls no path function in its hot
# part (library calls and the guarded general call stay); hot helpers are
# copied into the paths, library functions never; the inlined paths' never-
# run blocks are outlined also with inline-only; other callers keep
# the out-of-line functions; TCP's 1 MiB stream test passes on every
# variant; UDP and the IPC wire take the guards' general calls; outlining
# shrinks the path's hot bytes; no instruction of the training run executes
# in a .cold part; and callgrind's deterministic counts order the variants
# (instructions per round trip: PIN, ALL below STD; I1 misses: OUT below
# STD; ALL's misses are printed only: 459 against STD's 452 at 21:40 UTC). profiles/xk_build.sh builds them.
# The sizes are printed as diagnostics:
#   BUILD=build tests/plugin/xkernel.t | grep '^# size'
. tests/plugin/lib.sh

PROF=profiles/tcpping.prof
ROOT=tcp_sess_push
RECV_ROOT=$(awk '$1 == "path" && $2 == "tcp_recv" { print $3 }' "$PROF")
LAYERS=(tcp_output tcp_send_segment push_segment ip_push ip_send_one ip_output eth_push drv_push wire_send)
PATH_RE=$(IFS='|'; echo "${LAYERS[*]}")

# The profile's cold lines must match today's sources: when they do not
# (stack/xkernel changed), the test trains again and says so.
if command -v valgrind >/dev/null; then
	if profiles/tcpping.sh >"$WORK/fresh.prof" 2>"$WORK/train.err" &&
		! cmp -s "$WORK/fresh.prof" "$PROF"; then
		echo "# $PROF is stale (stack/xkernel changed): regenerate with profiles/tcpping.sh >$PROF"
		PROF=$WORK/fresh.prof
	fi
fi

# build VARIANT [PLUGIN-OPTION...]: tcpping (or $MAIN) in $WORK/VARIANT.
build() {
	local v=$1; shift
	BUILD=$BUILD PROFILE=$PROF CC=$CC profiles/xk_build.sh "${v%_*}" "$WORK/$v" "$@"
}

# hot_disasm EXE FN: the instructions of FN's hot part (not FN.cold).
hot_disasm() {
	objdump -d --no-show-raw-insn "$1" |
		awk -v fn="$2" '/^[0-9a-f]+ <.*>:$/ { on = ($2 == "<" fn ">:") ; next } on && NF'
}

# hot_calls EXE FN REGEX: calls in FN's hot part to REGEX.
hot_calls() {
	hot_disasm "$1" "$2" | grep -E "(call|jmp) +[0-9a-f]+ <($3)[>.]"
}

# calls_elsewhere EXE: a function other than the root (or its parts) calls tcp_output.
calls_elsewhere() {
	objdump -d --no-show-raw-insn "$1" | awk -v root="$ROOT" '/^[0-9a-f]+ <.*>:$/ { name = $2; next }
		/call +[0-9a-f]+ <tcp_output[>.]/ && index(name, "<" root ">") != 1 && index(name, "<" root ".") != 1 { f = 1 }
		END { exit !f }'
}

plan 42

for v in STD OUT PIN ALL; do
	if [ $v = STD ]; then ok "$v: tcpping builds" build STD; else ok "$v: tcpping builds" build $v verbose; fi
	out=$("$WORK/$v/tcpping" -w inproc -n 300 -s 1 2>&1)
	rc=$?
	ok "$v: tcpping echoes 300 round trips on the in-process wire" eval \
		'[ $rc -eq 0 ] && [[ $out == "tcpping: 1 samples x 300 round trips"* ]]'
done

# kept_sites_only EXE REPORT: the root's hot part calls path functions only
# where the report says a rare call site was kept (inline-only leaves them
# in line), and ALL none at all (they are in the .cold part).
kept_sites_only() {
	local fn
	for fn in $(hot_calls "$1" $ROOT "$PATH_RE" | sed -E 's/.*<([a-z_]+).*/\1/' | sort -u); do
		grep -qE "^path tcp_send (kept|not promoted) [a-z_]+ $fn: .*(call site ran|never runs)" "$2" ||
			{ diag "$ROOT calls $fn in its hot part"; return 1; }
	done
}
for v in PIN ALL; do
	exe=$WORK/$v/tcpping
	ok "$v: the hot part of $ROOT calls path functions only at rare sites" eval \
		'[ -n "$(nm "$exe" | grep " t $ROOT\$")" ] && kept_sites_only "$exe" "$WORK/$v/report"'
	ok "$v: library calls (msg_push, msg_free) stay calls in $ROOT" eval \
		'[ -n "$(hot_calls "$exe" $ROOT msg_push)" ] && [ -n "$(hot_calls "$exe" $ROOT msg_free)" ]'
	ok "$v: report: hot helpers copied into the paths, the library function msg_free kept" eval \
		'grep -qE "^path tcp_(send|recv) inlined [a-z_]+ [a-z_]+: hot helper" "$WORK/$v/report" &&
		 grep -qE "^path tcp_send kept [a-z_]+ msg_free: a library function" "$WORK/$v/report"'
	ok "$v: the inlined paths' never-run blocks are outlined ($ROOT.cold, $RECV_ROOT.cold)" eval \
		'nm "$exe" | grep -q " t $ROOT.cold\$" && nm "$exe" | grep -q " t $RECV_ROOT.cold\$"'
	ok "$v: $ROOT keeps the general indirect call behind the guards" eval \
		'hot_disasm "$exe" $ROOT | grep -qE "(call|jmp) +\*"'
	ok "$v: other callers (input, timers) still call the out-of-line tcp_output" calls_elsewhere "$exe"
	# (LTO's partitions may make a static global as NAME.lto_priv.N)
	is "$(nm "$exe" | grep -cE " [tT] (ip_push|eth_push|drv_push|wire_send)(\.lto_priv\.[0-9]+)?\$")" 4 \
		"$v: ip_push, eth_push, drv_push, wire_send stay out of line for other paths"
	ok "$v: ip_output's rare second crossing (after ARP) stays a call (min-ratio)" \
		grep -qE "^path tcp_send not promoted ip_output eth_push: the call site ran" "$WORK/$v/report"
	ok "$v: verbose: the layer crossings were promoted and inlined" eval \
		'grep -qE "path tcp_send: [0-9]+ call\(s\) inlined into $ROOT" "$WORK/$v/link.err" &&
		 [ "$(grep -c "(indirect call, guarded)" "$WORK/$v/link.err")" -gt 0 ]'
done

# The guard: the IPC wire's transmit is not the path's wire_send.
ok "ALL: tcpping over the IPC wire (the guard's general call) echoes" eval \
	'timeout 120 "$WORK/ALL/tcpping" -w thread -n 50 -s 1 >/dev/null 2>&1'

# A second path through the same layers: UDP's frames come up through
# xk_drv_deliver and the receive path's inlined eth and ip, then take the
# guard's general call to udp_demux (the path expects tcp_demux).
ok "ALL: udpping (UDP through the receive path's guards) echoes" eval \
	'MAIN=stack/xkernel/apps/udpping.c build ALL_UDP &&
	 "$WORK/ALL_UDP/udpping" -w inproc -n 300 -s 1 >"$WORK/udp.out" 2>&1'

# TCP's own stream test (1 MiB each way, clean, lossy, duplicating,
# reordering) on every plugin variant's stack.
for v in OUT PIN ALL; do
	ok "$v: tests/xkernel/tcp_stream_test passes on the plugin's stack" eval \
		'MAIN=tests/xkernel/tcp_stream_test.c EXTRA=tests/tap/tap.c build ${v}_STREAM &&
		 "$WORK/${v}_STREAM/tcp_stream_test" >"$WORK/stream.$v.out" 2>&1'
done

# Training counts overrule guesses: on the training workload (tcpping.sh's
# run) no instruction executes in a .cold part of the stack's functions.
# cold_run EXE: "function instructions" of each .cold part that ran.
cold_run() {
	valgrind --tool=callgrind --callgrind-out-file="$WORK/cg.out" "$1" -w inproc -n 1000 -s 1 \
		>/dev/null 2>&1 || { echo "callgrind failed"; return; }
	callgrind_annotate --auto=no --inclusive=no "$WORK/cg.out" |
		awk '$NF ~ /\]$/ { NF-- } $NF ~ /(^|\/)stack\/.*\.cold/ { print $NF, $1 }'
}
for v in OUT PIN ALL; do
	got=$(cold_run "$WORK/$v/tcpping")
	is "$got" "" "$v: no instruction of the training run executes in a .cold part"
done

# Deterministic counts (callgrind, bench/xkernel/callgrind.sh): instructions
# and alpha21064 I1 misses per round trip.
declare -A ir miss
for v in STD OUT PIN ALL; do
	read -r _ ir[$v] miss[$v] < <(BUILD=$BUILD bench/xkernel/callgrind.sh -q -n 300 -g alpha21064 "$WORK/$v/tcpping")
	diag "counts $v: ${ir[$v]} instructions, ${miss[$v]} I1 misses per round trip"
done
lt() { awk -v a="$1" -v b="$2" 'BEGIN { exit !(a + 0 < b + 0) }'; }
ok "PIN runs fewer instructions per round trip than STD (${ir[PIN]} < ${ir[STD]})" lt "${ir[PIN]}" "${ir[STD]}"
ok "ALL runs fewer instructions per round trip than STD (${ir[ALL]} < ${ir[STD]})" lt "${ir[ALL]}" "${ir[STD]}"
ok "OUT runs no more instructions per round trip than STD (${ir[OUT]} <= ${ir[STD]})" \
	eval '! lt "${ir[STD]}" "${ir[OUT]}"'
ok "OUT has fewer I1 misses than STD (${miss[OUT]} < ${miss[STD]})" lt "${miss[OUT]}" "${miss[STD]}"

# Path functions with a .cold part: GCC alone splits only those that call a
# function the source marks cold (TCP's loss recovery, TCP_LOSS); the plugin
# must split at least 5 more.
declare -A size
cold_parts() {
	nm "$WORK/$1/tcpping" | awk '$3 ~ /\.cold$/ { sub(/\..*/, "", $3); print $3 }' |
		grep -xE "$ROOT|$PATH_RE" | sort -u
}
cold_parts STD >"$WORK/cold.STD"
cold_parts OUT >"$WORK/cold.OUT"
more=$(comm -13 "$WORK/cold.STD" "$WORK/cold.OUT" | tr '\n' ' ')
ok "OUT: path functions got .cold parts GCC alone did not make ($more; GCC alone: $(tr '\n' ' ' <"$WORK/cold.STD"))" \
	eval '[ "$(wc -w <<<"$more")" -ge 5 ]'

# -m: a layer GCC inlined on its own (ip_output) counts inside its caller
for v in STD OUT; do size[$v]=$(plugin/hot_bytes.sh -m "$WORK/$v/tcpping" $ROOT "${LAYERS[@]}" 2>/dev/null); done
for v in PIN ALL; do size[$v]=$(plugin/hot_bytes.sh "$WORK/$v/tcpping" $ROOT); done
ok "OUT: the path's hot bytes shrank (${size[STD]} -> ${size[OUT]})" [ "${size[OUT]}" -lt "${size[STD]}" ]
ok "ALL: the inlined path's hot bytes shrank (${size[PIN]} -> ${size[ALL]})" [ "${size[ALL]}" -lt "${size[PIN]}" ]
# The report holds GCC's length estimates: upper bounds for a few encodings.
nm_bytes=$(plugin/hot_bytes.sh "$WORK/ALL/tcpping" $ROOT)
ok "ALL: the report's hot bytes of $ROOT are within 3% above nm's ($nm_bytes)" \
	awk -v fn=$ROOT -v nm="$nm_bytes" '$1 == fn { f = ($3 >= nm && $3 <= nm * 1.03) } END { exit !f }' \
	"$WORK/ALL/report"

echo "# size: the send path's hot static bytes (root + layers out of line; inlined: the root)"
for v in STD OUT PIN ALL; do echo "# size $v ${size[$v]}"; done
echo "# size report ALL (function before after cold): $(grep "^$ROOT " "$WORK/ALL/report")"
done_testing
