/*
 * tcpping - TCP round trips between a client and a server host over one
 * connection (TCP_NODELAY): the client sends 1 byte, the server's app echoes
 * it. Same options and report as udpping (see README.md).
 */
#include "pingapp.h"

#define TCPPING_PORT	7

/* The server listens; the client connects (the handshake ends during the warm-up). */
static int tcpping_open(struct xk_app *server, struct xk_app *client, uint32_t server_ip,
			xk_sess_t **s)
{
	struct xk_parts parts = { 0 };
	int one = 1, err;

	xk_part_push_port(&parts.local, TCPPING_PORT);
	err = server ? xk_app_listen(server, "tcp", &parts) : 0;
	if (err || !client)
		return err;
	xk_part_init(&parts.local);
	xk_part_push_ip(&parts.remote, server_ip);
	xk_part_push_port(&parts.remote, TCPPING_PORT);
	err = xk_app_open(client, "tcp", &parts, s);
	if (!err && xk_sess_control(*s, XK_CTL_SET_NODELAY, &one, sizeof one) < 0) {
		xk_close(*s);
		err = -EOPNOTSUPP;
	}
	return err;
}

int main(int argc, char **argv)
{
	static const struct xk_ping_app app = {
		.prog = "tcpping", .top = "tcp ip/6\napp udp icmp tcp\n", .open = tcpping_open,
		.send_path = "tcp_send", .recv_path = "tcp_recv",	/* profiles/tcpping.prof */
	};

	return xk_ping_app_main(argc, argv, &app);
}
