/* eth.h - Ethernet framing constants shared by ETH, ARP and the drivers, and ARP's limits. */
#ifndef XK_ETH_H
#define XK_ETH_H

#include <stdint.h>

#define XK_ETH_ALEN		6
#define XK_ETH_HDR_LEN		14
#define XK_ETH_MIN_FRAME	60	/* without the FCS; shorter frames are padded */
#define XK_ETH_MAX_FRAME	1514

struct xk_eth_hdr {
	uint8_t dst[XK_ETH_ALEN];
	uint8_t src[XK_ETH_ALEN];
	uint8_t type[2];	/* big-endian */
};

/*
 * ARP sends at most XK_ARP_PROBES requests for an address, XK_ARP_RETRY_NS
 * apart (Linux: mcast_solicit 3); unanswered XK_ARP_ASK_NS after the first,
 * the address has failed and is answered -EHOSTUNREACH for XK_ARP_DOWN_NS,
 * doubled for each failure in a row up to XK_ARP_FAILED_NS (BSD: arpt_down
 * 20 s): a neighbour whose first replies were lost (a link not yet up, a
 * lossy one) is asked again at TCP's next SYN, not 20 s later, while an
 * address that never answers soon waits the 20 s. At most XK_ARP_MAX_ASKING
 * addresses are asked about at once: a flood of spoofed sources gets a
 * bounded number of requests.
 */
#define XK_ARP_PROBES		3
#define XK_ARP_RETRY_NS		(100 * 1000 * 1000ull)
#define XK_ARP_ASK_NS		(1000 * 1000 * 1000ull)
#define XK_ARP_DOWN_NS		(2 * XK_ARP_ASK_NS)
#define XK_ARP_FAILED_NS	(20 * XK_ARP_ASK_NS)
#define XK_ARP_MAX_ASKING	16

extern const uint8_t xk_eth_broadcast[XK_ETH_ALEN];

#endif
