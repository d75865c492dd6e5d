/* Memory balloon: its own backdoor on port 0x5670 with magic "Elmo" (sheet section 6). */
#include "hvp/vmw_defs.h"

/*
 * EAX, EBX, ECX, EDX and ESI may change; EDI is preserved (sheet section 6).
 * Plain `in eax, dx` whatever the main backdoor form is.
 */
static inline uint32_t balloon_call(uint32_t cmd, unsigned long arg1, unsigned long arg2,
				    unsigned long *ebx_out, unsigned long *ecx_out)
{
	unsigned long eax, ebx = arg1, ecx = cmd, edx = HVP_BALLOON_PORT, esi = arg2;

	asm volatile("inl %%dx, %%eax"
		     : "=a"(eax), "+b"(ebx), "+c"(ecx), "+d"(edx), "+S"(esi)
		     : "a"(HVP_BALLOON_MAGIC)
		     : "cc", "memory");
	*ebx_out = ebx;
	*ecx_out = ecx;
	return (uint32_t)eax;
}

/* START with the given guest capabilities: returns the common capabilities, or -status. */
HVP_EXPORT long balloon_start(unsigned long caps)
{
	unsigned long ebx, ecx;
	uint32_t st = balloon_call(HVP_BALLOON_START, caps, 0, &ebx, &ecx);

	if (st == HVP_BALLOON_SUCCESS_WITH_CAPS)
		return (long)(uint32_t)ecx;
	return st == 0 ? 0 : -(long)st;
}

/* START (BASIC), GUEST_ID (Linux), GET_TARGET: the target in 4 KiB pages, or -status. */
HVP_EXPORT long balloon_get_target(unsigned long guest_pages)
{
	unsigned long ebx, ecx;
	uint32_t st;

	if (balloon_start(HVP_BALLOON_CAP_BASIC) < 0)
		return -100;
	st = balloon_call(HVP_BALLOON_GUEST_ID, 1 /* Linux */, 0, &ebx, &ecx);
	if (st != 0)
		return -(long)st;
	st = balloon_call(HVP_BALLOON_GET_TARGET, guest_pages & 0xFFFFFFFFul, 0, &ebx, &ecx);
	if (st != 0)
		return -(long)st;
	return (long)(uint32_t)ebx;
}
