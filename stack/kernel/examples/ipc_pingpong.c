/*
 * ipc_pingpong.c - a quick check of the handoff: the null round trip
 * (call + return, no string) between two domains, in both modes.
 *
 *   ipc_pingpong [ROUND_TRIPS]
 *
 * Not a benchmark (bench/ipc/ measures properly): one sample per mode.
 */
#define _POSIX_C_SOURCE 200809L
#include "ipc.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

enum { PP_PING = 1, PP_STOP = 2 };

static double pp_now_us(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1e6 + ts.tv_nsec / 1e3;
}

static int pp_server(ipc_domain_t *self, void *arg)
{
	struct ipc_rcv r = { 0 };
	struct ipc_msg m = { 0 };
	int rc;

	(void)arg;
	for (rc = ipc_receive(self, &r, -1); rc == 0 && r.code != PP_STOP;
	     rc = ipc_return_receive(self, r.reply, &m, &r))
		;
	if (rc == 0)
		rc = ipc_send(self, r.reply, &m, 0);
	return rc;
}

static int pp_client(ipc_domain_t *self, void *arg)
{
	long n = *(const long *)arg;
	struct ipc_msg m = { .code = PP_PING };
	struct ipc_rcv r = { 0 };
	int rc = 0;

	for (long i = 0; rc == 0 && i < n / 10; i++)	/* warm up */
		rc = ipc_call(self, 0, &m, &r);
	double t0 = pp_now_us();
	for (long i = 0; rc == 0 && i < n; i++)
		rc = ipc_call(self, 0, &m, &r);
	double t1 = pp_now_us();
	m.code = PP_STOP;
	if (rc == 0)
		rc = ipc_call(self, 0, &m, &r);
	if (rc < 0) {
		fprintf(stderr, "ipc_pingpong: call: %s\n", ipc_strerror(rc));
		return 1;
	}
	printf("  null round trip: %.3f us (%ld round trips)\n", (t1 - t0) / n, n);
	return 0;
}

static int pp_run(enum ipc_mode mode, long n)
{
	struct ipc_config cfg = { .mode = mode };
	ipc_kernel_t *k;
	unsigned srv, cli, port;
	int rc = ipc_kernel_create(&k, &cfg);

	if (rc < 0)
		return rc;
	if ((rc = ipc_domain_create(k, "server", pp_server, NULL, &srv)) == 0 &&
	    (rc = ipc_domain_create(k, "client", pp_client, &n, &cli)) == 0 &&
	    (rc = ipc_port_create(k, srv, 1, &port)) == 0 &&
	    (rc = ipc_grant(k, cli, 0, port)) == 0)
		rc = ipc_kernel_run(k);
	ipc_kernel_destroy(k);
	return rc;
}

int main(int argc, char **argv)
{
	char *end = NULL;
	long n;

	if (argc == 2 && (strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0)) {
		printf("usage: ipc_pingpong [ROUND_TRIPS]   (default 200000; thread mode, then process mode)\n");
		return 0;
	}
	n = argc > 1 ? strtol(argv[1], &end, 10) : 200000;
	if (argc > 2 || (end && *end) || n <= 0) {
		fprintf(stderr, "ipc_pingpong: bad round-trip count '%s' (want a positive integer)\n",
			argc > 1 ? argv[1] : "");
		return 2;
	}
	static const struct { enum ipc_mode mode; const char *name; } modes[] = {
		{ IPC_MODE_THREAD, "thread" }, { IPC_MODE_PROCESS, "process" },
	};
	for (unsigned i = 0; i < 2; i++) {
		printf("%s mode:\n", modes[i].name);
		fflush(stdout);
		int rc = pp_run(modes[i].mode, n);
		if (rc < 0) {
			fprintf(stderr, "ipc_pingpong: %s mode: %s\n", modes[i].name, ipc_strerror(rc));
			return 1;
		}
	}
	return 0;
}
