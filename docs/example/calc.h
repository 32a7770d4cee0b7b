/* calc.h - a small calculator language: lines of `x = expr` or `expr`,
 * compiled to a stack machine's code and run; the example of docs/guide.md. */
#ifndef CALC_H
#define CALC_H

enum op { OP_PUSH, OP_LOAD, OP_STORE, OP_ADD, OP_SUB, OP_MUL, OP_DIV, OP_MOD, OP_NEG,
	  OP_MIN, OP_MAX, OP_ABS, OP_PRINT, OP_END };

struct insn {
	enum op op;
	long arg;
};

enum tok { T_NUM, T_NAME, T_OP, T_END };

struct lexer {
	const char *p;
	enum tok kind;
	long num;
	char name[16];
	char op;
};

#define CALC_CODE 256

/* lex.c: the next token of the line into lx; -1 on a bad character. */
int lex_next(struct lexer *lx);
/* parse.c: one line into code (ending with OP_END); -1 with a message. */
int parse_line(const char *line, struct insn *code, int max);
/* vm.c: runs code on the variables a..z; -1 with a message. */
int vm_run(const struct insn *code, long vars[26], int print);
/* error.c: reports an error of the line being compiled or run; returns -1. */
int calc_error(const char *what, const char *detail);

#endif
