/* parse.c - recursive descent from a line to stack-machine code. */
#include <string.h>

#include "calc.h"

struct parser {
	struct lexer lx;
	struct insn *code;
	int n, max;
};

static int expr(struct parser *p);

static int emit(struct parser *p, enum op op, long arg)
{
	if (p->n == p->max)
		return calc_error("line too long", "");
	p->code[p->n++] = (struct insn){op, arg};
	return 0;
}

static int expect(struct parser *p, char op)
{
	if (p->lx.kind != T_OP || p->lx.op != op) {
		char want[2] = {op, '\0'};
		return calc_error("expected", want);
	}
	return lex_next(&p->lx);
}

/* name(a[, b]): the builtins min, max, abs. */
static int call(struct parser *p, const char *name)
{
	static const struct { const char *name; enum op op; int args; } fns[] = {
		{"min", OP_MIN, 2}, {"max", OP_MAX, 2}, {"abs", OP_ABS, 1}};
	for (size_t i = 0; i < sizeof fns / sizeof fns[0]; i++) {
		if (strcmp(name, fns[i].name) != 0)
			continue;
		if (expect(p, '(') || expr(p))
			return -1;
		if (fns[i].args == 2 && (expect(p, ',') || expr(p)))
			return -1;
		return expect(p, ')') || emit(p, fns[i].op, 0);
	}
	return calc_error("unknown function", name);
}

static int primary(struct parser *p)
{
	if (p->lx.kind == T_NUM) {
		long v = p->lx.num;
		return lex_next(&p->lx) || emit(p, OP_PUSH, v);
	}
	if (p->lx.kind == T_NAME) {
		char name[sizeof p->lx.name];
		strcpy(name, p->lx.name);
		if (lex_next(&p->lx))
			return -1;
		if (p->lx.kind == T_OP && p->lx.op == '(')
			return call(p, name);
		if (name[1] != '\0' || name[0] < 'a' || name[0] > 'z')
			return calc_error("unknown variable", name);
		return emit(p, OP_LOAD, name[0] - 'a');
	}
	if (p->lx.kind == T_OP && p->lx.op == '-')
		return lex_next(&p->lx) || primary(p) || emit(p, OP_NEG, 0);
	if (p->lx.kind == T_OP && p->lx.op == '(')
		return lex_next(&p->lx) || expr(p) || expect(p, ')');
	return calc_error("expected a number, a name or (", "");
}

static int term(struct parser *p)
{
	if (primary(p))
		return -1;
	while (p->lx.kind == T_OP && strchr("*/%", p->lx.op)) {
		char op = p->lx.op;
		if (lex_next(&p->lx) || primary(p) ||
		    emit(p, op == '*' ? OP_MUL : op == '/' ? OP_DIV : OP_MOD, 0))
			return -1;
	}
	return 0;
}

static int expr(struct parser *p)
{
	if (term(p))
		return -1;
	while (p->lx.kind == T_OP && (p->lx.op == '+' || p->lx.op == '-')) {
		char op = p->lx.op;
		if (lex_next(&p->lx) || term(p) || emit(p, op == '+' ? OP_ADD : OP_SUB, 0))
			return -1;
	}
	return 0;
}

int parse_line(const char *line, struct insn *code, int max)
{
	struct parser p = {.lx = {.p = line}, .code = code, .max = max - 1};
	const char *eq = strchr(line, '=');
	long var = -1;
	if (eq) { /* x = expr */
		if (lex_next(&p.lx) || p.lx.kind != T_NAME || p.lx.name[1] || lex_next(&p.lx) ||
		    expect(&p, '='))
			return calc_error("expected a variable before =", "");
		var = line[strspn(line, " \t")] - 'a';
	} else if (lex_next(&p.lx)) {
		return -1;
	}
	if (p.lx.kind == T_END && var < 0) {
		code[0].op = OP_END;
		return 0;
	}
	if (expr(&p))
		return -1;
	if (p.lx.kind != T_END)
		return calc_error("unexpected text after the expression", p.lx.p);
	if (var >= 0 ? emit(&p, OP_STORE, var) : emit(&p, OP_PRINT, 0))
		return -1;
	code[p.n].op = OP_END;
	return 0;
}
