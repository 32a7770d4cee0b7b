/* pathcold.c - a path whose root gets a helper inlined by GCC's IPA
   inliner (a static function called once, too big for the early inliner),
   whose error branch never ran in training (tests/plugin/path_cold.t). */
#include <stdio.h>
#include <stdlib.h>

struct msg {
	int len;
	int sum;
	char buf[64];
};

/* A helper, no layer: checks and sums the message. */
static int check_msg(struct msg *m)
{
	if (m->len < 0 || m->len > (int)sizeof m->buf) {
		fprintf(stderr, "check_msg: bad length %d (sum %d)\n", m->len, m->sum); /* COLD-LINE */
		return -1;
	}
	int sum = 0;
	for (int i = 0; i < m->len; i++)
		sum = sum * 31 + m->buf[i];
	m->sum = sum;
	return 0;
}

int low_push(struct msg *m)
{
	return m->sum ^ m->len;
}

int (*volatile lower)(struct msg *) = low_push;

/* The path's root: it crosses to low_push through a pointer. */
__attribute__((noinline)) int app_send(struct msg *m)
{
	if (check_msg(m))
		return -1;
	return lower(m);
}

int main(int argc, char **argv)
{
	int n = argc > 1 ? atoi(argv[1]) : 10, total = 0;
	struct msg m = {0};
	for (int i = 0; i < n; i++) {
		m.len = i % 60;
		m.buf[i % 64] = (char)i;
		total += app_send(&m);
	}
	printf("%d\n", total);
	return 0;
}
