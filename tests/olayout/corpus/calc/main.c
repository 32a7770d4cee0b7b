#include <stdio.h>

#include "calc.h"

static const char *const exprs[] = {
	"1 + 2 * 3",
	"(1 + 2) * 3",
	"-(7 - 10) * (4 % 3)",
	"1 < 10 | 5 & 3",
	"123456 / 7 ^ 255",
	"((((2)))) * -(-(3)) + 100 > 2",
};

int main(void)
{
	struct calc_prog prog;
	long total = 0;

	for (unsigned i = 0; i < sizeof exprs / sizeof exprs[0]; i++) {
		int n = calc_parse(exprs[i], &prog);
		long v = calc_run(&prog);

		calc_say("%-32s = %ld (%d insns, first %s, last %s)", exprs[i], v, n,
			 calc_op_name(prog.code[0].op), calc_op_name(prog.code[n - 1].op));
		total += v;
	}
	calc_say("total %ld", total);
	calc_say("sum %ld", calc_sum(5, 1L, 2L, 3L, 40L, 500L));
	calc_say("gcd %ld %ld", calc_gcd(1071, 462), calc_gcd(-270, 192));
	calc_say("even(10001) %d odd(777) %d", calc_is_even(10001), calc_is_odd(777));
	return (int)(total & 0x3f);
}
