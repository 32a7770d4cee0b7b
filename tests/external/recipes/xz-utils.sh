# xz-utils: the defaults build and check it (autotools, make check's 18
# tests); this recipe only names bench/external's program and workload:
# xz compressing liblzma's sources (their first 250 KB) at presets 0 and 6
# and decompressing each, plus a test of both files (DIR: scratch).
bench_prog() { echo src/xz/xz; }
workload() {
	local xz=$1 d=$2 p
	mkdir -p "$d"
	cat src/liblzma/*/*.[ch] | head -c 250000 > "$d/text"
	for p in 0 6; do
		"$xz" -c -$p < "$d/text" > "$d/text.$p.xz"
		"$xz" -dc "$d/text.$p.xz" | cmp - "$d/text"
	done
	"$xz" -t "$d"/text.*.xz
}
