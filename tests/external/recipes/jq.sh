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
# workload JQ DIR: a few representative jq programs (construction,
# select/group_by/sort, string interpolation, regular expressions through
# oniguruma, paths, streaming, -S pretty printing) on 300 generated records
# (scratch files in DIR), in four jq processes (each start parses jq's
# builtins, most of a short run). The training workload, and
# bench/external's: the whole suite under callgrind takes most of an hour.
workload() {
	local jq=$1 d=$2
	mkdir -p "$d"
	"$jq" -n '[range(300) | {id: ., name: "item\(.)", price: (. * 7 % 101),
		tags: [range(. % 5) | "t\(.)"], nested: {a: [., -.], b: {c: (. % 3 == 0)}}}]' > "$d/data.json"
	"$jq" -c '(map(select(.id % 3 == 0)) | group_by(.tags | length)
		| map({k: (.[0].tags | length), n: length, total: (map(.price) | add)})),
		[.[] | select(.name | test("item[12][0-9]*5$")) | .name | sub("item"; "x")],
		([paths] | length), (sort_by(-.price, .name) | .[:5] | map(.id)),
		([tostream] | fromstream(.[]) | length)' "$d/data.json"
	"$jq" -r '.[] | "\(.id)\t\(.name)\t\(.price)"' "$d/data.json" > "$d/data.tsv"
	"$jq" -S '.[:100]' "$d/data.json" > "$d/sorted.json"
}
# heldout JQ DIR: bench/external's second workload, never trained on: other
# records (500: keys, nested arrays, fractions) and other programs
# (group_by and sort_by, unique, join, a regular expression, to_entries and
# from_entries) in six jq processes.
heldout() {
	local jq=$1 d=$2
	mkdir -p "$d"
	"$jq" -n '[range(500) | {k: "key\(. % 37)", v: (. * 13 % 97),
		s: [range(. % 7) | {x: ., y: "y\(.)"}], f: (. / 3)}]' > "$d/in.json"
	"$jq" -c 'group_by(.k) | map({k: .[0].k, sum: (map(.v) | add), n: length})
		| sort_by(.sum) | reverse | .[:10]' "$d/in.json"
	"$jq" -c '[.[] | .s[] | select(.x > 2) | .y] | unique | length' "$d/in.json"
	"$jq" -r '.[] | [.k, (.v | tostring), (.f | floor | tostring)] | join(",")' "$d/in.json" > "$d/rows.csv"
	"$jq" '[.[] | select(.k | test("key[0-9]$")) | .v] | add' "$d/in.json"
	"$jq" -c 'to_entries | map(select(.key % 50 == 0)) | from_entries? // length' "$d/in.json"
}
train() { workload ./jq ../work; }
