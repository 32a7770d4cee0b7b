# gawk 5.2: autotools with the configure it ships (it forces -no-pie), shared
# extensions kept (the suite's shlib tests load them); the program is gawk.
# The suite (`make -C test check`, 578 tests; a few locale tests fail on a bare
# machine, unmodified too) echoes each test's name on a line of its own and
# ends with "N TESTS FAILED" or "ALL TESTS PASSED": passes are the names
# less the failures. Training runs the basic tests only (about half the
# suite; each run under callgrind costs a second or more).
# Debian's source lacks the manual's sources: doc/ cannot be built, so
# the build and the suite skip the top-level recursion.
configure() { ./configure CC="$OLCC"; }
build() { make -C support -j2 && make -j2 gawk && make -C extension -j2; }
check() { make -C test check; }
progs() { echo gawk; }
passed() {
	awk '/^[A-Za-z0-9_+.-]+$/ { n++ } /^[0-9]+ TESTS FAILED$/ { f = $1 } END { print n - f }'
}
train() { make -C test basic; }
