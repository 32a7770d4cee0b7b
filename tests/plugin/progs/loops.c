/* loops.c - a path (ping -> sum_words) with a short hot loop, 3 to 5 trips
 * a call, 4 on average (TRIPS), and one that runs about once a call and is
 * often skipped (FOLD): the loops pass unrolls the first by its trained
 * trips and leaves the second (tests/plugin/loops.t). */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static uint32_t sum_words(const uint8_t *b, size_t n)
{
	uint64_t s = 0;
	uint32_t w;

	for (; n >= 4; b += 4, n -= 4) { /* TRIPS */
		memcpy(&w, b, 4);
		s += w;
	}
	while (s >> 16) /* FOLD */
		s = (s & 0xffff) + (s >> 16);
	return (uint32_t)s;
}

/* not const: GCC must not bound the trips from the sizes */
size_t sizes[3] = { 12, 16, 20 };

__attribute__((noinline)) static uint32_t ping(const uint8_t *buf, int i)
{
	return sum_words(buf + i % 7, sizes[i % 3]);
}

int main(int argc, char **argv)
{
	int rounds = argc > 1 ? atoi(argv[1]) : 3000;
	uint8_t buf[40];
	uint32_t total = 0;

	for (int i = 0; i < 40; i++)
		buf[i] = (uint8_t)(i * 37 + 11);
	for (int i = 0; i < rounds; i++)
		total += ping(buf, i);
	printf("%u\n", total);
	return 0;
}
