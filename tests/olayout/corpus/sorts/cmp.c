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
