/* Test input for the DWARF reader: a header whose inline functions land in the caller's line table. */
static inline __attribute__((always_inline)) unsigned long mix(unsigned long a, unsigned long b)
{
	unsigned long r = a * 31 + b;
	if (r & 1)
		r ^= b << 3;
	return r;
}

static inline __attribute__((always_inline)) unsigned long twice(unsigned long a)
{
	return mix(a, a + 1) + mix(a + 2, a);
}
