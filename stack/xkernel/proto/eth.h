/* eth.h - Ethernet framing constants shared by ETH, ARP and the drivers. */
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

extern const uint8_t xk_eth_broadcast[XK_ETH_ALEN];

#endif
