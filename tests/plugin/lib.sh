# lib.sh - shared by the plugin's test scripts (sourced, not run): TAP
# output, a scratch directory under $BUILD, and compiling with the plugin.
# The test programs themselves are built with plain gcc (never sanitized):
# the plugin runs inside cc1/lto1, whatever the build directory.

set -u
export LC_ALL=C # GCC quotes with ASCII quotes then
: "${BUILD:=build}"
PLUGIN=$BUILD/plugin/olayout.so
PROGS=tests/plugin/progs
CC=${TEST_CC:-gcc}
n_test=0
n_fail=0

plan() { echo "1..$1"; }
ok() { # ok COND-STATUS DESCRIPTION
	n_test=$((n_test + 1))
	if [ "$1" -eq 0 ]; then echo "ok $n_test - $2"; else echo "not ok $n_test - $2"; n_fail=$((n_fail + 1)); fi
}
check() { # check DESCRIPTION COMMAND...: ok when COMMAND succeeds
	local what=$1; shift
	"$@" >/dev/null 2>&1
	ok $? "$what"
}
is() { # is GOT WANT DESCRIPTION
	[ "$1" = "$2" ]
	local rc=$?
	ok $rc "$3"
	[ $rc -eq 0 ] || { echo "#   got:  '$1'"; echo "#   want: '$2'"; }
}
done_testing() { exit $((n_fail > 0)); }

[ -f "$PLUGIN" ] || { echo "1..0 # SKIP $PLUGIN not built"; exit 0; }
mkdir -p "$BUILD/tests" && WORK=$(mktemp -d "$BUILD/tests/plugin.XXXXXX") || exit 1
trap 'rm -rf "$WORK"' EXIT

# plugin_args OPTION...: the -fplugin arguments for the given plugin options.
plugin_args() {
	local a
	printf '%s\n' "-fplugin=$PLUGIN"
	for a in "$@"; do printf '%s\n' "-fplugin-arg-olayout-$a"; done
}

# fn_size EXE FN: the size nm gives the symbol FN (decimal), or nothing.
fn_size() {
	local h
	h=$(nm -S "$1" | awk -v fn="$2" '$4 == fn { print $2; exit }')
	[ -n "$h" ] && echo $((16#$h))
}

# cold_parts EXE: the functions that have a .cold part, sorted, one line.
cold_parts() {
	nm "$1" | awk '$3 ~ /\.cold$/ { sub(/\.cold$/, "", $3); print $3 }' | sort | tr '\n' ' ' | sed 's/ $//'
}

# disasm EXE FN: the instructions of FN (also FN.constprop.0 and such).
disasm() {
	objdump -d --no-show-raw-insn "$1" |
		awk -v fn="$2" '/^[0-9a-f]+ <.*>:$/ { name = $2; gsub(/[<>:]/, "", name); on = (name == fn || index(name, fn ".") == 1); next } on && NF'
}
