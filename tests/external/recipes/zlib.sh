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
# and 9, each output decompressed again (scratch files in DIR); held out
# (never trained on): minizip's sources, 250 KB, at levels 2, 5 and 8.
bench_prog() { echo minigzip; }
workload() {
	cat *.c *.h | head -c 300000 |
		zlib_rounds "$1" "$2" 1 6 9
}
heldout() {
	cat contrib/minizip/*.[ch] | head -c 250000 |
		zlib_rounds "$1" "$2" 2 5 8
}
# zlib_rounds MINIGZIP DIR LEVEL...: stdin (kept as DIR/text) through MINIGZIP
# at each LEVEL and back.
zlib_rounds() {
	local mg=$1 d=$2 l
	shift 2
	mkdir -p "$d"
	cat > "$d/text"
	for l in "$@"; do
		"$mg" -$l < "$d/text" > "$d/text.$l.gz"
		"$mg" -d < "$d/text.$l.gz" | cmp - "$d/text"
	done
}
