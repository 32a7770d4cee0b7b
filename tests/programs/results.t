#!/usr/bin/env bash
# results.t - a benchmark whose run fails leaves the recorded results as
# they were (bench/results holds the figures the issues' closing notes
# quote): bench/plugin/tcpping.sh with a compiler that always fails exits
# non-zero, and plugin-tcpping.md keeps its old text, with no temporary file
# beside it.
. tests/tap/tap.sh
: "${BUILD:=build}"
T=$(mktemp -d) && trap 'rm -rf "$T"' EXIT

plan 2
echo "recorded" >"$T/plugin-tcpping.md"
CC=false RESULTS=$T BUILD=$BUILD bench/plugin/tcpping.sh 10 >"$T/out" 2>&1
ok "bench/plugin/tcpping.sh: a failing build fails the run" [ $? -ne 0 ]
ok "the recorded plugin-tcpping.md is left as it was, no temporary file" eval \
	'[ "$(cat "$T/plugin-tcpping.md")" = recorded ] && [ "$(ls -A "$T" | grep -v "^out$")" = plugin-tcpping.md ]'
done_testing
