/*
 * tcp_hdr.h - the TCP segment header (RFC 793), its MSS option (RFC 879)
 * and the SACK options (RFC 2018): decoding and encoding between wire bytes
 * and a host-order struct.
 *
 * The checksum is not computed here: it covers the IP pseudo-header and the
 * payload, which live in the message (ip_pseudo_csum in ip.h).
 */
#ifndef TCP_HDR_H
#define TCP_HDR_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define TCP_HDR_MIN	20	/* header without options */
#define TCP_HDR_MAX	60	/* data offset 15 words */
#define TCP_OPT_MSS_LEN	4
#define TCP_CSUM_OFF	16	/* checksum field offset */
#define TCP_SACK_MAX	4	/* blocks in a SACK option (4 fit without timestamps) */

#define TCP_FIN	0x01
#define TCP_SYN	0x02
#define TCP_RST	0x04
#define TCP_PSH	0x08
#define TCP_ACK	0x10
#define TCP_URG	0x20

struct tcp_hdr {
	uint16_t sport, dport;
	uint32_t seq, ack;
	uint8_t hlen;		/* header bytes, options included */
	uint8_t flags;
	uint16_t win;
	uint16_t csum;
	uint16_t urp;
	uint16_t mss;		/* MSS option; 0 when absent */
	bool sack_ok;		/* SACK-permitted option (in a SYN) */
	uint8_t nsack;		/* SACK blocks: sack[0..nsack) */
	struct tcp_sack_blk {
		uint32_t start, end;	/* [start, end) received */
	} sack[TCP_SACK_MAX];
};

/*
 * Decode the header at p. avail is how many bytes p holds (at least the
 * header, or all of a shorter segment); seglen is the whole segment's length.
 * Returns 0, or
 *   -EMSGSIZE  shorter than 20 bytes, or avail short of the header,
 *   -EBADMSG   data offset below 5 words or past the segment's end,
 *   -EPROTO    a malformed option.
 */
int tcp_hdr_decode(const uint8_t *p, size_t avail, size_t seglen, struct tcp_hdr *h);

/* Bytes tcp_hdr_encode writes for h: 20, +4 with an MSS option, +4 with SACK-permitted, +4+8n with n SACK blocks. */
size_t tcp_hdr_size(const struct tcp_hdr *h);

/* Write h (h->hlen is ignored) at p; returns tcp_hdr_size(h). */
size_t tcp_hdr_encode(uint8_t *p, const struct tcp_hdr *h);

#endif
