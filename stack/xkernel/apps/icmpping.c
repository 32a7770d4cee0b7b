/*
 * icmpping - ICMP echo round trips from our stack: to a second host of ours
 * (-w inproc|thread|process) or to a peer over a TAP device (-t TAPIF -p IP,
 * e.g. Linux in the interop test). Same options and report as udpping.
 */
#include "pingtap.h"
#include "testbed.h"

#define ICMPPING_ID	0x4b58

/* The server's ICMP answers by itself; the client opens an echo session to the peer. */
static int icmpping_open(struct xk_app *server, struct xk_app *client, uint32_t peer, xk_sess_t **s)
{
	struct xk_parts parts = { 0 };

	(void)server;
	if (!client)
		return 0;
	xk_part_push_ip(&parts.remote, peer);
	xk_part_push_port(&parts.local, ICMPPING_ID);
	return xk_app_open(client, "icmp", &parts, s);
}

static int icmpping_tap(const struct xk_bench_opts *o)
{
	return xk_ping_tap_run("icmpping", o, NULL, NULL, icmpping_open);
}

int main(int argc, char **argv)
{
	static const struct xk_ping_app app = { .prog = "icmpping", .open = icmpping_open, .tap = icmpping_tap };

	return xk_ping_app_main(argc, argv, &app);
}
