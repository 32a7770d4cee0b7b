#include "sorts.h"

int sorts_cmp_up(const void *a, const void *b)
{
	int x = *(const int *)a, y = *(const int *)b;

	return (x > y) - (x < y);
}

int sorts_cmp_down(const void *a, const void *b)
{
	return sorts_cmp_up(b, a);
}

static int digit_sum(int x)
{
	int s = 0;

	for (x = x < 0 ? -x : x; x; x /= 10)
		s += x % 10;
	return s;
}

int sorts_cmp_digits(const void *a, const void *b)
{
	int x = digit_sum(*(const int *)a), y = digit_sum(*(const int *)b);

	if (x != y)
		return (x > y) - (x < y);
	return sorts_cmp_up(a, b);
}

const char *sorts_classify(int x)
{
	switch (x % 10) {
	case 0: return "zero";
	case 1: return "one";
	case 2: return "two";
	case 3: return "three";
	case 4: return "four";
	case 5: return "five";
	case 6: return "six";
	case 7: return "seven";
	case 8: return "eight";
	case 9: return "nine";
	default: return "negative";
	}
}

/* Distinct work per case: a jump table, not a lookup table. */
int sorts_weight(int x)
{
	switch (x % 10) {
	case 0: return x / 3;
	case 1: return x * 7;
	case 2: return x ^ 0x55;
	case 3: return -x;
	case 4: return x << 2;
	case 5: return x + 1000;
	case 6: return x % 7;
	case 7: return x * x;
	case 8: return x >> 1;
	case 9: return ~x;
	default: return 0;
	}
}
