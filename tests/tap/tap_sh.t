#!/usr/bin/env bash
# tap_sh.t - the shell TAP helper's own test: each scenario runs in a fresh
# bash that sources tests/tap/tap.sh; the exact stream and exit status are
# checked.
set -u
. tests/tap/tap.sh

# run SCRIPT: the scenario's stdout, then its exit status on the last line.
run() {
	bash -c ". tests/tap/tap.sh; $1" 2>/dev/null
	echo "exit $?"
}
nl=$'\n'

plan 10
is "$(run 'plan 3; ok "true" true; is 7 7 "seven"; skip "gdb" "no gdb"; done_testing')" \
	"1..3${nl}ok 1 - true${nl}ok 2 - seven${nl}ok 3 - gdb # SKIP no gdb${nl}exit 0" "a passing run exits 0"
is "$(run 'plan 2; ok "false" false; ok "after" true; done_testing')" \
	"1..2${nl}not ok 1 - false${nl}#   exit status 1 of: false${nl}ok 2 - after${nl}# failed 1 of 2 tests${nl}exit 1" \
	"a failing command is not ok, with its status; the run goes on and exits 1"
is "$(run 'plan 1; false; ok "status is the command'"'"'s own" true; done_testing')" "1..1${nl}ok 1 - status is the command's own${nl}exit 0" \
	"ok tests its command, not the status before it"
is "$(run 'plan 1; ok "grep fails" grep -q x /dev/null; done_testing' | head -2)" \
	"1..1${nl}not ok 1 - grep fails" "ok passes the command's arguments as given"
is "$(run 'plan 1; is a b "a is b"; done_testing')" \
	"1..1${nl}not ok 1 - a is b${nl}#   got:  'a'${nl}#   want: 'b'${nl}# failed 1 of 1 tests${nl}exit 1" \
	"is shows got and want"
is "$(run 'plan 2; ok "one" true; done_testing')" \
	"1..2${nl}ok 1 - one${nl}# planned 2 tests but ran 1${nl}exit 1" "short of the plan exits 1"
is "$(run 'skip_all "no widget here"; echo after')" "1..0 # SKIP no widget here${nl}exit 0" \
	"skip_all gives the reason and ends the script"
is "$(run 'need /; need /no/such/file; echo after')" \
	"1..1${nl}not ok 1 - /no/such/file exists (make all builds it)${nl}exit 1" \
	"need: a missing file fails, naming it"
is "$(run 'need_tool bash; need_tool no-such-tool-xyz; echo after')" \
	"1..1${nl}not ok 1 - no-such-tool-xyz is installed (make deps installs it)${nl}exit 1" \
	"need_tool: a command not on PATH fails, naming it"
is "$(run 'diag "$(printf "a\nb")" c')" "# a${nl}# b${nl}# c${nl}exit 0" "diag comments every line"
done_testing
