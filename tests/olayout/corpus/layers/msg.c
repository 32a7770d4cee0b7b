#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "layers.h"

void layers_die(const struct proto *p, const char *why)
{
	fprintf(stderr, "layers: %s: %s\n", p->ops->name, why);
	exit(4);
}

void msg_init(struct msg *m, const char *payload)
{
	size_t n = strlen(payload);

	m->off = MSG_ROOM - (int)n;
	m->end = MSG_ROOM;
	memcpy(m->buf + m->off, payload, n);
}

unsigned char *msg_push_header(const struct proto *p, struct msg *m, int len)
{
	if (m->off < len)
		layers_die(p, "no headroom");
	m->off -= len;
	return m->buf + m->off;
}

unsigned char *msg_pop_header(const struct proto *p, struct msg *m, int len)
{
	unsigned char *h = m->buf + m->off;

	if (m->end - m->off < len)
		layers_die(p, "short message");
	m->off += len;
	return h;
}

unsigned msg_sum(const struct msg *m)
{
	unsigned s = 0;

	for (int i = m->off; i < m->end; i++)
		s = s * 31 + m->buf[i];
	return s;
}

/* Generic layer crossings through the ops table (tail calls via pointers). */
int proto_push(struct proto *p, struct msg *m)
{
	if (p->below == NULL)
		layers_die(p, "nothing below");
	return p->below->ops->push(p->below, m);
}

int proto_pop(struct proto *p, struct msg *m)
{
	if (p->above == NULL)
		layers_die(p, "nothing above");
	return p->above->ops->pop(p->above, m);
}
