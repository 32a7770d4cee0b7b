#include <stdio.h>

#include "ctors.h"

int main(void)
{
	ctors_note("main");
	for (int x = -2; x < 3; x++)
		printf("transform(%d) = %d\n", x, ctors_transform(x));
	return ctors_count();
}
