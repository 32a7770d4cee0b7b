# tap.sh - TAP output for the shell test scripts (sourced, not run):
#
#   . tests/tap/tap.sh
#   need "$BUILD/bin/olayout"        # missing: one failing test naming it, exit 1
#   need_tool valgrind               # not on PATH: the same (make deps installs it)
#   plan 3
#   ok "verify passes" "$OL" verify "$out"    # runs the command: ok when it exits 0
#   ok "same output" eval 'cmp -s "$a" "$b" && [ -s "$a" ]'
#   is "$(wc -l <"$err")" 1 "one line on stderr"
#   skip "gdb backtrace" "gdb is not installed"
#   diag "seed $SEED"
#   gcc -o "$T/p" p.c || bail_out "cannot build p.c"
#   done_testing                     # exit 1 when a test failed or the plan was missed
#
# ok runs its command itself, so the status it tests is the command's own:
# never pass it a test of $? (a status read inside the helper is its own).
# skip_all ends a script that cannot run on this machine, with the reason;
# a missing build is not such a reason (make test builds everything first),
# nor a missing tool that make deps installs (need_tool).

tap_n=0
tap_failed=0
tap_planned=

plan() {
	tap_planned=$1
	echo "1..$1"
}

# tap_result PASS DESCRIPTION: one ok / not ok line.
tap_result() {
	tap_n=$((tap_n + 1))
	if [ "$1" = 0 ]; then
		echo "ok $tap_n - $2"
	else
		echo "not ok $tap_n - $2"
		tap_failed=$((tap_failed + 1))
	fi
}

ok() { # ok DESCRIPTION COMMAND [ARG...]
	local tap_desc=$1 tap_rc
	shift
	"$@"
	tap_rc=$?
	tap_result $tap_rc "$tap_desc"
	[ $tap_rc = 0 ] || diag "  exit status $tap_rc of: $*"
	return $tap_rc
}

is() { # is GOT WANT DESCRIPTION
	local tap_rc=0
	[ "$1" = "$2" ] || tap_rc=1
	tap_result $tap_rc "$3"
	[ $tap_rc = 0 ] || diag "  got:  '$1'" "  want: '$2'"
	return $tap_rc
}

skip() { # skip DESCRIPTION REASON: a test this machine cannot run
	tap_n=$((tap_n + 1))
	echo "ok $tap_n - $1 # SKIP $2"
}

diag() { # diag TEXT...: each argument, each of its lines, as a comment
	local tap_arg
	for tap_arg in "$@"; do
		printf '%s\n' "$tap_arg" | sed 's/^/# /'
	done
}

bail_out() { # bail_out REASON: the script cannot go on (a set-up step failed)
	echo "Bail out! $*"
	exit 1
}

skip_all() { # skip_all REASON
	echo "1..0 # SKIP $*"
	exit 0
}

need() { # need FILE...: every FILE exists, or the script fails naming it
	local tap_f
	for tap_f in "$@"; do
		[ -e "$tap_f" ] && continue
		[ -n "$tap_planned" ] || echo "1..$((tap_n + 1))"
		tap_result 1 "$tap_f exists (make all builds it)"
		exit 1
	done
}

need_tool() { # need_tool COMMAND...: every COMMAND is on PATH, or the script fails naming it
	local tap_c
	for tap_c in "$@"; do
		command -v "$tap_c" >/dev/null && continue
		[ -n "$tap_planned" ] || echo "1..$((tap_n + 1))"
		tap_result 1 "$tap_c is installed (make deps installs it)"
		exit 1
	done
}

done_testing() {
	if [ -n "$tap_planned" ] && [ "$tap_n" != "$tap_planned" ]; then
		diag "planned $tap_planned tests but ran $tap_n"
		exit 1
	fi
	[ $tap_failed = 0 ] || diag "failed $tap_failed of $tap_n tests"
	exit $((tap_failed > 0))
}
