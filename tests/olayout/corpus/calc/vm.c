#include "calc.h"

#define STACK_DEPTH 64

static const char *const op_names[] = {
	"push", "add", "sub", "mul", "div", "mod", "neg", "dup",
	"swap", "drop", "shl", "shr", "and", "or", "xor", "halt",
};

const char *calc_op_name(enum calc_op op)
{
	if ((unsigned)op >= sizeof op_names / sizeof op_names[0])
		calc_die("bad opcode %d", (int)op);
	return op_names[op];
}

/* A dense switch: GCC compiles it to a jump table. */
long calc_run(const struct calc_prog *prog)
{
	long st[STACK_DEPTH];
	int sp = 0;

	for (int pc = 0; pc < prog->len; pc++) {
		const struct calc_insn *in = &prog->code[pc];
		long t;

		if (sp >= STACK_DEPTH - 1)
			calc_die("stack overflow at %d", pc);
		if (in->op != OP_PUSH && in->op != OP_HALT && sp < 1)
			calc_die("stack underflow at %d", pc);
		switch (in->op) {
		case OP_PUSH: st[sp++] = in->arg; break;
		case OP_ADD: sp--; st[sp - 1] += st[sp]; break;
		case OP_SUB: sp--; st[sp - 1] -= st[sp]; break;
		case OP_MUL: sp--; st[sp - 1] *= st[sp]; break;
		case OP_DIV:
			sp--;
			if (st[sp] == 0)
				calc_die("division by zero at %d", pc);
			st[sp - 1] /= st[sp];
			break;
		case OP_MOD:
			sp--;
			if (st[sp] == 0)
				calc_die("modulo by zero at %d", pc);
			st[sp - 1] %= st[sp];
			break;
		case OP_NEG: st[sp - 1] = -st[sp - 1]; break;
		case OP_DUP: st[sp] = st[sp - 1]; sp++; break;
		case OP_SWAP: t = st[sp - 1]; st[sp - 1] = st[sp - 2]; st[sp - 2] = t; break;
		case OP_DROP: sp--; break;
		case OP_SHL: sp--; st[sp - 1] <<= st[sp] & 31; break;
		case OP_SHR: sp--; st[sp - 1] >>= st[sp] & 31; break;
		case OP_AND: sp--; st[sp - 1] &= st[sp]; break;
		case OP_OR: sp--; st[sp - 1] |= st[sp]; break;
		case OP_XOR: sp--; st[sp - 1] ^= st[sp]; break;
		case OP_HALT: return sp ? st[sp - 1] : 0;
		default: calc_die("bad opcode %d", (int)in->op);
		}
	}
	return sp ? st[sp - 1] : 0;
}
