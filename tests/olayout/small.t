#!/usr/bin/env bash
# olayout on small programs: reversed, seeded random, cloned and 64 KiB-aligned
# layouts keep the output and pass verify; a second rewrite works; gdb
# backtraces name clones; bad inputs give one line, exit 1 and no output file.
set -u
. tests/tap/tap.sh
OL=$BUILD/bin/olayout
need "$OL"
need_tool gdb
SRC=tests/olayout/progs
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT
SEED=${OLAYOUT_SEED:-4242}
diag "seed $SEED"
plan 69

CF="-O2 -g -fcf-protection -ffunction-sections -Wl,--emit-relocs -Itools/olayout"
FUNCS="main leaf mid rec top"
at_64k() { # at_64k EXE FN: FN's address (nm) is a multiple of 65536
	local a
	a=$(nm "$1" | awk -v f="$2" '$3 == f {print $1}')
	[ -n "$a" ] && [ $((0x$a % 65536)) = 0 ]
}
for v in pie nopie static; do
	case $v in pie) F="-fpie -pie" ;; nopie) F="-no-pie" ;; static) F="-static" ;; esac
	gcc $CF $F -o $T/cl.$v $SRC/cl.c || bail_out "cannot build $SRC/cl.c ($v)"
	"$T/cl.$v" > "$T/want.$v"
	{ echo "olayout-layout 1"; for f in $FUNCS; do echo "place $f"; done | tac; } > $T/rev.lay
	{ echo "olayout-layout 1"; echo "align 32";
	  for f in $FUNCS; do echo "place $f pad=3"; done |
		awk -v s=$SEED 'BEGIN{srand(s)} {print rand() "\t" $0}' | sort | cut -f2; } > $T/rnd.lay
	printf 'olayout-layout 1\nclone top P align=64\nclone mid P\nclone leaf P\nroute main top P\nroute top mid P\nroute mid leaf P\nplace rec\n' > $T/clo.lay
	# the largest alignment, a way of a 64 KiB direct-mapped cache
	printf 'olayout-layout 1\nplace top align=65536\nplace mid\n' > $T/al.lay
	for l in rev rnd clo al; do
		ok "$v $l: rewrite" "$OL" rewrite --layout $T/$l.lay -o $T/cl.$v.$l $T/cl.$v 2>> $T/warnings
		"$T/cl.$v.$l" > "$T/got.$v.$l"
		ok "$v $l: verify" "$OL" verify $T/cl.$v.$l
	done
	ok "$v rev: same output" cmp -s $T/want.$v $T/got.$v.rev
	ok "$v rnd: same output" cmp -s $T/want.$v $T/got.$v.rnd
	ok "$v al: same output" cmp -s $T/want.$v $T/got.$v.al
	ok "$v al: top at a multiple of 64 KiB" at_64k $T/cl.$v.al top
	ok "$v clo: same sum, lookup finds the clone" eval \
		'[ "$(cut -d" " -f1 $T/got.$v.clo)" = "$(cut -d" " -f1 $T/want.$v)" ] && grep -q " clone\$" $T/got.$v.clo'
	is "$("$OL" info $T/cl.$v.clo | grep -c '^clone ')" 3 "$v clo: info lists 3 clones"
	ok "$v: a rewritten program is rewritten again" eval \
		'"$OL" rewrite --layout $T/rev.lay -o $T/cl.$v.again $T/cl.$v.clo &&
		 "$OL" verify $T/cl.$v.again && cmp -s $T/got.$v.clo <($T/cl.$v.again)'
	# demangling off: gdb shows a symbol without DWARF as leaf.clone[P]
	bt=$(gdb -q -batch -ex 'set print demangle off' -ex 'break leaf.clone.P' -ex run -ex bt $T/cl.$v.clo 2>&1 | grep '^#')
	ok "$v: gdb backtrace through clones" eval \
		'grep -qF " leaf.clone.P (" <<<"$bt" && grep -qF " mid.clone.P (" <<<"$bt" &&
		 grep -qF " top.clone.P (" <<<"$bt" && grep -qF " main (" <<<"$bt"'
