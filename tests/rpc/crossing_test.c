/*
 * crossing_test - every layer crossing of one RPC goes through the
 * operation pointers (tests/xkernel/crossing.h): push down app -> select ->
 * chan -> bid -> blast -> ip -> eth -> wire, demux up eth -> ip -> blast ->
 * bid -> chan -> select -> app, each session's pop between, exactly once per
 * direction on each host. The same with BLAST straight over ETH (no ip).
 */
#include "crossing.h"
#include "rpc_app.h"

static int open_rpc(struct xk_testbed *tb, xk_sess_t **cs)
{
	return rpc_app_open(&tb->app[1], &tb->app[0], XK_TESTBED_IP(1), cs);
}

static int open_rpc_eth(struct xk_testbed *tb, xk_sess_t **cs)
{
	return rpc_app_open_eth(&tb->app[1], &tb->app[0], XK_TESTBED_IP(1), cs);
}

int main(void)
{
	static const char *const rpc[] = { "wire", "eth", "ip", "blast", "bid", "chan", "select", "app" };
	static const char *const rpc_eth[] = { "wire", "eth", "blast", "bid", "chan", "select", "app" };
	const struct crossing_path path = { "rpc", rpc, 8, RPC_APP_TOP, rpc_app_reg, open_rpc };
	const struct crossing_path eth = { "rpc over eth", rpc_eth, 7, RPC_APP_TOP_ETH, rpc_app_reg,
					   open_rpc_eth };

	tap_plan(crossing_ntests(&path) + crossing_ntests(&eth));
	crossing_check(&path);
	crossing_check(&eth);
	return tap_done();
}
