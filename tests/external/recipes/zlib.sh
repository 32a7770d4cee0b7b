# zlib: its own configure (not autotools), static only; the programs are its
# Makefile's test programs example and minigzip; the suite is `make
# teststatic` (hello world through minigzip both ways, then example), plus
# each of zlib's own sources through minigzip at levels 1 and 9 and back.
prepare() { :; }
configure() { CC=$OLCC ./configure --static; }
build() { make static; }
progs() { echo example; echo minigzip; }
check() {
	make teststatic
	for f in *.c; do
		for l in 1 9; do
			if ./minigzip -$l < "$f" | ./minigzip -d | cmp -s - "$f"; then
				echo "PASS: $f -$l"
			else
				echo "FAIL: $f -$l"
			fi
		done
	done
}
passed() { awk '/\*\*\* zlib test OK \*\*\*/ || /^PASS:/ { n++ } END { print n + 0 }'; }
train() { check; }
