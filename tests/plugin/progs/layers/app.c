/* app.c - the path's root: builds a message and pushes it down. */
#include "layers.h"

int app_send(struct layer *top, const char *payload)
{
	struct msg m;
	msg_init(&m, payload);
	int rc = top->push(top, &m);
	return rc < 0 ? rc : m.len;
}
