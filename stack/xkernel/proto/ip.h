/*
 * ip.h - IPv4 as the protocols above it see it (TCP, UDP, ICMP).
 *
 * An upper protocol sits on ip in the graph with its protocol number
 * ("tcp ip/6"). It then:
 *   - passively accepts traffic: xk_open_enable(ip, self, self, &parts) with
 *     parts.local empty (any local address). For each new remote host, IP makes
 *     a session and calls self's open_done(self, ip, lls, parts) (parts.remote
 *     holds the peer's IP address), then xk_demux(self, lls, m) with m starting
 *     at the upper header. The same lls is reused for later packets between the
 *     same two addresses; take a reference (xk_sess_ref) to keep it.
 *   - actively opens: parts.remote = { peer IP } (xk_part_push_ip), then
 *     xk_open(ip, self, self, &parts, &lls). xk_push(lls, m) sends m (starting
 *     at the upper header) to the peer, fragmenting if needed; xk_close(lls)
 *     drops the reference. Pushing before ARP has resolved the peer queues a
 *     little and sends when the reply comes.
 *   - checksums: xk_sess_control(lls, XK_CTL_IP_PSEUDOHDR, &ph, sizeof ph)
 *     fills the pseudo-header fields except len; then
 *     xk_ip_pseudo_csum(&ph, m) is the value to store in the checksum field
 *     (with the field zero in m), and 0 when verifying a received m whose field
 *     is filled in.
 *   - sizes: XK_CTL_GET_OPT_PACKET on lls gives the largest upper message that
 *     goes in one frame (MTU - 20): TCP's MSS is that minus its header.
 */
#ifndef XK_IP_H
#define XK_IP_H

#include <stdint.h>

#include "msg.h"

#define XK_IP_HDR_LEN	20

struct xk_ip_pseudohdr {
	uint32_t src;		/* host byte order */
	uint32_t dst;		/* host byte order */
	uint8_t proto;
};

/* Checksum over the pseudo-header and all of m (length msg_len(m)). */
uint16_t xk_ip_pseudo_csum(const struct xk_ip_pseudohdr *ph, const msg_t *m);

/* Dotted quad to host order; -EINVAL if malformed. */
int xk_ip_parse(const char *s, uint32_t *ip);

#endif
