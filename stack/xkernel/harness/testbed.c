/* testbed.c - two hosts on one in-process wire. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "suite.h"
#include "testbed.h"

void xk_testbed_config(int i, struct xk_host_config *cfg)
{
	*cfg = (struct xk_host_config){
		.name = i ? "host1" : "host0",
		.mac = { 0x02, 0, 0, 0, 0, (uint8_t)(i + 1) },
		.ip = XK_TESTBED_IP(i),
	};
}

int xk_testbed_host(xk_host_t **hp, const struct xk_host_config *cfg, struct xk_app *app,
		    const char *driver, xk_init_fn drv_init, void *drv_arg, const char *top,
		    int (*reg)(xk_host_t *h))
{
	char graph[1024], err[160];
	int rc, n;

	*hp = NULL;
	n = snprintf(graph, sizeof graph, "%s\neth %s\n%s%s", driver, driver, XK_GRAPH_INET,
		     top ? top : XK_TESTBED_TOP);
	if (n < 0 || (size_t)n >= sizeof graph)
		return -E2BIG;
	rc = xk_host_create(hp, cfg);
	if (!rc)
		rc = xk_register_suite(*hp);
	if (!rc)
		rc = xk_register(*hp, driver, drv_init, drv_arg);
	if (!rc)
		rc = xk_register(*hp, "app", xk_app_init, app);
	if (!rc && reg)
		rc = reg(*hp);
	if (!rc) {
		rc = xk_graph_build(*hp, graph, err, sizeof err);
		if (rc)
			fprintf(stderr, "testbed: %s: %s\n", cfg->name, err);
	}
	if (rc) {
		xk_host_destroy(*hp);
		*hp = NULL;
	}
	return rc;
}

int xk_testbed_create(struct xk_testbed *tb, const struct xk_wire_impair *imp,
		      const char *top, int (*reg)(xk_host_t *h))
{
	return xk_testbed_create_mtu(tb, imp, top, reg, NULL);
}

int xk_testbed_create_mtu(struct xk_testbed *tb, const struct xk_wire_impair *imp,
			  const char *top, int (*reg)(xk_host_t *h), const uint16_t mtu[2])
{
	int rc;

	memset(tb, 0, sizeof *tb);
	tb->app[1].echo = true;
	rc = xk_wire_create(&tb->wire, imp);
	for (int i = 0; i < 2 && !rc; i++) {
		struct xk_host_config cfg;

		xk_testbed_config(i, &cfg);
		cfg.mtu = mtu ? mtu[i] : 0;
		rc = xk_testbed_host(&tb->host[i], &cfg, &tb->app[i], "wire", xk_wire_init, tb->wire,
				     top, reg);
	}
	if (rc)
		xk_testbed_destroy(tb);
	return rc;
}

size_t xk_testbed_destroy(struct xk_testbed *tb)
{
	size_t leaked = 0;

	for (int i = 0; i < 2; i++) {
		leaked += xk_host_destroy(tb->host[i]);
		tb->host[i] = NULL;
	}
	xk_wire_destroy(tb->wire);
	tb->wire = NULL;
	return leaked;
}

int xk_testbed_leaks(const char *who, size_t leaked, int err)
{
	if (!leaked)
		return err;
	fprintf(stderr, "%s: %zu message buffers outstanding at host teardown (a leak)\n", who, leaked);
	return err ? err : -EBUSY;
}

xk_proto_t *xk_testbed_proto(struct xk_testbed *tb, int i, const char *name)
{
	return xk_proto_find(tb->host[i], name);
}
