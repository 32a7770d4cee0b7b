# gawk 5.2: autotools with the configure it ships (it forces -no-pie), shared
# extensions kept (the suite's shlib tests load them); the program is gawk.
# The suite (`make check`, 578 tests; a few locale tests fail on a bare
# machine, unmodified too) echoes each test's name on a line of its own and
# ends with "N TESTS FAILED" or "ALL TESTS PASSED": passes are the names
# less the failures. Training runs the basic tests only (about half the
# suite; each run under callgrind costs a second or more).
configure() { ./configure CC="$OLCC"; }
progs() { echo gawk; }
passed() {
	awk '/^[A-Za-z0-9_+.-]+$/ { n++ } /^[0-9]+ TESTS FAILED$/ { f = $1 } END { print n - f }'
}
train() { make -C test basic; }
