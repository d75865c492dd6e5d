/* Seeded bugs, arm64 (MRS form unless the bug is the form itself). */
#include "hvp/vmw.h"

/* GETVERSION writes X1 (the magic), but X1 is declared input-only; probe is reused after. */
HVP_EXPORT unsigned int bug_getversion_x1_input_only(unsigned int probe)
{
	register unsigned long x0 asm("x0") = HVP_MAGIC;
	register unsigned long x1 asm("x1") = probe;
	register unsigned long x2 asm("x2") = HVP_CMD_GETVERSION;
	register unsigned long x3 asm("x3") = HVP_PORT_LB;
	register unsigned long x7 asm("x7") = HVP_A64_LB_IN;

	asm volatile("mrs xzr, mdccsr_el0"
		     : "+r"(x0), "+r"(x2)
		     : "r"(x1), "r"(x3), "r"(x7)
		     : "cc", "memory");
	return (uint32_t)x0 + (uint32_t)x1;
}

/* The template writes W7, which zeroes X7[63:32]: the 0x86 descriptor magic is gone. */
HVP_EXPORT int bug_x7_magic_missing(void)
{
	register unsigned long x0 asm("x0") = HVP_MAGIC;
	register unsigned long x1 asm("x1") = 0;
	register unsigned long x2 asm("x2") = HVP_CMD_GETVERSION;
	register unsigned long x3 asm("x3") = HVP_PORT_LB;

	asm volatile("mov w7, #0xe\n\tmrs xzr, mdccsr_el0"
		     : "+r"(x0), "+r"(x1), "+r"(x2)
		     : "r"(x3)
		     : "x7", "cc", "memory");
	return (int)(uint32_t)x0;
}

/* The template builds the port in X19 (callee-saved) and does not declare it. */
HVP_EXPORT int bug_x19_scratch(void)
{
	register unsigned long x0 asm("x0") = HVP_MAGIC;
	register unsigned long x1 asm("x1") = 0;
	register unsigned long x2 asm("x2") = HVP_CMD_GETVERSION;
	register unsigned long x7 asm("x7") = HVP_A64_LB_IN;

	asm volatile("mov x19, #0x5658\n\tmov x3, x19\n\tmrs xzr, mdccsr_el0"
		     : "+r"(x0), "+r"(x1), "+r"(x2)
		     : "r"(x7)
		     : "x3", "cc", "memory");
	return (uint32_t)x1 == HVP_MAGIC ? (int)(uint32_t)x0 : -3;
}

/* "hvc #86" written in decimal: the trap is HVC #0x56, not the VMware HVC #0x86. */
HVP_EXPORT int bug_hvc_decimal_imm(void)
{
	register unsigned long x0 asm("x0") = HVP_MAGIC;
	register unsigned long x1 asm("x1") = 0;
	register unsigned long x2 asm("x2") = HVP_CMD_GETVERSION;
	register unsigned long x3 asm("x3") = HVP_PORT_LB;
	register unsigned long x7 asm("x7") = HVP_A64_LB_IN;

	asm volatile("hvc #86"
		     : "+r"(x0), "+r"(x1), "+r"(x2)
		     : "r"(x3), "r"(x7)
		     : "cc", "memory");
	return (int)(uint32_t)x0;
}

/*
 * No "cc" clobber: the comparison of limit against the answer's width is made before the trap
 * and its flags are consumed after it.
 */
HVP_EXPORT int bug_flags_not_declared(unsigned long a, unsigned long b)
{
	register unsigned long x0 asm("x0") = HVP_MAGIC;
	register unsigned long x1 asm("x1") = 0;
	register unsigned long x2 asm("x2") = HVP_CMD_GETVERSION;
	register unsigned long x3 asm("x3") = HVP_PORT_LB;
	register unsigned long x7 asm("x7") = HVP_A64_LB_IN;
	unsigned long pick;

	asm volatile("cmp %[a], %[b]\n\tmrs xzr, mdccsr_el0"
		     : "+r"(x0), "+r"(x1), "+r"(x2)
		     : "r"(x3), "r"(x7), [a] "r"(a), [b] "r"(b)
		     : "memory");
	/* relies on the flags set by the template's cmp surviving the trap */
	asm("cset %w0, eq" : "=r"(pick));
	return (int)pick + (int)(uint32_t)x0;
}
