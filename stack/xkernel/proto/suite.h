/*
 * suite.h - the bundled TCP/IP suite: its protocols' init functions, one
 * call that registers them all on a host, and its graph text.
 *
 *   xk_register(h, "wire", xk_wire_init, w);     the driver
 *   xk_register_suite(h);                         eth arp ip icmp udp tcp
 *   xk_graph_build(h, XK_GRAPH_SUITE("wire") "tcp ip/6\n", err, sizeof err);
 *
 * Registering does not place a protocol in the graph: the graph text does.
 */
#ifndef XK_SUITE_H
#define XK_SUITE_H

#include "xk.h"

int xk_eth_init(xk_proto_t *p, void *arg);
int xk_arp_init(xk_proto_t *p, void *arg);
int xk_ip_init(xk_proto_t *p, void *arg);
int xk_icmp_init(xk_proto_t *p, void *arg);
int xk_udp_init(xk_proto_t *p, void *arg);

/* Register the whole suite (eth, arp, ip, icmp, udp, tcp) with xk_register. */
int xk_register_suite(xk_host_t *h);

/* The suite's graph above ETH, and the whole graph over a given driver (no TCP). */
#define XK_GRAPH_INET			\
	"arp  eth/0x0806\n"		\
	"ip   eth/0x0800 arp\n"		\
	"icmp ip/1\n"			\
	"udp  ip/17\n"
#define XK_GRAPH_SUITE(driver)		\
	driver "\n"			\
	"eth  " driver "\n"		\
	XK_GRAPH_INET

#endif
