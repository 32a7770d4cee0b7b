#include <stdio.h>
#include <string.h>

#include "layers.h"

int app_send(struct proto *p, const char *text)
{
	struct msg m;
	int r;

	msg_init(&m, text);
	r = udp_push(p->below, &m);
	p->pushed++;
	return r;
}

static int app_pop(struct proto *p, struct msg *m)
{
	p->popped++;
	printf("app: got %d bytes \"%.*s\" sum %08x\n", m->end - m->off,
	       m->end - m->off, (const char *)m->buf + m->off, msg_sum(m));
	return m->end - m->off;
}

static int app_push(struct proto *p, struct msg *m)
{
	p->pushed++;
	return proto_push(p, m);
}

const struct proto_ops app_ops = { "app", app_push, app_pop };
