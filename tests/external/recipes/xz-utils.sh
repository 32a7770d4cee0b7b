# xz-utils: the defaults build and check it (autotools, make check's 18
# tests); this recipe only names bench/external's program and workload:
# xz compressing liblzma's sources (their first 250 KB) at presets 0 and 6
# and decompressing each, plus a test of both files (DIR: scratch); held
# out (never trained on): xz's own sources, 200 KB, at presets 1 (the hc4
# match finder; preset 0 runs hc3) and 4 (bt4, as 6, with other limits).
bench_prog() { echo src/xz/xz; }
workload() {
	cat src/liblzma/*/*.[ch] | head -c 250000 |
		xz_rounds "$1" "$2" 0 6
}
heldout() {
	cat src/xz/*.[ch] src/common/*.[ch] | head -c 200000 |
		xz_rounds "$1" "$2" 1 4
}
# xz_rounds XZ DIR PRESET...: stdin (kept as DIR/text) through XZ at each PRESET
# and back, then a test of every file.
xz_rounds() {
	local xz=$1 d=$2 p
	shift 2
	mkdir -p "$d"
	cat > "$d/text"
	for p in "$@"; do
		"$xz" -c -$p < "$d/text" > "$d/text.$p.xz"
		"$xz" -dc "$d/text.$p.xz" | cmp - "$d/text"
	done
	"$xz" -t "$d"/text.*.xz
}
