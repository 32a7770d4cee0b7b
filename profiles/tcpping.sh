#!/usr/bin/env bash
# tcpping.sh - trains on the x-kernel's tcpping and prints its profile
# (profiles/tcpping.prof is this script's output):
#   profiles/tcpping.sh >profiles/tcpping.prof
# The path and library marks are written here by hand, from reading
# stack/xkernel: the client's send path through the layers' push operations.
# cold-line: every source line of a function that ran in the training run
# (tcpping -w inproc) that never ran itself, from gcov on an -O0 build.
# edge: call counts between the stack's functions, from callgrind on an -O1
# build that keeps static functions apart (xk_push and the other inline
# wrappers are merged into their callers, so a layer crossing is one edge).
set -eu -o pipefail
export LC_ALL=C
TRAIN=(-w inproc -n 1000 -s 1)
for tool in gcov jq valgrind; do
	command -v $tool >/dev/null || { echo "tcpping.sh: needs $tool" >&2; exit 1; }
done
WORK=$(mktemp -d) && trap 'rm -rf "$WORK"' EXIT
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
# (the IPC kernel under it is neither trained nor profiled).
build() {
	local dir=$1; shift
	compile "$dir" "$@" -- "${XK_SRCS[@]}" stack/xkernel/apps/tcpping.c
	gcc "$@" -o "$WORK/$dir/tcpping" "$WORK/$dir"/*.o "$WORK"/ipc/*.o -lm -lpthread
}

compile ipc -O2 -- stack/kernel/*.c

# Lines whose count is 0 in every unit, in functions that ran (summed over
# units: a header's inline function has a copy in each).
cold_lines() {
	(cd "$WORK/cov" && for g in *.gcda; do gcov --json-format --stdout "$g" 2>/dev/null; done) |
		jq -s -r '
		([.[].files[] | .file as $f | .functions[] | {key: "\($f) \(.name)", value: .execution_count}]
		 | group_by(.key) | map({key: .[0].key, value: (map(.value) | add)}) | from_entries) as $ran
		| [.[].files[] | .file as $f | .lines[] | {file: $f, line: .line_number, count, fn: .function_name}]
		| group_by([.file, .line])
		| map(select((map(.count) | add) == 0 and any(.[]; ($ran["\(.file) \(.fn)"] // 0) > 0)))
		| sort_by(.[0].file, .[0].line) | .[] | "cold-line \(.[0].file):\(.[0].line)"'
}

# Callgrind's caller/callee counts among the stack's own functions.
edges() {
	local fns
	fns=$(cd "$WORK/cov" && for g in *.gcda; do gcov --json-format --stdout "$g" 2>/dev/null; done |
		jq -r '.files[] | select(.file | startswith("stack/")) | .functions[].name' | sort -u)
	awk -v fns="$fns" '
		function name(s,   id, rest) { # callgrind compresses repeated names to "(id)"
			if (!match(s, /^\([0-9]+\)/))
				return s
			id = substr(s, 2, RLENGTH - 2)
			rest = substr(s, RLENGTH + 2)
			if (rest != "")
				names[id] = rest
			return names[id]
		}
		BEGIN { n = split(fns, a, "\n"); for (i = 1; i <= n; i++) ours[a[i]] = 1 }
		/^fn=/ { fn = name(substr($0, 4)); sub(/'"'"'[0-9]+$/, "", fn); next }
		/^cfn=/ { cfn = name(substr($0, 5)); sub(/'"'"'[0-9]+$/, "", cfn); next }
		/^calls=/ { split(substr($0, 7), c, " "); if (fn in ours && cfn in ours && fn != cfn) count[fn " " cfn] += c[1] }
		END { for (k in count) print "edge", k, count[k] }' "$WORK/cg.out" | sort -k2,3
}

build cov -O0 --coverage
(cd "$WORK/cov" && ./tcpping "${TRAIN[@]}" >/dev/null)
build cg -O1 -fno-inline-functions-called-once
valgrind -q --tool=callgrind --callgrind-out-file="$WORK/cg.out" "$WORK/cg/tcpping" "${TRAIN[@]}" >/dev/null

cat <<EOF
olayout-profile 1
# x-kernel tcpping (stack/xkernel/apps/tcpping.c), written by profiles/tcpping.sh
# from a training run: tcpping ${TRAIN[*]}.

# i-caches the study simulates (docs/DESIGN.md)
cache alpha21064 8192 1 32
cache modern 32768 8 64

# The client's send path: TCP's push operation, then every layer crossing
# down to the driver (push_segment, ip_output and eth_push cross through
# session pointers; drv_push is every driver's push, and wire_send the
# in-process wire's transmit behind it: the guard falls back to the general
# call for the IPC wire's ipcwire_send_frame).
path tcp_send tcp_sess_push tcp_output tcp_send_segment push_segment ip_push ip_send_one ip_output eth_push drv_push wire_send

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

# Call counts in training among the stack's functions.
EOF
edges
printf '\n# Lines of functions that ran which never ran themselves.\n'
cold_lines
