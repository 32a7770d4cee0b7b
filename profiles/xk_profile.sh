# xk_profile.sh - what profiles/tcpping.sh and profiles/rpcping.sh share
# (source it, then call xk_profile): `olayout profile` measures a ping
# app's round-trip loop (the harness brackets it with
# CALLGRIND_START/STOP_INSTRUMENTATION: --instr-atstart=no) in an -O1 -g
# build that keeps static functions apart (xk_push and the other inline
# wrappers are merged into their callers, so a layer crossing is one edge):
# function counts, edges, line and cold-line (its DWARF line table), cold
# functions and the hot libc code. The training is bench/variants/train.sh's,
# the one the variants plan with: the app runs as ./APP with an empty
# environment, as bench/xkernel/callgrind.sh measures it, and `training`
# counts the loop's round trips (n + n/10 + 1). The path and library marks,
# written by hand in each script, are merged in.
#
#   xk_profile APP MAIN_SOURCE SRC_TARGET INC_TARGET <HAND_MARKS
#
# SRC_TARGET and INC_TARGET are the make targets that print the stack's
# sources (one a line) and include flags; the hand-written marks (a version
# 2 profile) come on stdin. The profile goes to stdout.
set -eu -o pipefail
export LC_ALL=C
# Sourced without arguments, so $0 and "$@" are the calling script's.
case ${1:-} in -h | --help) echo "usage: $0 >${0%.sh}.prof   (after make: uses olayout)"; exit 0 ;; esac
[ $# = 0 ] || { echo "$0: takes no arguments (usage: $0 >${0%.sh}.prof)" >&2; exit 2; }
XK_TRAIN=(-w inproc -n 1000 -s 1)

xk_profile() {
	local app=$1 main=$2 src_target=$3 inc_target=$4 olayout work f dir
	local srcs=() inc=()
	olayout=$(realpath "${BUILD:-build}/bin/olayout")
	[ -x "$olayout" ] || { echo "$app.sh: no $olayout (make all first)" >&2; return 1; }
	work=$(mktemp -d /tmp/xkprof.XXXXXXXX)	# a fixed-length name
	# shellcheck disable=SC2064
	trap "rm -rf '$work'" EXIT
	cat >"$work/hand.prof"
	mapfile -t srcs < <(make -s --no-print-directory "$src_target")
	read -ra inc < <(make -s --no-print-directory "$inc_target")
	[ ${#srcs[@]} -gt 0 ] && [ ${#inc[@]} -gt 0 ] || { echo "$app.sh: make $src_target failed" >&2; return 1; }

	# the IPC kernel under the stack is neither trained nor profiled
	mkdir -p "$work/ipc" "$work/cg"
	for f in stack/kernel/*.c; do
		gcc -std=c11 -g -O2 "${inc[@]}" -c -o "$work/ipc/$(basename "$f" .c).o" "$f"
	done
	for f in "${srcs[@]}" "$main"; do
		gcc -std=c11 -g -O1 -fno-inline-functions-called-once "${inc[@]}" \
			-c -o "$work/cg/$(basename "$f" .c).o" "$f"
	done
	gcc -O1 -fno-inline-functions-called-once -Wl,--emit-relocs -o "$work/cg/$app" "$work/cg"/*.o \
		"$work"/ipc/*.o -lm -lpthread

	bench/variants/train.sh "$olayout" "$work/hand.prof" "$work/cg/$app" "$work/$app.prof" "${XK_TRAIN[@]}"
	dir=$(dirname "$main")
	cat <<EOF2
# x-kernel $app ($dir/$app.c), written by profiles/$app.sh
# from a training run: $app ${XK_TRAIN[*]} (bench/variants/train.sh: olayout
# profile of the measured loop only, whose round trips \`training\` counts); the
# path and library marks by hand ($app.sh says why).
EOF2
	cat "$work/$app.prof"
}
