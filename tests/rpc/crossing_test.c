/*
 * crossing_test - every layer crossing of one RPC goes through the
 * operation pointers (tests/xkernel/crossing.h): push down app -> select ->
 * chan -> bid -> blast -> ip -> eth -> wire, demux up eth -> ip -> blast ->
 * bid -> chan -> select -> app, each session's pop between, exactly once per
 * direction on each host.
 */
#include "crossing.h"
#include "rpc_app.h"

static int open_rpc(struct xk_testbed *tb, xk_sess_t **cs)
{
	return rpc_app_open(&tb->app[1], &tb->app[0], XK_TESTBED_IP(1), cs);
}

int main(void)
{
	static const char *const rpc[] = { "wire", "eth", "ip", "blast", "bid", "chan", "select", "app" };
	const struct crossing_path path = { "rpc", rpc, 8, RPC_APP_TOP, rpc_app_reg, open_rpc };

	tap_plan(crossing_ntests(&path));
	crossing_check(&path);
	return tap_done();
}
