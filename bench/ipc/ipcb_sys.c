/* ipcb_sys.c - the benchmark's contact with Linux: clocks, pinning, memory. */
#define _GNU_SOURCE
#include "ipcb.h"

#include <errno.h>
#include <sched.h>
#include <string.h>
#include <sys/mman.h>
#include <time.h>

uint64_t ipcb_now_ns(void)
{
	struct timespec t;
	clock_gettime(CLOCK_MONOTONIC, &t);
	return (uint64_t)t.tv_sec * 1000000000u + (uint64_t)t.tv_nsec;
}

int ipcb_pin(int cpu)
{
	cpu_set_t set;
	CPU_ZERO(&set);
	CPU_SET(cpu, &set);
	return sched_setaffinity(0, sizeof set, &set) ? -errno : 0;
}

void *ipcb_shared_alloc(size_t bytes)
{
	void *p = mmap(NULL, bytes, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	return p == MAP_FAILED ? NULL : p;
}

void ipcb_shared_free(void *p, size_t bytes)
{
	if (p)
		munmap(p, bytes);
}

int ipcb_ring_init(struct ipcb_ring *r, size_t bytes)
{
	void *p = mmap(NULL, bytes, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (p == MAP_FAILED)
		return -errno;
	madvise(p, bytes, MADV_HUGEPAGE);	/* fewer TLB misses: measure the cache */
	madvise(p, bytes, MADV_DONTFORK);	/* no copy-on-write faults after a fork */
	ipcb_ring_over(r, p, bytes);
	r->owned = 1;
	return 0;
}

void ipcb_ring_over(struct ipcb_ring *r, void *base, size_t bytes)
{
	memset(base, 0x5a, bytes);		/* fault every page in now, not while timing */
	r->base = base;
	r->bytes = bytes;
	r->owned = 0;
	ipcb_ring_stride(r, 64);
}

void ipcb_ring_free(struct ipcb_ring *r)
{
	if (r->base && r->owned)
		munmap(r->base, r->bytes);
	r->base = NULL;
}

void ipcb_ring_stride(struct ipcb_ring *r, size_t n)
{
	/* A prime larger than any slot count is coprime with it: the walk
	 * visits every slot before it repeats. */
	static const size_t prime_step = 1000003;
	r->stride = n ? (n + 63) & ~(size_t)63 : 64;
	r->nslots = r->bytes / r->stride;
	r->step = prime_step % r->nslots;
	r->slot = 0;
}
