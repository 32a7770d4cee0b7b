#!/usr/bin/env bash
# bench_paths.t - bench/plugin/tcpping.sh reads the profile's paths through
# its one parser (olayout paths), so a comment (profiles/README.md: `#` to
# the end of the line) is never a path's function: with profiles/tcpping.prof
# whose path lines end in a comment right after the last name (`FN# ...`,
# naming another function) its
# table names the same paths and counts the same hot instructions as with
# the profile itself, and no comment word reaches plugin/hot_bytes.sh. The
# builds are stand-ins (a CC that copies $BUILD/bin/tcpping), so only the
# profile differs between the two runs; the counts are callgrind's
# (deterministic).
. tests/tap/tap.sh
: "${BUILD:=build}"
case $BUILD in *san*) skip_all "valgrind cannot run an ASan build ($BUILD)" ;; esac
need "$BUILD/bin/tcpping" "$BUILD/bin/olayout"
need_tool valgrind
T=$(mktemp -d) && trap 'rm -rf "$T"' EXIT
cat >"$T/cc" <<'EOF'
#!/bin/sh
# a compiler that compiles nothing: an object is an empty file, a program a copy of $PROG
out=
while [ $# -gt 0 ]; do [ "$1" = -o ] && out=$2; shift; done
case $out in *.o) : >"$out" ;; *) cp "$PROG" "$out" ;; esac
EOF
chmod +x "$T/cc"
awk '$1 == "path" { $0 = $0 "# commentword ip_push" } 1' profiles/tcpping.prof >"$T/commented.prof"

# run NAME PROFILE: tcpping.sh's table (1 round trip a run) with the stand-in builds
run() {
	mkdir -p "$T/$1" &&
		PROG=$BUILD/bin/tcpping CC=$T/cc PROFILE=$2 RESULTS=$T/$1 BUILD=$BUILD \
			bench/plugin/tcpping.sh 1 >"$T/$1.out" 2>"$T/$1.err"
}

plan 5
ok "the commented profile has comments on its path lines" grep -q '^path .*[a-z]# commentword ip_push$' "$T/commented.prof"
ok "tcpping.sh runs with the profile" run plain profiles/tcpping.prof
ok "tcpping.sh runs with the commented profile" run commented "$T/commented.prof"
ok "no comment word reaches the table or hot_bytes.sh" \
	eval '! grep -e commentword -e "#" "$T/commented.out" "$T/commented.err"'
is "$(cat "$T/commented/plugin-tcpping.md")" "$(cat "$T/plain/plugin-tcpping.md")" \
	"the same table: the same paths and hot instructions"
done_testing
