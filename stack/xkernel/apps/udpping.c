/*
 * udpping - UDP round trips between a client and a server host: the client
 * sends 1 byte, the server's app echoes it. See README.md.
 */
#include "pingapp.h"

#define UDPPING_PORT	7

/* Both ends of the UDP flow: the server listens, the client opens. */
static int udpping_open(struct xk_app *server, struct xk_app *client, uint32_t server_ip,
			xk_sess_t **s)
{
	struct xk_parts parts = { 0 };
	int err;

	xk_part_push_port(&parts.local, UDPPING_PORT);
	err = server ? xk_app_listen(server, "udp", &parts) : 0;
	if (err || !client)
		return err;
	xk_part_push_ip(&parts.remote, server_ip);
	xk_part_push_port(&parts.remote, UDPPING_PORT);
	return xk_app_open(client, "udp", &parts, s);
}

int main(int argc, char **argv)
{
	static const struct xk_ping_app app = { .prog = "udpping", .open = udpping_open };

	return xk_ping_app_main(argc, argv, &app);
}
