/* helper.c - a path (send_path -> layer_push, through a pointer) whose
   layer calls a helper, peek, on every run; peek's gather branch never ran
   in training (a cold-line), and GCC's IPA inliner copies gather (static
   inline, too big for the early inliner) into it. The layer also calls
   cksum, a library function, on every run (tests/plugin/helper.t). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct msg {
	unsigned len;	     /* bytes in the message */
	unsigned seglen;     /* bytes in its first segment */
	unsigned char *seg;  /* the first segment */
	unsigned char *rest; /* the others, one after the other */
	unsigned peeks, last, flags, gathered;
	unsigned char store[256];
};

/* Copies the first n bytes into store, the first segment's and the next
   ones', and makes them the first segment. */
static inline unsigned char *gather(struct msg *m, unsigned n)
{
	unsigned have = m->seglen < n ? m->seglen : n;
	if (n > sizeof m->store)
		return NULL;
	for (unsigned i = 0; i < have; i++)
		m->store[i] = m->seg[i];
	for (unsigned i = have; i < n; i++)
		m->store[i] = m->rest[i - have];
	m->rest += n - have;
	m->seg = m->store;
	m->seglen = n;
	m->gathered++;
	return m->seg;
}

/* The first n bytes of m in one piece, or NULL; counts the peeks and
   notes a header that starts as IPv4's. */
unsigned char *peek(struct msg *m, unsigned n)
{
	if (n == 0 || n > m->len)
		return NULL;
	if (m->seglen >= n) {
		m->peeks++;
		m->last = n;
		if (m->seg[0] == 0x45 && m->seg[n - 1] != 0)
			m->flags |= 1;
		else if (m->seg[0] == 0x60)
			m->flags |= 2;
		return m->seg;
	}
	return gather(m, n); /* GATHER-LINE */
}

/* The library: a checksum every layer may use. */
__attribute__((noinline)) unsigned cksum(const unsigned char *p, unsigned n)
{
	unsigned s = 0;
	for (unsigned i = 0; i < n; i++)
		s = s * 31 + p[i];
	return s;
}

int layer_push(struct msg *m)
{
	unsigned char *h = peek(m, 20);
	return h ? (int)(cksum(h, 20) & 0xffff) : -1;
}

int (*volatile lower)(struct msg *) = layer_push;

/* The path's root: it crosses to layer_push through a pointer. */
__attribute__((noinline)) int send_path(struct msg *m)
{
	m->len += 4;
	return lower(m);
}

/* Another user of peek, off the path. */
__attribute__((noinline)) int other_user(struct msg *m)
{
	unsigned char *h = peek(m, 40);
	return h ? h[39] : -1;
}

int main(int argc, char **argv)
{
	int n = argc > 1 ? atoi(argv[1]) : 10;
	long total = 0;
	static unsigned char data[512];
	for (int i = 0; i < n; i++) {
		struct msg m = { .len = 60, .seglen = 60, .seg = data, .rest = data + 60 };
		data[i % 512] = (unsigned char)i;
		if (i == n - 1) /* one message in two segments, after training's runs */
			m.seglen = argc > 2 ? 10 : 60;
		total += send_path(&m) + other_user(&m);
	}
	printf("%ld\n", total);
	return 0;
}
