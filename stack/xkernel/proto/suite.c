/* suite.c - registers the bundled protocols through the framework's xk_register. */
#include <stddef.h>

#include "suite.h"
#include "tcp.h"

int xk_register_suite(xk_host_t *h)
{
	static const struct {
		const char *name;
		xk_init_fn init;
	} suite[] = {
		{ "eth", xk_eth_init },
		{ "arp", xk_arp_init },
		{ "ip", xk_ip_init },
		{ "icmp", xk_icmp_init },
		{ "udp", xk_udp_init },
		{ "tcp", xk_tcp_init },
	};

	for (size_t i = 0; i < sizeof suite / sizeof suite[0]; i++) {
		int err = xk_register(h, suite[i].name, suite[i].init, NULL);

		if (err)
			return err;
	}
	return 0;
}
