# jq 1.6: no configure in the source (autoreconf -fi, the default), no docs
# (they need Ruby), the system's oniguruma. Its tests run jq under valgrind's
# memcheck unless NO_VALGRIND=1. Passes: automake's count of test scripts
# plus jq's own "N of M tests passed" of each --run-tests script.
configure() {
	./configure --disable-shared --disable-docs --disable-maintainer-mode \
		--with-oniguruma=yes CC="$OLCC"
}
progs() { echo jq; }
check() { make check NO_VALGRIND=1; }
passed() {
	awk '/^# PASS: *[0-9]+/ { s += $3 } /^[0-9]+ of [0-9]+ tests passed/ { s += $1 }
		END { print s + 0 }'
}
