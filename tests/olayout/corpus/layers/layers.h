/* layers: an x-kernel-like protocol stack. Messages go down by direct calls
 * (app_send -> udp_push -> ip_push -> eth_push -> wire_xmit: the path the
 * clone tests copy) and by pointers (proto_push through each layer's ops),
 * and come up only through the ops table (a vtable-like struct). */
#ifndef LAYERS_H
#define LAYERS_H

#include <stddef.h>

#define MSG_ROOM 256

struct msg {
	unsigned char buf[MSG_ROOM];
	int off; /* first used byte; headers are pushed in front of it */
	int end;
};

struct proto;

struct proto_ops {
	const char *name;
	int (*push)(struct proto *p, struct msg *m);
	int (*pop)(struct proto *p, struct msg *m);
};

struct proto {
	const struct proto_ops *ops;
	struct proto *below, *above;
	unsigned id;
	unsigned long pushed, popped;
};

extern const struct proto_ops app_ops, udp_ops, ip_ops, eth_ops, wire_ops;

__attribute__((noreturn, cold)) void layers_die(const struct proto *p, const char *why);
void msg_init(struct msg *m, const char *payload);
unsigned char *msg_push_header(const struct proto *p, struct msg *m, int len);
unsigned char *msg_pop_header(const struct proto *p, struct msg *m, int len);
unsigned msg_sum(const struct msg *m);

int app_send(struct proto *p, const char *text);
int udp_push(struct proto *p, struct msg *m);
int ip_push(struct proto *p, struct msg *m);
int eth_push(struct proto *p, struct msg *m);
int wire_xmit(struct proto *p, struct msg *m);
int proto_push(struct proto *p, struct msg *m);
int proto_pop(struct proto *p, struct msg *m);
int wire_deliver(struct proto *wire);

#endif
