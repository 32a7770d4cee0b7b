/* cycles.c - calibrate the cycle counter against the monotonic clock. */
#define _POSIX_C_SOURCE 200809L

#include <time.h>

#include "cycles.h"

uint64_t xk_clock_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

double xk_cycles_per_us(void)
{
	struct timespec nap = { 0, 20 * 1000 * 1000 };
	uint64_t t0 = xk_clock_ns(), c0 = xk_cycles(), t1, c1;

	nanosleep(&nap, NULL);
	t1 = xk_clock_ns();
	c1 = xk_cycles();
	return t1 > t0 ? (double)(c1 - c0) * 1000.0 / (double)(t1 - t0) : 1.0;
}
