/* rpc_app.c - the RPC suite under the harness's echo app; see rpc_app.h. */
#include "eth.h"
#include "rpc_app.h"

int rpc_app_reg(xk_host_t *h)
{
	static const struct rpc_config fixed = { .boot_id = 1 };

	return rpc_register(h, &fixed);
}

int rpc_app_reg_clock(xk_host_t *h)
{
	return rpc_register(h, NULL);
}

void rpc_app_serve_null(struct xk_app *app, xk_sess_t *lls, const msg_t *m)
{
	msg_t r;
	void *none;

	if (msg_len(m))
		return;
	if (msg_alloc(xk_host_pool(app->proto->host), &r, 0, &none) || xk_push(lls, &r) < 0)
		app->failed++;	/* not sent now */
}

/*
 * A call's end at the client: a null reply and a failed call both come up
 * empty, so every end is checked by SELECT's status (0: the reply named the
 * call's procedure, CHAN matched its sequence number).
 */
static void check_end(struct xk_app *app, xk_sess_t *lls, const msg_t *m)
{
	int status;

	(void)m;
	if (xk_sess_control(lls, RPC_CTL_STATUS, &status, sizeof status) != sizeof status || status)
		app->failed++;
}

/*
 * server (if not NULL) enables RPC_APP_PROC; client (if not NULL) opens *s
 * to remote's host. An on_recv the caller set (a test's) is kept.
 */
static int app_open(struct xk_app *server, struct xk_app *client, struct xk_part *remote, xk_sess_t **s)
{
	struct xk_parts parts = { 0 };
	int err;

	rpc_part_push_proc(&parts.local, RPC_APP_PROC);
	if (server && !server->on_recv)
		server->on_recv = rpc_app_serve_null;
	err = server ? xk_app_listen(server, "select", &parts) : 0;
	if (err || !client)
		return err;
	if (!client->on_recv)
		client->on_recv = check_end;
	xk_part_init(&parts.local);
	parts.remote = *remote;
	rpc_part_push_proc(&parts.remote, RPC_APP_PROC);
	return xk_app_open(client, "select", &parts, s);
}

int rpc_app_open(struct xk_app *server, struct xk_app *client, uint32_t server_ip, xk_sess_t **s)
{
	struct xk_part remote = { 0 };
	int err = xk_part_push_ip(&remote, server_ip);

	return err ? err : app_open(server, client, &remote, s);
}

/* The flow over ETH to the MAC 02:00:00:00:M4 and server_ip's last byte. */
static int open_mac(struct xk_app *server, struct xk_app *client, uint8_t m4, uint32_t server_ip,
		    xk_sess_t **s)
{
	const uint8_t mac[XK_ETH_ALEN] = { 0x02, 0, 0, 0, m4, (uint8_t)server_ip };
	struct xk_part remote = { 0 };
	int err = xk_part_push(&remote, mac, XK_ETH_ALEN);

	return err ? err : app_open(server, client, &remote, s);
}

int rpc_app_open_eth(struct xk_app *server, struct xk_app *client, uint32_t server_ip, xk_sess_t **s)
{
	return open_mac(server, client, 0, server_ip, s);
}

int rpc_app_open_eth_tap(struct xk_app *server, struct xk_app *client, uint32_t server_ip,
			 xk_sess_t **s)
{
	return open_mac(server, client, 0x77, server_ip, s);
}
