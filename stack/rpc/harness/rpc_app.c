/* rpc_app.c - the RPC suite under the harness's echo app; see rpc_app.h. */
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

int rpc_app_open(struct xk_app *server, struct xk_app *client, uint32_t server_ip, xk_sess_t **s)
{
	struct xk_parts parts = { 0 };
	int err;

	rpc_part_push_proc(&parts.local, RPC_APP_PROC);
	err = server ? xk_app_listen(server, "select", &parts) : 0;
	if (err || !client)
		return err;
	xk_part_init(&parts.local);
	xk_part_push_ip(&parts.remote, server_ip);
	rpc_part_push_proc(&parts.remote, RPC_APP_PROC);
	return xk_app_open(client, "select", &parts, s);
}
