/*
 * tcp_cookie.c - SYN cookies (RFC 4987 3.6). When a listened port's backlog
 * of half-open connections is full, the SYN-ACK's sequence number carries what
 * the connection needs and TCP keeps nothing; the ACK completing the handshake
 * brings it back (tcp_input.c makes the connection then). The ISS holds 5 bits
 * of a 64-second clock, 3 bits of the MSS (rounded down to a table, as Linux),
 * and 24 bits of a keyed hash of the addresses, ports, the peer's ISN and the
 * clock: a cookie is good for 64 to 128 s. The hash is a keyed mix, not a
 * cryptographic MAC (the stack's ISNs are predictable anyway: choose_iss).
 * Rare by nature: out of line and cold.
 */
#include "tcp_tcb.h"

#define COOKIE_SLOT_NS	(64ull * 1000000000ull)

static const uint16_t cookie_mss[8] = { 536, 1200, 1300, 1400, 1440, 1452, 1460, 8960 };

__attribute__((cold)) void tcp_cookie_init(struct tcp_proto *tp)
{
	/* the start time (real on a real clock) and where the state lives (ASLR) */
	tp->cookie_secret = (xk_now(tp->self->host) ^ (uint64_t)(uintptr_t)tp) * 0x9e3779b97f4a7c15ull;
}

static uint32_t cookie_hash(const struct tcp_proto *tp, const struct tcp_key *k, uint32_t irs,
			    uint32_t slot)
{
	const uint32_t w[5] = { k->lip, k->rip, (uint32_t)k->lport << 16 | k->rport, irs, slot };
	uint64_t x = tp->cookie_secret;

	for (unsigned i = 0; i < 5; i++) {
		x = (x ^ w[i]) * 0xbf58476d1ce4e5b9ull;
		x ^= x >> 31;
	}
	return (uint32_t)(x >> 40);	/* 24 bits */
}

static uint32_t cookie_make(const struct tcp_proto *tp, const struct tcp_key *k, uint32_t irs,
			    unsigned mss_idx, uint32_t slot)
{
	return (slot % 32) << 27 | mss_idx << 24 | cookie_hash(tp, k, irs, slot);
}

__attribute__((cold, noinline)) int tcp_cookie_synack(struct tcp_proto *tp, xk_sess_t *lls,
						      const struct xk_ip_pseudohdr *ph,
						      const struct tcp_key *key, const struct tcp_hdr *syn)
{
	uint16_t mss = syn->mss ? syn->mss : TCP_MSS_DEFAULT, my_mss = tcp_my_mss(lls);
	uint32_t slot = (uint32_t)(xk_now(tp->self->host) / COOKIE_SLOT_NS);
	unsigned i = 7;
	struct tcp_hdr h = {
		.sport = key->lport, .dport = key->rport, .ack = syn->seq + 1,
		.flags = TCP_SYN | TCP_ACK, .win = TCP_WIN_MAX, .mss = my_mss,
	};

	if (my_mss < mss)
		mss = my_mss;
	while (i > 0 && cookie_mss[i] > mss)
		i--;
	h.seq = cookie_make(tp, key, syn->seq, i, slot);
	tp->st.syn_cookies_sent++;
	return tcp_send_bare(tp, lls, ph, &h);
}

__attribute__((cold, noinline)) uint16_t tcp_cookie_check(const struct tcp_proto *tp,
							  const struct tcp_key *key,
							  const struct tcp_hdr *ack, uint64_t now)
{
	uint32_t cookie = ack->ack - 1, slot = (uint32_t)(now / COOKIE_SLOT_NS);

	for (uint32_t age = 0; age < 2 && age <= slot; age++) {
		unsigned i = cookie >> 24 & 7;

		if (cookie == cookie_make(tp, key, ack->seq - 1, i, slot - age))
			return cookie_mss[i];
	}
	return 0;
}
