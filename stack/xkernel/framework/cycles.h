/* cycles.h - a cheap cycle counter for the apps' protocol-processing figures. */
#ifndef XK_CYCLES_H
#define XK_CYCLES_H

#include <stdint.h>

#if defined(__x86_64__) || defined(__i386__)
#include <x86intrin.h>
static inline uint64_t xk_cycles(void)
{
	return __rdtsc();
}
#else
#include <time.h>
static inline uint64_t xk_cycles(void)	/* no TSC: nanoseconds stand in */
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}
#endif

/* The monotonic clock in ns, as hosts on real drivers (TAP, IPC) use it. */
uint64_t xk_clock_ns(void);

/* Cycles per microsecond of the counter, measured against the monotonic clock. */
double xk_cycles_per_us(void);

#endif
