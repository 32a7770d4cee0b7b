/* graph.c - the protocol graph, built from its text description. */
#include <ctype.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "host.h"

#define GRAPH_LINE_MAX	256

static int graph_error(char *err, size_t errlen, int code, unsigned line, const char *fmt, ...)
{
	va_list ap;
	int n;

	if (!errlen)
		return code;
	n = snprintf(err, errlen, "graph line %u: ", line);
	va_start(ap, fmt);
	if (n >= 0 && (size_t)n < errlen)
		vsnprintf(err + n, errlen - (size_t)n, fmt, ap);
	va_end(ap);
	return code;
}

/* Split s at whitespace into at most max words (s is modified). */
static unsigned split_words(char *s, char **w, unsigned max)
{
	unsigned n = 0;

	for (;;) {
		while (isspace((unsigned char)*s))
			s++;
		if (!*s || n == max)
			return *s ? max + 1 : n;
		w[n++] = s;
		while (*s && !isspace((unsigned char)*s))
			s++;
		if (*s)
			*s++ = '\0';
	}
}

static int registry_find(const xk_host_t *h, const char *name)
{
	for (unsigned i = 0; i < h->nreg; i++)
		if (strcmp(h->reg[i].name, name) == 0)
			return (int)i;
	return -1;
}

/* One line: NAME [LOWER[/NUMBER]]... */
static int graph_line(xk_host_t *h, char *text, unsigned line, char *err, size_t errlen)
{
	char *w[1 + XK_MAX_DOWN];
	unsigned n = split_words(text, w, 1 + XK_MAX_DOWN);
	xk_proto_t *p;
	int reg, rc;

	if (n == 0)
		return 0;
	if (n > 1 + XK_MAX_DOWN)
		return graph_error(err, errlen, -E2BIG, line, "more than %d lower protocols", XK_MAX_DOWN);
	reg = registry_find(h, w[0]);
	if (reg < 0)
		return graph_error(err, errlen, -ENOENT, line, "no protocol '%s' registered", w[0]);
	if (xk_proto_find(h, w[0]))
		return graph_error(err, errlen, -EEXIST, line, "'%s' is already in the graph", w[0]);
	if (h->nproto == XK_MAX_PROTOS)
		return graph_error(err, errlen, -ENOMEM, line, "more than %d protocols", XK_MAX_PROTOS);
	p = calloc(1, sizeof *p);
	if (!p)
		return graph_error(err, errlen, -ENOMEM, line, "out of memory");
	strcpy(p->name, w[0]);
	p->host = h;
	for (unsigned i = 1; i < n; i++) {
		char *slash = strchr(w[i], '/'), *end;
		unsigned long num = 0;

		if (slash) {
			*slash = '\0';
			num = strtoul(slash + 1, &end, 0);
			if (end == slash + 1 || *end || num > UINT32_MAX) {
				free(p);
				return graph_error(err, errlen, -EINVAL, line, "bad number '%s'", slash + 1);
			}
		}
		p->down[p->ndown] = xk_proto_find(h, w[i]);
		if (!p->down[p->ndown]) {
			free(p);
			return graph_error(err, errlen, -ENOENT, line,
					   "lower protocol '%s' is not above this line", w[i]);
		}
		p->num[p->ndown++] = (uint32_t)num;
	}
	rc = h->reg[reg].init(p, h->reg[reg].arg);
	if (rc == 0 && !p->ops)
		rc = -EINVAL;
	if (rc) {
		free(p);
		return graph_error(err, errlen, rc, line, "%s: init failed: %s", w[0], xk_strerror(rc));
	}
	h->proto[h->nproto++] = p;
	return 0;
}

int xk_graph_build(xk_host_t *h, const char *text, char *err, size_t errlen)
{
	unsigned line = 0;

	if (errlen)
		err[0] = '\0';
	while (*text) {
		char buf[GRAPH_LINE_MAX];
		size_t len = strcspn(text, "\n");
		char *hash;
		int rc;

		line++;
		if (len >= sizeof buf)
			return graph_error(err, errlen, -E2BIG, line, "line too long");
		memcpy(buf, text, len);
		buf[len] = '\0';
		text += len + (text[len] == '\n');
		hash = strchr(buf, '#');
		if (hash)
			*hash = '\0';
		rc = graph_line(h, buf, line, err, errlen);
		if (rc)
			return rc;
	}
	return 0;
}
