/* Picks the wrapper set for the target architecture, plus tiny freestanding helpers. */
#ifndef HVP_VMW_H
#define HVP_VMW_H

#if defined(__x86_64__)
#  include "vmw_x86.h"
#elif defined(__aarch64__)
#  include "vmw_arm64.h"
#else
#  error "x86_64 or aarch64 only"
#endif

static inline size_t hvp_strlen(const char *s)
{
	size_t n = 0;

	while (s[n])
		n++;
	return n;
}

static inline void hvp_copy(char *dst, const char *src, size_t n)
{
	/* volatile keeps compilers from turning the loop back into a memcpy call */
	volatile char *d = dst;

	for (size_t i = 0; i < n; i++)
		d[i] = src[i];
}

#endif
