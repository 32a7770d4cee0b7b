/*
 * crossing_test - every layer crossing of the TCP/IP suite goes through the
 * objects' operation pointers (crossing.h), over UDP and over TCP: push down
 * app -> udp/tcp -> ip -> eth -> wire, demux up wire -> eth -> ip ->
 * udp/tcp -> app, with the sessions' pop between.
 */
#include <string.h>

#include "crossing.h"

#define PORT	7

/* Both ends of a flow over `l4`: the server listens on PORT, the client opens (TCP: NODELAY). */
static int open_flow(struct xk_testbed *tb, const char *l4, xk_sess_t **cs)
{
	struct xk_parts parts = { 0 };
	int one = 1, err;

	xk_part_push_port(&parts.local, PORT);
	if ((err = xk_app_listen(&tb->app[1], l4, &parts)) < 0)
		return err;
	xk_part_init(&parts.local);
	xk_part_push_port(&parts.local, 5000);
	xk_part_push_ip(&parts.remote, XK_TESTBED_IP(1));
	xk_part_push_port(&parts.remote, PORT);
	if ((err = xk_app_open(&tb->app[0], l4, &parts, cs)) < 0)
		return err;
	return strcmp(l4, "tcp") ? 0 : xk_sess_control(*cs, XK_CTL_SET_NODELAY, &one, sizeof one) < 0;
}

static int open_udp(struct xk_testbed *tb, xk_sess_t **cs)
{
	return open_flow(tb, "udp", cs);
}

static int open_tcp(struct xk_testbed *tb, xk_sess_t **cs)
{
	return open_flow(tb, "tcp", cs);
}

int main(void)
{
	static const char *const udp[] = { "wire", "eth", "ip", "udp", "app" };
	static const char *const tcp[] = { "wire", "eth", "ip", "tcp", "app" };
	const struct crossing_path paths[] = {
		{ "udp", udp, 5, NULL, NULL, open_udp },
		{ "tcp", tcp, 5, "tcp ip/6\napp udp icmp tcp\n", NULL, open_tcp },
	};

	tap_plan(crossing_ntests(&paths[0]) + crossing_ntests(&paths[1]));
	for (size_t i = 0; i < sizeof paths / sizeof paths[0]; i++)
		crossing_check(&paths[i]);
	return tap_done();
}
