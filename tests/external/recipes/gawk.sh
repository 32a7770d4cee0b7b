# gawk 5.2: autotools with the configure it ships (it forces -no-pie), shared
# extensions kept (the suite's shlib tests load them); the program is gawk.
# The suite (`make -C test check`, 578 tests; a few locale tests fail on a bare
# machine, unmodified too) echoes each test's name on a line of its own and
# ends with "N TESTS FAILED" or "ALL TESTS PASSED": passes are the names
# less the failures. Not counted either way, racy whatever the program:
# `time`, whose result depends on the wall clock (it compares gettimeofday
# with time(), the kernel's coarse clock, which can be a second behind across
# a second's boundary, and wants sleep(1.3) to end within 1.17-1.69 s): it
# failed once in 5 suite runs of 4 Dec 2026 on a loaded machine, then passed
# 5 of 5 with the same program; and `sigpipe1`, which prints to `yes | true`
# and fails ("print ... failed: Broken pipe") when `true` has exited before
# gawk writes: once with the bad layout's slower gawk beside a CI run (4 Dec
# 2026, 20:14 UTC), then 100 of 100 passes with the same program.
# Debian's source lacks the manual's sources: doc/ cannot be built, so
# the build and the suite skip the top-level recursion.
configure() { ./configure CC="$OLCC"; }
build() { make -C support -j2 && make -j2 gawk && make -C extension -j2; }
check() { make -C test check; }
progs() { echo gawk; }
passed() {
	awk -v racy=" time sigpipe1 " '/^[A-Za-z0-9_+.-]+$/ && !index(racy, " " $0 " ") { n++ }
		/^\.\/[A-Za-z0-9_+.-]+\.ok _[A-Za-z0-9_+.-]+ differ/ {
			if (index(racy, " " substr($1, 3, length($1) - 5) " ")) t++ }
		/^[0-9]+ TESTS FAILED$/ { f = $1 } END { print n - (f - t) }'
}
# workload GAWK DIR: a few representative awk programs (field splitting and
# sums, associative arrays and word counts, regular expressions with gsub
# and match, printf, asort, split and substr) on 200 KB of gawk's own C sources
# as text (scratch files in DIR). The training workload, and bench/external's:
# the basic tests under callgrind take most of an hour.
workload() {
	local awk=$1 d=$2
	mkdir -p "$d"
	cat awkgram.c builtin.c eval.c | head -c 200000 > "$d/text"
	"$awk" '{ n += NF; c += length($0) } END { print NR, n, c }' "$d/text"
	"$awk" '{ for (i = 1; i <= NF; i++) w[tolower($i)]++ }
		END { for (k in w) if (w[k] > 50) print w[k], k }' "$d/text" > "$d/words"
	"$awk" '/^[a-z_]+\(/ { f = $0; sub(/\(.*/, "", f); names[++n] = f }
		END { asort(names); for (i = 1; i <= n; i += 25) print names[i] }' "$d/text"
	"$awk" '{ t = $0; k += gsub(/[0-9]+/, "#", t); if (match($0, /[A-Z][A-Z_]+/)) m[substr($0, RSTART, RLENGTH)]++ }
		END { print k; for (x in m) if (m[x] > 30) printf "%-20s %6d\n", x, m[x] }' "$d/text"
	"$awk" -F'[ \t]*[,;][ \t]*' '{ s += NF; for (i = 1; i <= NF; i++) a[i % 7] += length($i) }
		END { for (i = 0; i < 7; i++) printf "%d:%d ", i, a[i]; print s }' "$d/text"
	"$awk" 'BEGIN { for (i = 0; i < 20000; i++) { s = sprintf("%05d-%x", i, i * 7); split(s, p, "-"); t += p[1] + length(p[2]) } print t }'
}
# heldout GAWK DIR: bench/external's second workload, never trained on:
# other awk programs (substr and counting arrays, gsub over every word, a
# numeric field test, toupper and asorti, sprintf and split in BEGIN) on
# 200 KB of other gawk sources.
heldout() {
	local awk=$1 d=$2
	mkdir -p "$d"
	cat node.c re.c io.c | head -c 200000 > "$d/text"
	"$awk" '{ c[substr($1, 1, 1)]++ } END { for (k in c) n++; print n, NR }' "$d/text"
	"$awk" '{ n += gsub(/[A-Za-z_][A-Za-z0-9_]*/, "&") } END { print n }' "$d/text"
	"$awk" '{ for (i = 1; i <= NF; i++) if ($i ~ /^[0-9]+$/) s += $i } END { printf "%.3e\n", s }' "$d/text"
	"$awk" '{ w[toupper($1)] = length($0) }
		END { n = asorti(w, o); for (i = 1; i <= n; i += 40) print o[i], w[o[i]] }' "$d/text"
	"$awk" 'BEGIN { for (i = 0; i < 15000; i++) { s = s sprintf("%d,", i % 97)
		if (length(s) > 500) { t += split(s, a, ","); s = "" } } print t }'
}
train() { workload ./gawk ../work; }
