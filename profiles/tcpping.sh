#!/usr/bin/env bash
# tcpping.sh - trains on the x-kernel's tcpping and prints its profile
# (profiles/tcpping.prof is this script's output):
#   profiles/tcpping.sh >profiles/tcpping.prof      (after make: uses olayout)
# `olayout profile` measures the round-trip loop (tcpping brackets it with
# CALLGRIND_START/STOP_INSTRUMENTATION: --instr-atstart=no) of an -O1 -g
# build that keeps static functions apart (xk_push and the other inline
# wrappers are merged into their callers, so a layer crossing is one edge):
# function counts, edges, line and cold-line (its DWARF line table), cold
# functions and the hot libc code. It runs as ./tcpping with an empty
# environment, as bench/xkernel/callgrind.sh measures. The path and library
# marks are written here by hand, from reading stack/xkernel, and merged in
# with `olayout profile --merge`.
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
(cd "$WORK/cg" && env -i PATH="$PATH" "$OLAYOUT" profile -o "$WORK/run.prof" --training "${TRAIN[3]}" \
	--instr-atstart=no -- ./tcpping "${TRAIN[@]}" >/dev/null)

cat >"$WORK/hand.prof" <<EOF
olayout-profile 2
exe tcpping

# The client's send path: TCP's push operation, then every layer crossing
# down to the driver (push_segment, ip_output and eth_push cross through
# session pointers; drv_push is every driver's push, and wire_send the
# in-process wire's transmit behind it: the guard falls back to the general
# call for the IPC wire's ipcwire_send_frame).
path tcp_send tcp_sess_push tcp_output tcp_send_segment push_segment ip_push ip_send_one ip_output eth_push drv_push wire_send

# The receive path: the frame's way up from the driver (xk_drv_deliver,
# every driver's receive) through every layer's demux/pop to the
# application (each layer hands the message up through xk_demux, which
# calls the next layer's demux through the protocol's operations; xk_pop
# calls a session's pop the same way).
path tcp_recv xk_drv_deliver xk_demux eth_demux eth_pop xk_demux ip_demux ip_deliver ip_pop xk_demux tcp_demux tcp_pop input_sync input_data tcp_deliver xk_demux app_demux

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
"$OLAYOUT" profile -o "$WORK/tcpping.prof" --merge "$WORK/run.prof" "$WORK/hand.prof"
cat <<EOF
# x-kernel tcpping (stack/xkernel/apps/tcpping.c), written by profiles/tcpping.sh
# from a training run: tcpping ${TRAIN[*]} (olayout profile, the measured loop
# only); the path and library marks by hand (tcpping.sh says why).
EOF
cat "$WORK/tcpping.prof"
