/*
 * pingapp.h - what udpping, tcpping and icmpping share: their flow between
 * testbed host 0 (the client) and host 1 (the server) on the in-process
 * wire or on the IPC kernel (-w), and their main.
 */
#ifndef XK_PINGAPP_H
#define XK_PINGAPP_H

#include "bench.h"

/*
 * Open the app's flow: if server is not NULL, make it ready to echo (listen);
 * if client is not NULL, open the client's session *s to server_ip.
 */
typedef int (*xk_ping_open_fn)(struct xk_app *server, struct xk_app *client, uint32_t server_ip,
			       xk_sess_t **s);

struct xk_ping_app {
	const char *prog;
	const char *top;		/* graph above the suite; NULL: testbed.h's */
	xk_ping_open_fn open;
	/* optional: the paths the flow's sessions are opened for (xk_sess_bind_path) */
	const char *send_path, *recv_path;
	/* -t given: run over a TAP device; NULL: the app refuses -t */
	int (*tap)(const struct xk_bench_opts *o);
	/* registers more protocols on each host (testbed.h); NULL: none */
	int (*reg)(xk_host_t *h);
	size_t max_bytes;		/* -b's limit (XK_BENCH_MAX_BYTES at most); 0: 1 byte, no -b */
	bool null;			/* null round trips (0 bytes) unless -b; else 1 byte */
	const struct xk_ping_app *eth;	/* -e: the same flow straight over ETH; NULL: no -e */
};

/* Parse argv, run the round trips, report; the process's exit status. */
int xk_ping_app_main(int argc, char **argv, const struct xk_ping_app *a);

#endif
