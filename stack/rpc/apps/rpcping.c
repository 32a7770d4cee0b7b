/*
 * rpcping - RPC round trips between a client and a server host through
 * select, chan, bid and blast over IP: each call carries 1 byte, the
 * server's procedure echoes it as the reply. Same options and report as
 * tcpping (stack/xkernel/apps/README.md).
 */
#include "pingapp.h"
#include "rpc_app.h"

int main(int argc, char **argv)
{
	static const struct xk_ping_app app = {
		.prog = "rpcping", .top = RPC_APP_TOP, .open = rpc_app_open, .reg = rpc_app_reg,
	};

	return xk_ping_app_main(argc, argv, &app);
}