done

# bad input: one line on stderr, exit 1, no output left behind
gcc -O2 -ffunction-sections -o $T/norel $SRC/cl.c -Itools/olayout || bail_out "cannot build $SRC/cl.c (no relocs)"
printf 'olayout-layout 1\nplace main\n' > $T/m.lay
bad() { # bad EXE LAYOUT WHAT MESSAGE
	local want=$4
	"$OL" rewrite --layout "$2" -o $T/out "$1" 2> $T/err
	is $? 1 "$3: exit 1"
	ok "$3: one line naming the problem" eval '[ "$(wc -l < $T/err)" = 1 ] && grep -qF -- "$want" $T/err'
	ok "$3: no output file" eval '[ ! -e $T/out ] && ! ls $T | grep -q out.tmp'
}
bad $T/norel $T/m.lay "no --emit-relocs" "relink with -Wl,--emit-relocs"
echo "hello" > $T/text
bad $T/text $T/m.lay "not ELF" "not an ELF file"
head -c 3000 $T/cl.pie > $T/trunc
bad $T/trunc $T/m.lay "truncated" "olayout: $T/trunc: "
printf 'olayout-layout 1\nplace nosuchfn\n' > $T/u.lay
bad $T/cl.pie $T/u.lay "unknown name" "u.lay:2: unknown function"
printf 'olayout-layout 1\nplace top align=131072\n' > $T/a.lay
bad $T/cl.pie $T/a.lay "alignment above 64 KiB" "a.lay:2: alignment '131072' is not a power of 2 up to 65536"
printf 'olayout-layout 1\nfrobnicate main\n' > $T/b.lay
"$OL" rewrite --layout $T/b.lay -o $T/out $T/cl.pie 2> $T/err
ok "bad directive: FILE:LINE" eval 'grep -q "b.lay:2: bad directive" $T/err && [ ! -e $T/out ]'
"$OL" 2> /dev/null
is $? 2 "no command: exit 2"
"$OL" rewrite -o 2> $T/err
rc=$?
ok "bad command line: exit 2, one line with the hint" eval \
	'[ $rc = 2 ] && [ "$(wc -l < $T/err)" = 1 ] && grep -q "(olayout rewrite --help)\$" $T/err'
# an output named as an input would destroy it: refused before anything is written
printf 'olayout-profile 1\n' > $T/p.prof
cp $T/cl.pie $T/keep.pie && cp $T/p.prof $T/keep.prof
"$OL" plan --strategy hfsort --profile $T/p.prof -o $T/cl.pie $T/cl.pie 2> $T/err
rc=$?
ok "plan -o EXE: exit 2, EXE kept" eval '[ $rc = 2 ] && grep -q "names EXE" $T/err && cmp -s $T/cl.pie $T/keep.pie'
"$OL" optimize --strategy hfsort --profile $T/p.prof --save-layout $T/p.prof -o $T/o2 $T/cl.pie 2> $T/err
rc=$?
ok "optimize --save-layout PROF: exit 2, PROF kept, no OUT" eval \
	'[ $rc = 2 ] && grep -q "names an input" $T/err && cmp -s $T/p.prof $T/keep.prof && [ ! -e $T/o2 ]'
# a layout that cannot be saved is found before an existing OUT is replaced
printf 'old\n' > $T/o3
"$OL" optimize --strategy hfsort --profile $T/keep.prof --save-layout $T/no/dir/l -o $T/o3 $T/cl.pie 2> $T/err
rc=$?
ok "optimize --save-layout in a missing folder: exit 1, OUT kept" eval \
	'[ $rc = 1 ] && grep -q "no/dir/l" $T/err && [ "$(cat $T/o3)" = old ]'
done_testing
