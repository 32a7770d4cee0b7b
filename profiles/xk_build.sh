#!/usr/bin/env bash
# xk_build.sh - builds a program on the x-kernel stack (tcpping by default)
# from the stack's sources in one variant, with -flto and (except STD) the
# plugin at compile and at link time, reading profiles/tcpping.prof:
#   profiles/xk_build.sh STD|OUT|PIN|ALL DIR [PLUGIN-OPTION...]
# gives DIR/PROG, its objects DIR/*.o (the stack), DIR/other/*.o (the IPC
# kernel and EXTRA, never with the plugin), the plugin's messages in
# DIR/compile.err and DIR/link.err, and its size report in DIR/report.
# Environment: BUILD (where plugin/olayout.so is; build), PROFILE, CC,
# MAIN (the program's main file; stack/xkernel/apps/tcpping.c), EXTRA (more
# C files, e.g. tests/tap/tap.c), SUITE (xk: the TCP/IP suite; rpc: with
# the RPC suite and its harness, e.g. for tests/rpc with profiles/rpcping.prof).
set -u
export LC_ALL=C
: "${BUILD:=build}" "${PROFILE:=profiles/tcpping.prof}" "${CC:=gcc}"
: "${MAIN:=stack/xkernel/apps/tcpping.c}" "${EXTRA:=}" "${SUITE:=xk}"
usage="usage: $0 STD|OUT|PIN|ALL DIR [PLUGIN-OPTION...]"
case ${1:-} in -h | --help) echo "$usage"; exit 0 ;; esac
[ $# -ge 2 ] || { echo "$usage" >&2; exit 2; }
variant=$1 dir=$2
shift 2
case $variant in
STD | ALL) mode=() ;;
OUT) mode=(outline-only) ;;
PIN) mode=(inline-only) ;;
*) echo "$0: unknown variant '$variant' (want STD, OUT, PIN or ALL)" >&2; exit 2 ;;
esac
pargs=()
if [ "$variant" != STD ]; then
	pargs=("-fplugin=$BUILD/plugin/olayout.so" "-fplugin-arg-olayout-profile=$PROFILE"
		"-fplugin-arg-olayout-report=$dir/report")
	for o in "${mode[@]}" "$@"; do pargs+=("-fplugin-arg-olayout-$o"); done
fi
case $SUITE in xk | rpc) ;; *) echo "$0: SUITE '$SUITE': want xk or rpc" >&2; exit 2 ;; esac
# The stack's sources and include flags, as the suite's module.mk lists them.
mapfile -t srcs < <(make -s --no-print-directory "print-$SUITE-srcs") && [ ${#srcs[@]} -gt 0 ] &&
	read -ra inc < <(make -s --no-print-directory "print-$SUITE-cppflags") || exit 1
inc+=(-Itests/tap -Itests/xkernel)

mkdir -p "$dir/other" && rm -f "$dir"/*.o "$dir"/other/*.o "$dir"/*.err "$dir/report" || exit 1
for f in stack/kernel/*.c $EXTRA; do
	$CC -std=c11 -O2 -g "${inc[@]}" -c -o "$dir/other/$(basename "$f" .c).o" "$f" || exit 1
done
for f in "${srcs[@]}" "$MAIN"; do
	$CC -std=c11 -O2 -g -flto "${pargs[@]}" "${inc[@]}" -c -o "$dir/$(basename "$f" .c).o" "$f" \
		2>>"$dir/compile.err" || exit 1
done
$CC -O2 -flto "${pargs[@]}" -o "$dir/$(basename "$MAIN" .c)" "$dir"/*.o "$dir"/other/*.o \
	-lm -lpthread 2>"$dir/link.err"
