/*
 * classify.c - the packet classifier's own cost per frame (xk_classify,
 * stack/xkernel/framework/classify.h), measured apart from the stack as
 * Mosberger et al. measure theirs (they quote 1 to 4 us for software
 * classifiers): with 1, 4 and 8 bound flows, a frame that matches the last
 * flow and a frame that matches none, ns per frame on this machine's clock.
 * Under callgrind (bench/xkernel/classify.sh) the loops' instructions per
 * frame are counted: CALLGRIND_START/STOP bracket each.
 *   xkclassify [-n FRAMES]
 */
#define _POSIX_C_SOURCE 200809L

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <valgrind/callgrind.h>

#include "bytes.h"
#include "classify.h"

#define FRAME_LEN	60

static int root(xk_proto_t *hlp, xk_sess_t *lls, msg_t *m)
{
	(void)hlp;
	(void)lls;
	(void)m;
	return 0;
}

/* A TCP frame (IPv4 without options) from 10.0.0.2:port to 10.0.0.1:7. */
static void make_frame(uint8_t *f, uint16_t port)
{
	memset(f, 0, FRAME_LEN);
	xk_put16(f + 12, 0x0800);
	f[14] = 0x45;
	f[23] = 6;
	xk_put32(f + 26, 0x0a000002u);
	xk_put32(f + 30, 0x0a000001u);
	xk_put16(f + 34, port);
	xk_put16(f + 36, 7);
}

static double now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec * 1e9 + (double)ts.tv_nsec;
}

/* ns per frame of n classifications of m; exits if the answer is not want. */
static double run(const struct xk_flows *c, const msg_t *m, unsigned long n, xk_demux_fn want)
{
	unsigned long hits = 0;
	double t0 = now_ns();

	CALLGRIND_START_INSTRUMENTATION;
	for (unsigned long i = 0; i < n; i++)
		hits += xk_classify(c, m) == want;
	CALLGRIND_STOP_INSTRUMENTATION;
	CALLGRIND_DUMP_STATS;	/* one dump per case: bench/xkernel/classify.sh reads them in order */
	if (hits != n) {
		fprintf(stderr, "xkclassify: wrong answer\n");
		exit(1);
	}
	return (now_ns() - t0) / (double)n;
}

int main(int argc, char **argv)
{
	static const unsigned nflows[] = { 1, 4, XK_FLOWS_MAX };
	unsigned long n = 10000000;
	xk_sess_t owner[XK_FLOWS_MAX];
	uint8_t frame[FRAME_LEN], key[XK_FLOW_KEY];
	msg_pool_t *pool;
	msg_t hit, miss;

	if (argc == 2 && (strcmp(argv[1], "-h") == 0 || strcmp(argv[1], "--help") == 0)) {
		printf("usage: xkclassify [-n FRAMES]\n");
		return 0;
	}
	if (argc == 3 && strcmp(argv[1], "-n") == 0 && atol(argv[2]) > 0) {
		n = (unsigned long)atol(argv[2]);
	} else if (argc != 1) {
		fprintf(stderr, "usage: xkclassify [-n FRAMES]\n");
		return 2;
	}
	if (msg_pool_create(&pool))
		return 1;
	make_frame(frame, 1000 + XK_FLOWS_MAX);
	if (msg_from(pool, &miss, frame, FRAME_LEN))
		return 1;
	for (unsigned k = 0; k < sizeof nflows / sizeof nflows[0]; k++) {
		struct xk_flows c = { 0 };

		memset(owner, 0, sizeof owner);
		for (unsigned i = 0; i < nflows[k]; i++) {
			xk_flow_key(key, 0x0800, 6, 0x0a000002u, 0x0a000001u, (uint16_t)(1000 + i), 7);
			xk_flows_bind(&c, &owner[i], key, root);
		}
		make_frame(frame, (uint16_t)(1000 + nflows[k] - 1));
		if (msg_from(pool, &hit, frame, FRAME_LEN))
			return 1;
		printf("xkclassify: %u flow%s: %.1f ns per frame matching the last, %.1f ns per frame matching none "
		       "(%lu frames each)\n", nflows[k], nflows[k] > 1 ? "s" : "", run(&c, &hit, n, root),
		       run(&c, &miss, n, NULL), n);
		msg_free(&hit);
	}
	msg_free(&miss);
	return msg_pool_destroy(pool) ? 1 : 0;
}
