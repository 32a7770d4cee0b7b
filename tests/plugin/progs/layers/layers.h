/*
 * layers.h - a small x-kernel-like stack for the path-inlining tests: each
 * layer pushes its header and hands the message to the layer below through
 * a function pointer (the uniform push interface); eth calls the driver
 * directly. Library functions (message tool, checksum) are shared by all
 * layers and small enough for GCC's own inliner to copy them into their
 * callers: the profile's library marks must keep them out of line.
 */
#ifndef LAYERS_H
#define LAYERS_H

struct msg {
	unsigned char data[512];
	int head; /* offset of the first byte; headers grow towards 0 */
	int len;
};

struct layer {
	const char *name;
	int (*push)(struct layer *self, struct msg *m);
	struct layer *down;
	int sent;
	int id;
};

/* library */
void msg_init(struct msg *m, const char *payload);
int msg_push(struct msg *m, const void *hdr, int n);
unsigned cksum(const struct msg *m, int from);

/* layers */
int app_send(struct layer *top, const char *payload); /* the path's root */
int tcp_push(struct layer *self, struct msg *m);
int udp_push(struct layer *self, struct msg *m);
int ip_push(struct layer *self, struct msg *m);
int eth_push(struct layer *self, struct msg *m);
int drv_send(struct msg *m);
int ip_forward(struct layer *ip, const char *payload); /* calls ip_push directly */

extern unsigned long drv_bytes, drv_sum;

#endif
