/* calc: a tiny expression parser and stack VM (switch jump tables,
 * recursion, tail calls, varargs, .cold fragments). */
#ifndef CALC_H
#define CALC_H

enum calc_op {
	OP_PUSH, OP_ADD, OP_SUB, OP_MUL, OP_DIV, OP_MOD, OP_NEG, OP_DUP,
	OP_SWAP, OP_DROP, OP_SHL, OP_SHR, OP_AND, OP_OR, OP_XOR, OP_HALT,
};

struct calc_insn {
	enum calc_op op;
	long arg;
};

#define CALC_MAX_CODE 256

struct calc_prog {
	struct calc_insn code[CALC_MAX_CODE];
	int len;
};

__attribute__((noreturn, cold)) void calc_die(const char *fmt, ...);
void calc_say(const char *fmt, ...);
long calc_sum(int n, ...);
int calc_parse(const char *src, struct calc_prog *prog);
long calc_run(const struct calc_prog *prog);
const char *calc_op_name(enum calc_op op);
long calc_gcd(long a, long b);
int calc_is_even(unsigned n);
int calc_is_odd(unsigned n);

#endif
