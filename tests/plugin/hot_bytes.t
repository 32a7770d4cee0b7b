#!/usr/bin/env bash
# hot_bytes.t - plugin/hot_bytes.sh, the harness's hot-size figure, on a
# small program: the sum over the named functions' hot parts (a .cold part
# left out); a function the executable lacks is refused in one line on
# stderr, exit 1, never counted 0; with -m it counts 0 and is named.
. tests/plugin/lib.sh
H=plugin/hot_bytes.sh
cat >"$WORK/p.c" <<'C'
__attribute__((noinline)) int one(int x) { return x * 3 + 1; }
__attribute__((noinline)) int two(int x) { return one(x) ^ 5; }
int main(int argc, char **argv) { (void)argv; return two(argc) & 1; }
C
$CC -O2 -o "$WORK/p" "$WORK/p.c" || bail_out "cannot build p.c"
plan 9
a=$(fn_size "$WORK/p" one) b=$(fn_size "$WORK/p" two)
is "$($H "$WORK/p" one two)" $((a + b)) "one two: their nm sizes summed ($a + $b)"
rc=0 && $H "$WORK/p" one absent >"$WORK/out" 2>"$WORK/err" || rc=$?
is $rc 1 "a function the executable lacks: exit 1"
is "$(wc -l <"$WORK/err")" 1 "  one line on stderr: $(head -c 200 "$WORK/err")"
ok "  naming it" grep -q "no function absent" "$WORK/err"
ok "  and nothing on stdout (no 0 to read as a size)" test ! -s "$WORK/out"
is "$($H -m "$WORK/p" one absent 2>"$WORK/err")" "$a" "-m: it counts 0"
ok "  and is named on stderr" grep -q "no function absent (counted 0)" "$WORK/err"
rc=0 && $H -q "$WORK/p" one 2>"$WORK/err" || rc=$?
is "$rc $(wc -l <"$WORK/err")" "2 1" "an unknown option: exit 2, one line"
rc=0 && $H "$WORK/none" one 2>"$WORK/err" || rc=$?
is "$rc $(wc -l <"$WORK/err")" "1 1" "a missing EXE: exit 1, one line"
done_testing
