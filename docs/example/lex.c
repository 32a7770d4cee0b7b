/* lex.c - tokens: numbers, names (a builtin or a variable a..z), operators. */
#include <ctype.h>
#include <string.h>

#include "calc.h"

int lex_next(struct lexer *lx)
{
	while (*lx->p == ' ' || *lx->p == '\t')
		lx->p++;
	char c = *lx->p;
	if (c == '\0' || c == '\n' || c == '#') {
		lx->kind = T_END;
	} else if (isdigit((unsigned char)c)) {
		lx->kind = T_NUM;
		lx->num = 0;
		while (isdigit((unsigned char)*lx->p))
			lx->num = lx->num * 10 + (*lx->p++ - '0');
	} else if (isalpha((unsigned char)c)) {
		size_t n = 0;
		lx->kind = T_NAME;
		while (isalnum((unsigned char)*lx->p) && n < sizeof lx->name - 1)
			lx->name[n++] = *lx->p++;
		lx->name[n] = '\0';
	} else if (strchr("+-*/%()=,", c)) {
		lx->kind = T_OP;
		lx->op = *lx->p++;
	} else {
		char bad[2] = {c, '\0'};
		return calc_error("unexpected character", bad);
	}
	return 0;
}
