/*
 * rpcping - RPC round trips between a client and a server host through
 * select, chan, bid and blast over IP: each call carries 1 byte (-b BYTES:
 * up to 64 KiB), the server's procedure echoes it as the reply. Same options and report as
 * tcpping (stack/xkernel/apps/README.md); with -t TAPIF -p PEER_IP the
 * client runs on a TAP device and calls rpcserver there.
 */
#include "pingtap.h"
#include "rpc_app.h"

static int rpcping_tap(const struct xk_bench_opts *o)
{
	return xk_ping_tap_run("rpcping", o, RPC_APP_TOP, rpc_app_reg_clock, rpc_app_open);
}

int main(int argc, char **argv)
{
	static const struct xk_ping_app app = {
		.prog = "rpcping", .top = RPC_APP_TOP, .open = rpc_app_open, .reg = rpc_app_reg,
		.tap = rpcping_tap,
		.send_path = "rpc_call", .recv_path = "rpc_reply",	/* profiles/rpcping.prof */
		.max_bytes = RPC_MAX_MSG,
	};

	return xk_ping_app_main(argc, argv, &app);
}
