/* Test input for the DWARF reader: nested inlining across a header, a cold section, a static function and data. */
#include "inlines.h"

unsigned long table[16];

__attribute__((cold, noinline)) unsigned long slow_path(unsigned long v)
{
	for (int i = 0; i < 16; i++)
		table[i] += v + i;
	return table[3];
}

static unsigned long helper(unsigned long x)
{
	if (x > 100)
		return slow_path(x);
	return twice(x) ^ table[x & 15];
}

unsigned long entry(unsigned long x, unsigned long y)
{
	unsigned long acc = 0;
	for (unsigned long i = 0; i < y; i++)
		acc += helper(x + i);
	return mix(acc, y);
}

unsigned long (*volatile keep)(unsigned long) = helper;
