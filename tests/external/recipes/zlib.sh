# zlib: its own configure (not autotools), static only; the programs are its
# Makefile's test programs example and minigzip; the suite is `make
# teststatic` (hello world through minigzip both ways, then example), plus
# each of zlib's own sources through minigzip at levels 1 and 9 and back.
prepare() { :; }
# -g: the line counts training gives the plugin (zlib builds -O3 without it)
configure() { CFLAGS="-O3 -g" CC=$OLCC ./configure --static; }
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
# bench/external: minigzip on the first 300 KB of zlib's sources at levels 1, 6
# and 9, each output decompressed again (scratch files in DIR).
bench_prog() { echo minigzip; }
workload() {
	local mg=$1 d=$2 l
	mkdir -p "$d"
	cat *.c *.h | head -c 300000 > "$d/text"
	for l in 1 6 9; do
		"$mg" -$l < "$d/text" > "$d/text.$l.gz"
		"$mg" -d < "$d/text.$l.gz" | cmp - "$d/text"
	done
}
