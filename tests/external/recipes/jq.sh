# jq 1.6: no configure in the source (autoreconf -fi, the default), no docs
# (they need Ruby), the system's oniguruma. Its tests run jq under valgrind's
# memcheck unless NO_VALGRIND=1. Passes: automake's count of test scripts
# plus jq's own "N of M tests passed" of each --run-tests script (in the
# scripts' logs, which check prints after the run).
configure() {
	./configure --disable-shared --disable-docs --disable-maintainer-mode \
		--with-oniguruma=yes CC="$OLCC"
}
progs() { echo jq; }
check() {
	local rc=0
	make check NO_VALGRIND=1 || rc=$?
	cat tests/*.log
	return $rc
}
passed() {
	awk '/^# PASS: *[0-9]+/ { s += $3 } /^[0-9]+ of [0-9]+ tests passed/ { s += $1 }
		END { print s + 0 }'
}
