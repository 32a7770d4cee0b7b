/* Recursive descent: expr := term (('+'|'-'|'|'|'^') term)*,
 * term := unary (('*'|'/'|'%'|'&'|'<'|'>') unary)*, unary := '-' unary | atom. */
#include <ctype.h>

#include "calc.h"

struct parser {
	const char *s;
	struct calc_prog *prog;
};

static void emit(struct parser *p, enum calc_op op, long arg)
{
	if (p->prog->len >= CALC_MAX_CODE)
		calc_die("program too long");
	p->prog->code[p->prog->len].op = op;
	p->prog->code[p->prog->len].arg = arg;
	p->prog->len++;
}

static void skip_space(struct parser *p)
{
	while (isspace((unsigned char)*p->s))
		p->s++;
}

static void parse_expr(struct parser *p);

static void parse_unary(struct parser *p)
{
	skip_space(p);
	if (*p->s == '-') {
		p->s++;
		parse_unary(p);
		emit(p, OP_NEG, 0);
	} else if (*p->s == '(') {
		p->s++;
		parse_expr(p);
		skip_space(p);
		if (*p->s != ')')
			calc_die("expected ')' at '%s'", p->s);
		p->s++;
	} else if (isdigit((unsigned char)*p->s)) {
		long v = 0;

		while (isdigit((unsigned char)*p->s))
			v = v * 10 + (*p->s++ - '0');
		emit(p, OP_PUSH, v);
	} else {
		calc_die("unexpected '%c'", *p->s);
	}
}

/* A second dense switch over characters. */
static int binop(char c, int term)
{
	switch (c) {
	case '*': return term ? OP_MUL : -1;
	case '/': return term ? OP_DIV : -1;
	case '%': return term ? OP_MOD : -1;
	case '&': return term ? OP_AND : -1;
	case '<': return term ? OP_SHL : -1;
	case '>': return term ? OP_SHR : -1;
	case '+': return term ? -1 : OP_ADD;
	case '-': return term ? -1 : OP_SUB;
	case '|': return term ? -1 : OP_OR;
	case '^': return term ? -1 : OP_XOR;
	default: return -1;
	}
}

static void parse_term(struct parser *p)
{
	int op;

	parse_unary(p);
	for (skip_space(p); (op = binop(*p->s, 1)) >= 0; skip_space(p)) {
		p->s++;
		parse_unary(p);
		emit(p, (enum calc_op)op, 0);
	}
}

static void parse_expr(struct parser *p)
{
	int op;

	parse_term(p);
	for (skip_space(p); (op = binop(*p->s, 0)) >= 0; skip_space(p)) {
		p->s++;
		parse_term(p);
		emit(p, (enum calc_op)op, 0);
	}
}

int calc_parse(const char *src, struct calc_prog *prog)
{
	struct parser p = { src, prog };

	prog->len = 0;
	parse_expr(&p);
	skip_space(&p);
	if (*p.s != '\0')
		calc_die("trailing input '%s'", p.s);
	emit(&p, OP_HALT, 0);
	return prog->len;
}
