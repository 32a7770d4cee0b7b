#!/usr/bin/env bash
# tcpping.sh - trains on the x-kernel's tcpping and prints its profile
# (profiles/tcpping.prof is this script's output):
#   profiles/tcpping.sh >profiles/tcpping.prof      (after make: uses olayout)
# The training is bench/variants/train.sh's, the one the variants plan
# with: `olayout profile` of the round-trip loop (tcpping brackets it with
# CALLGRIND_START/STOP_INSTRUMENTATION: --instr-atstart=no), run as ./tcpping
# with an empty environment as bench/xkernel/callgrind.sh measures it, here
# of an -O1 -g build that keeps static functions apart (xk_push and the
# other inline wrappers are merged into their callers, so a layer crossing
# is one edge): function counts, edges, line and cold-line (its DWARF line
# table), cold functions and the hot libc code. The path and library marks
# are written here by hand, from reading stack/xkernel, and merged in.
set -eu -o pipefail
export LC_ALL=C
TRAIN=(-w inproc -n 1000 -s 1)
OLAYOUT=$(realpath "${BUILD:-build}/bin/olayout")
[ -x "$OLAYOUT" ] || { echo "tcpping.sh: no $OLAYOUT (make all first)" >&2; exit 1; }
WORK=$(mktemp -d /tmp/xkprof.XXXXXXXX) && trap 'rm -rf "$WORK"' EXIT	# a fixed-length name
# The stack's sources and include flags, as stack/xkernel/module.mk lists them.
mapfile -t XK_SRCS < <(make -s --no-print-directory print-xk-srcs)
read -ra XK_INC < <(make -s --no-print-directory print-xk-cppflags)
[ ${#XK_SRCS[@]} -gt 0 ] && [ ${#XK_INC[@]} -gt 0 ] || { echo "tcpping.sh: make print-xk-srcs failed" >&2; exit 1; }

# compile DIR FLAGS -- SOURCES...: objects into DIR.
compile() {
	local dir=$WORK/$1 flags=() f; shift
	while [ "$1" != -- ]; do flags+=("$1"); shift; done; shift
	mkdir -p "$dir"
	for f in "$@"; do
		gcc -std=c11 -g "${flags[@]}" "${XK_INC[@]}" -c -o "$dir/$(basename "$f" .c).o" "$f"
	done
}

# build DIR FLAGS...: tcpping from the stack's sources into DIR/tcpping
# (the IPC kernel under it is neither trained nor profiled), linked with
# --emit-relocs as olayout wants its input.
build() {
	local dir=$1; shift
	compile "$dir" "$@" -- "${XK_SRCS[@]}" stack/xkernel/apps/tcpping.c
	gcc "$@" -Wl,--emit-relocs -o "$WORK/$dir/tcpping" "$WORK/$dir"/*.o "$WORK"/ipc/*.o -lm -lpthread
}

compile ipc -O2 -- stack/kernel/*.c

build cg -O1 -fno-inline-functions-called-once

cat >"$WORK/hand.prof" <<EOF
# The client's send path: TCP's push operation, then every layer crossing
# down to the driver (push_segment, ip_output and eth_push cross through
# session pointers; drv_push is every driver's push, and wire_send the
# in-process wire's transmit behind it: the guard falls back to the general
# call for the IPC wire's ipcwire_send_frame).
path tcp_send tcp_sess_push tcp_output tcp_send_segment push_segment ip_push ip_send_one ip_output eth_push drv_push wire_send

# The receive path: the frame's way up from ETH's demux, where the
# classifier (xk_deliver, stack/xkernel/framework/classify.c) hands the
# frames of tcpping's connection (bound to this path: xk_sess_bind_path),
# through every layer's demux and pop to the application: each pop hands
# the message up (xk_up) straight to the next layer's demux through its
# session's pointer, and xk_pop calls a session's pop through its
# operations.
path tcp_recv eth_demux eth_pop ip_demux ip_deliver ip_pop tcp_demux tcp_pop input_sync input_data tcp_deliver app_demux

# Shared by every path: the message tool, the checksum, the event manager.
library msg_alloc
library msg_append
library msg_flatten
library msg_free
library msg_push
library msg_walk
library xk_csum_add
library xk_ip_pseudo_csum
library xk_event_cancel
library xk_event_schedule

EOF
bench/variants/train.sh "$OLAYOUT" "$WORK/hand.prof" "$WORK/cg/tcpping" "$WORK/tcpping.prof" "${TRAIN[@]}"
cat <<EOF
# x-kernel tcpping (stack/xkernel/apps/tcpping.c), written by profiles/tcpping.sh
# from a training run: tcpping ${TRAIN[*]} (bench/variants/train.sh: olayout
# profile of the measured loop only, whose round trips \`training\` counts); the
# path and library marks by hand (tcpping.sh says why).
EOF
cat "$WORK/tcpping.prof"
