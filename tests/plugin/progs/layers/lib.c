/* lib.c - the library: message tool and checksum, shared by every layer. */
#include <string.h>
#include "layers.h"

void msg_init(struct msg *m, const char *payload)
{
	int n = (int)strlen(payload);
	m->head = (int)sizeof m->data - n;
	m->len = n;
	memcpy(m->data + m->head, payload, (size_t)n);
}

int msg_push(struct msg *m, const void *hdr, int n)
{
	if (n > m->head)
		return -1;
	m->head -= n;
	m->len += n;
	memcpy(m->data + m->head, hdr, (size_t)n);
	return 0;
}

unsigned cksum(const struct msg *m, int from)
{
	unsigned s = 0;
	for (int i = m->head + from; i < m->head + m->len; i++)
		s = (s << 1 | s >> 31) ^ m->data[i];
	return s;
}
