/* vm.c - the stack machine: the loop the workload spends its time in. */
#include <stdio.h>

#include "calc.h"

#define STACK 64

int vm_run(const struct insn *code, long vars[26], int print)
{
	long st[STACK];
	int sp = 0;
	for (const struct insn *i = code;; i++) {
		if (sp > STACK - 2)
			return calc_error("expression too deep", "");
		switch (i->op) {
		case OP_PUSH: st[sp++] = i->arg; break;
		case OP_LOAD: st[sp++] = vars[i->arg]; break;
		case OP_STORE: vars[i->arg] = st[--sp]; break;
		case OP_ADD: sp--; st[sp - 1] += st[sp]; break;
		case OP_SUB: sp--; st[sp - 1] -= st[sp]; break;
		case OP_MUL: sp--; st[sp - 1] *= st[sp]; break;
		case OP_DIV:
		case OP_MOD:
			sp--;
			if (st[sp] == 0)
				return calc_error("division by zero", "");
			st[sp - 1] = i->op == OP_DIV ? st[sp - 1] / st[sp] : st[sp - 1] % st[sp];
			break;
		case OP_NEG: st[sp - 1] = -st[sp - 1]; break;
		case OP_MIN: sp--; st[sp - 1] = st[sp] < st[sp - 1] ? st[sp] : st[sp - 1]; break;
		case OP_MAX: sp--; st[sp - 1] = st[sp] > st[sp - 1] ? st[sp] : st[sp - 1]; break;
		case OP_ABS: st[sp - 1] = st[sp - 1] < 0 ? -st[sp - 1] : st[sp - 1]; break;
		case OP_PRINT:
			sp--;
			if (print)
				printf("%ld\n", st[sp]);
			break;
		case OP_END: return 0;
		}
	}
}
