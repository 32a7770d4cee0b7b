/* main.c - wires the stack at run time and sends over every route. */
#include <stdio.h>
#include <stdlib.h>
#include "layers.h"

static struct layer tcp, udp, ip, eth;

static void wire(struct layer *l, const char *name, int (*push)(struct layer *, struct msg *),
		 struct layer *down, int id)
{
	l->name = name;
	l->push = push;
	l->down = down;
	l->id = id;
}

int main(int argc, char **argv)
{
	int n = argc > 1 ? atoi(argv[1]) : 100;
	wire(&eth, "eth", eth_push, NULL, 1);
	wire(&ip, "ip", ip_push, &eth, 6);
	wire(&tcp, "tcp", tcp_push, &ip, 0);
	wire(&udp, "udp", udp_push, &ip, 0);
	long total = 0;
	for (int i = 0; i < n; i++) {
		total += app_send(&tcp, i % 2 ? "GET / HTTP/1.0" : "hello, world");
		total += app_send(&udp, "query");
		if (i % 10 == 0)
			total += ip_forward(&ip, "forwarded");
	}
	printf("total %ld bytes %lu sum %lu\n", total, drv_bytes, drv_sum);
	printf("sent tcp %d udp %d ip %d eth %d\n", tcp.sent, udp.sent, ip.sent, eth.sent);
	return 0;
}
