/*
 * rpcping - RPC round trips between a client and a server host through
 * select, chan, bid and blast over IP (-e: blast straight over ETH): null
 * calls, no argument and no result (-b BYTES: 0 to 64 KiB each way, the
 * server's procedure echoes the argument as the result); each call's end
 * is checked (rpc_app.h). Same options and report as tcpping
 * (stack/xkernel/apps/README.md); with -t TAPIF -p PEER_IP the client runs
 * on a TAP device and calls rpcserver there (rpcserver -e for -e).
 */
#include "pingtap.h"
#include "rpc_app.h"

static int rpcping_tap(const struct xk_bench_opts *o)
{
	return xk_ping_tap_run("rpcping", o, RPC_APP_TOP, rpc_app_reg_clock, rpc_app_open);
}

static int rpcping_tap_eth(const struct xk_bench_opts *o)
{
	return xk_ping_tap_run("rpcping -e", o, RPC_APP_TOP_ETH, rpc_app_reg_clock, rpc_app_open_eth_tap);
}

int main(int argc, char **argv)
{
	/* -e: no path of profiles/rpcping.prof, which names IP's layers */
	static const struct xk_ping_app eth = {
		.prog = "rpcping -e", .top = RPC_APP_TOP_ETH, .open = rpc_app_open_eth,
		.reg = rpc_app_reg, .tap = rpcping_tap_eth, .max_bytes = RPC_MAX_MSG, .null = true,
	};
	static const struct xk_ping_app app = {
		.prog = "rpcping", .top = RPC_APP_TOP, .open = rpc_app_open, .reg = rpc_app_reg,
		.tap = rpcping_tap,
		.send_path = "rpc_call", .recv_path = "rpc_reply",	/* profiles/rpcping.prof */
		.max_bytes = RPC_MAX_MSG, .null = true, .eth = &eth,
	};

	return xk_ping_app_main(argc, argv, &app);
}
