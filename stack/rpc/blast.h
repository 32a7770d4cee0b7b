/*
 * blast.h - BLAST's private state, shared by blast.c (protocol, sending,
 * NACKs answered) and blast_recv.c (validation, reassembly, NACKs sent).
 *
 * Header (16 bytes, big-endian): type, nfrags, frag, 0, message id,
 * message length, checksum (Internet, over header and fragment), fragment
 * size (every fragment but the last carries exactly that many bytes).
 * A NACK carries the same fields and 8 bytes: the bitmap of missing fragments.
 */
#ifndef RPC_BLAST_H
#define RPC_BLAST_H

#include "rpc_impl.h"

#define BLAST_HDR_LEN	16
#define BLAST_MAX_FRAGS	64	/* the NACK bitmap's bits */
#define BLAST_SLOTS	4	/* messages held for NACKs, and reassemblies, per peer */
#define BLAST_HOLD_NS	(100ull * 1000 * 1000)	/* how long a sent message answers NACKs */
#define BLAST_NACK_NS	(2ull * 1000 * 1000)	/* quiet time before a reassembly NACKs */
#define BLAST_MAX_NACKS	4			/* then the reassembly only waits */

enum { BLAST_DATA = 1, BLAST_NACK = 2 };

struct blast_hdr {
	uint8_t type, nfrags, frag;
	uint32_t id, len;
	uint16_t fsz;
};

/* A multi-fragment message: held for NACKs (sending) or being reassembled. */
struct blast_slot {
	struct blast_hdr h;		/* h.frag unused */
	uint64_t have;			/* fragments held */
	unsigned nacks;
	struct xk_event ev;		/* sending: hold ends; receiving: NACK due */
	xk_sess_t *s;
	msg_t frag[BLAST_MAX_FRAGS];
};

struct blast_sess {
	uint32_t fsz;			/* fragment payload that fits the lower session's packet */
	uint32_t padded;		/* messages shorter than this arrive padded (ETH's minimum); 0 */
	uint32_t next_id;
	uint32_t last_done;		/* last message reassembled: its late fragments are dropped */
	unsigned next_send;
	struct blast_slot send[BLAST_SLOTS];
	struct blast_slot recv[BLAST_SLOTS];
};

struct blast_state {
	struct rpc_peers peers;		/* first: the rpc_peers operations take the state as theirs */
	struct rpc_blast_stats stats;
};

/* Push a header h and the fragment payload m (consumed) down s. */
int blast_send_frag(xk_sess_t *s, const struct blast_hdr *h, msg_t *m);
/* Free a slot's fragments and cancel its event. */
void blast_slot_release(xk_sess_t *s, struct blast_slot *sl);
/* A DATA fragment (header popped) came up session s. */
int blast_recv_data(xk_sess_t *s, const struct blast_hdr *h, msg_t *m);
void blast_nack_due(void *arg);

#endif
