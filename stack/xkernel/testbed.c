/* testbed.c - two hosts on one in-process wire. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "testbed.h"

static int testbed_host(struct xk_testbed *tb, int i, const char *top, int (*reg)(xk_host_t *h))
{
	struct xk_host_config cfg = {
		.name = i ? "host1" : "host0",
		.mac = { 0x02, 0, 0, 0, 0, (uint8_t)(i + 1) },
		.ip = XK_TESTBED_IP(i),
	};
	char graph[1024], err[160];
	int rc;

	rc = xk_host_create(&tb->host[i], &cfg);
	if (rc)
		return rc;
	rc = xk_register_suite(tb->host[i]);
	if (!rc)
		rc = xk_register(tb->host[i], "wire", xk_wire_init, tb->wire);
	if (!rc)
		rc = xk_register(tb->host[i], "app", xk_app_init, &tb->app[i]);
	if (!rc && reg)
		rc = reg(tb->host[i]);
	if (rc)
		return rc;
	if ((size_t)snprintf(graph, sizeof graph, "%s%s", XK_GRAPH_SUITE("wire"),
			     top ? top : XK_TESTBED_TOP) >= sizeof graph)
		return -E2BIG;
	rc = xk_graph_build(tb->host[i], graph, err, sizeof err);
	if (rc)
		fprintf(stderr, "testbed: %s: %s\n", cfg.name, err);
	return rc;
}

int xk_testbed_create(struct xk_testbed *tb, const struct xk_wire_impair *imp,
		      const char *top, int (*reg)(xk_host_t *h))
{
	int rc;

	memset(tb, 0, sizeof *tb);
	tb->app[1].echo = true;
	rc = xk_wire_create(&tb->wire, imp);
	for (int i = 0; i < 2 && !rc; i++)
		rc = testbed_host(tb, i, top, reg);
	if (rc)
		xk_testbed_destroy(tb);
	return rc;
}

void xk_testbed_destroy(struct xk_testbed *tb)
{
	for (int i = 0; i < 2; i++) {
		xk_host_destroy(tb->host[i]);
		tb->host[i] = NULL;
	}
	xk_wire_destroy(tb->wire);
	tb->wire = NULL;
}

xk_proto_t *xk_testbed_proto(struct xk_testbed *tb, int i, const char *name)
{
	return xk_proto_find(tb->host[i], name);
}
