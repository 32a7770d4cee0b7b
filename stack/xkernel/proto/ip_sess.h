/* ip_sess.h - IPv4's internal pieces shared by ip.c and ip_frag.c (inside libxk). */
#ifndef XK_IP_SESS_H
#define XK_IP_SESS_H

#include "host.h"
#include "ip.h"
#include "map.h"

/* memory held by incomplete datagrams (payload and bookkeeping): past it the oldest go */
#define IP_REASM_BYTES	(256u * 1024u)

/* The fields of a received header that the layers above and reassembly use. */
struct ip_info {
	uint32_t src, dst;
	uint16_t id;
	uint8_t proto;
};

struct ip_reasm;

struct ip_state {
	uint32_t ip, mask;
	uint16_t mtu;
	uint16_t ident;		/* next datagram id */
	xk_map_t *active;	/* struct ip_key -> xk_sess_t */
	xk_map_t *enabled;	/* uint32_t protocol number -> hlp */
	struct ip_reasm *reasm;	/* datagrams being reassembled */
	size_t reasm_bytes;	/* their cost, as counted against IP_REASM_BYTES */
};

/* Deliver a whole datagram's payload to its session (ip.c). */
int ip_deliver(xk_proto_t *self, const struct ip_info *info, msg_t *m);
/* Add one fragment; delivers the datagram when it is complete (ip_frag.c). */
int ip_reassemble(xk_proto_t *self, const struct ip_info *info, uint32_t off, int more, msg_t *m);
void ip_reasm_destroy(xk_proto_t *self);

#endif
