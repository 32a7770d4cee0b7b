/* rpc.c - registering the suite, procedure numbers as participants. */
#include "rpc_impl.h"

int rpc_register(xk_host_t *h, const struct rpc_config *cfg)
{
	const struct {
		const char *name;
		xk_init_fn init;
	} suite[] = {
		{ "blast", rpc_blast_init },
		{ "bid", rpc_bid_init },
		{ "chan", rpc_chan_init },
		{ "vchan", rpc_vchan_init },
		{ "select", rpc_select_init },
	};

	for (size_t i = 0; i < sizeof suite / sizeof suite[0]; i++) {
		int err = xk_register(h, suite[i].name, suite[i].init, (void *)cfg);

		if (err)
			return err;
	}
	return 0;
}

int rpc_part_push_proc(struct xk_part *p, uint16_t proc)
{
	return xk_part_push_port(p, proc);
}

int rpc_part_pop_proc(struct xk_part *p, uint16_t *proc)
{
	return xk_part_pop_port(p, proc);
}
