/* tcp_hdr_test - the TCP header codec and sequence arithmetic. */
#include <errno.h>
#include <string.h>

#include "tap.h"
#include "tcp_hdr.h"
#include "tcp_seq.h"

static void test_roundtrip(void)
{
	struct tcp_hdr h = { .sport = 1234, .dport = 80, .seq = 0xfffffff0u, .ack = 7,
			     .flags = TCP_SYN | TCP_ACK, .win = 65535, .csum = 0xbeef, .mss = 1460 };
	struct tcp_hdr g;
	uint8_t p[TCP_HDR_MAX];
	size_t n = tcp_hdr_encode(p, &h);

	tap_is_int((long long)n, 24, "header with MSS is 24 bytes");
	tap_is_int(p[12] >> 4, 6, "data offset 6 words");
	tap_is_int(tcp_hdr_decode(p, n, n, &g), 0, "decodes");
	tap_ok(g.sport == 1234 && g.dport == 80 && g.seq == 0xfffffff0u && g.ack == 7 &&
	       g.flags == (TCP_SYN | TCP_ACK) && g.win == 65535 && g.csum == 0xbeef &&
	       g.mss == 1460 && g.hlen == 24, "every field survives the round trip");
	h.mss = 0;
	tap_is_int((long long)tcp_hdr_encode(p, &h), 20, "without MSS 20 bytes");
	tap_ok(tcp_hdr_decode(p, 20, 100, &g) == 0 && g.mss == 0 && g.hlen == 20, "no MSS decoded");
}

static void test_malformed(void)
{
	struct tcp_hdr h = { .mss = 536 }, g;
	uint8_t p[TCP_HDR_MAX];

	tcp_hdr_encode(p, &h);
	tap_is_int(tcp_hdr_decode(p, 19, 19, &g), -EMSGSIZE, "19 bytes: short");
	tap_is_int(tcp_hdr_decode(p, 22, 22, &g), -EBADMSG, "cut inside options: offset past the end");
	tap_is_int(tcp_hdr_decode(p, 22, 100, &g), -EMSGSIZE, "fewer bytes at hand than the header: short");
	p[12] = 4 << 4;
	tap_is_int(tcp_hdr_decode(p, 24, 24, &g), -EBADMSG, "data offset 4: bad offset");
	p[12] = 15 << 4;
	tap_is_int(tcp_hdr_decode(p, 24, 24, &g), -EBADMSG, "data offset past the segment");
	p[12] = 6 << 4;
	p[21] = 1;
	tap_is_int(tcp_hdr_decode(p, 24, 24, &g), -EPROTO, "option length 1: bad option");
	p[20] = 30, p[21] = 8;	/* a kind without a length rule: only the header's end refuses it */
	tap_is_int(tcp_hdr_decode(p, 24, 24, &g), -EPROTO, "option past the header: bad option");
	p[20] = 1, p[21] = 1, p[22] = 0, p[23] = 0;
	tap_ok(tcp_hdr_decode(p, 24, 24, &g) == 0 && g.mss == 0, "NOP, NOP, EOL accepted");
	p[20] = 2, p[21] = 3;
	tap_is_int(tcp_hdr_decode(p, 24, 24, &g), -EPROTO, "MSS option of length 3: bad option");
}

static void test_seq(void)
{
	tap_ok(tcp_seq_lt(0xfffffff0u, 5), "before, across the wrap");
	tap_ok(tcp_seq_gt(5, 0xfffffff0u), "after, across the wrap");
	tap_ok(!tcp_seq_lt(5, 5) && tcp_seq_le(5, 5) && tcp_seq_ge(5, 5), "equal");
	tap_is_int(tcp_seq_max(0xfffffff0u, 3), 3, "max across the wrap");
	tap_is_int(tcp_seq_min(0xfffffff0u, 3), 0xfffffff0u, "min across the wrap");
	tap_ok(tcp_seq_in(0, 0xffffffffu, 1) && !tcp_seq_in(1, 0xffffffffu, 1), "in a window across the wrap");
}

int main(void)
{
	tap_plan(21);
	test_roundtrip();
	test_malformed();
	test_seq();
	return tap_done();
}
