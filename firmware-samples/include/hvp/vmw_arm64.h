/*
 * arm64 VMware backdoor wrappers (sheet sections 1.6 and 2.5). The guest loads the x86-equivalent
 * registers into X0..X6, an I/O descriptor into X7 (magic 0x86 in X7[63:32]), then traps:
 *   -DHVP_BACKEND_MRS   mrs xzr, mdccsr_el0   (EL0/EL1; the form Linux and open-vm-tools use)
 *   -DHVP_BACKEND_HVC   hvc #0x86             (EL1), same register set-up
 * Port / DX semantics live in X3 (W3[15:0] = port 0x5658 / 0x5659, W3[31:16] = in3).
 * Outputs follow the Linux arm64 contracts; X7 is an input the hypervisor preserves.
 */
#ifndef HVP_VMW_ARM64_H
#define HVP_VMW_ARM64_H

#include "vmw_defs.h"

#if defined(HVP_BACKEND_MRS)
#  define HVP_A64_TRAP "mrs xzr, mdccsr_el0"
#elif defined(HVP_BACKEND_HVC)
#  define HVP_A64_TRAP "hvc #0x86"
#else
#  error "define HVP_BACKEND_MRS or HVP_BACKEND_HVC"
#endif
#define HVP_HAS_HB 1

#define HVP_A64_LB_X3(in3) (((in3) & ~0xFFFFul) | HVP_PORT_LB)
#define HVP_A64_HB_X3(in3) (((in3) & ~0xFFFFul) | HVP_PORT_HB)

static inline int hvp_backend_usable(void)
{
	return 1;
}

/* Every wrapper binds its operands with local register variables, set right before the asm. */
#define HVP_A64_REGS(cmd, in1, in3, in4, in5, desc)                      \
	register unsigned long x0 asm("x0") = HVP_MAGIC;                 \
	register unsigned long x1 asm("x1") = (in1);                     \
	register unsigned long x2 asm("x2") = (cmd);                     \
	register unsigned long x3 asm("x3") = (in3);                     \
	register unsigned long x4 asm("x4") = (in4);                     \
	register unsigned long x5 asm("x5") = (in5);                     \
	register unsigned long x7 asm("x7") = (desc)

static inline unsigned long hvp_hc1(unsigned long cmd, unsigned long in1)
{
	HVP_A64_REGS(cmd, in1, HVP_A64_LB_X3(0ul), 0ul, 0ul, HVP_A64_LB_IN);
	(void)x4; (void)x5;
	asm volatile(HVP_A64_TRAP : "+r"(x0) : "r"(x1), "r"(x2), "r"(x3), "r"(x7) : "cc", "memory");
	return x0;
}

static inline unsigned long hvp_hc3(unsigned long cmd, unsigned long in1, uint32_t *o1, uint32_t *o2)
{
	HVP_A64_REGS(cmd, in1, HVP_A64_LB_X3(0ul), 0ul, 0ul, HVP_A64_LB_IN);
	(void)x4; (void)x5;
	asm volatile(HVP_A64_TRAP : "+r"(x0), "+r"(x1), "+r"(x2) : "r"(x3), "r"(x7) : "cc", "memory");
	*o1 = (uint32_t)x1; *o2 = (uint32_t)x2;
	return x0;
}

static inline unsigned long hvp_hc4(unsigned long cmd, unsigned long in1, uint32_t *o1, uint32_t *o2,
				    uint32_t *o3)
{
	HVP_A64_REGS(cmd, in1, HVP_A64_LB_X3(0ul), 0ul, 0ul, HVP_A64_LB_IN);
	(void)x4; (void)x5;
	asm volatile(HVP_A64_TRAP : "+r"(x0), "+r"(x1), "+r"(x2), "+r"(x3) : "r"(x7) : "cc", "memory");
	*o1 = (uint32_t)x1; *o2 = (uint32_t)x2; *o3 = (uint32_t)x3;
	return x0;
}

static inline unsigned long hvp_hc5(unsigned long cmd, unsigned long in1, unsigned long in3,
				    unsigned long in4, unsigned long in5, uint32_t *o2)
{
	HVP_A64_REGS(cmd, in1, HVP_A64_LB_X3(in3), in4, in5, HVP_A64_LB_IN);
	asm volatile(HVP_A64_TRAP : "+r"(x0), "+r"(x2)
		     : "r"(x1), "r"(x3), "r"(x4), "r"(x5), "r"(x7) : "cc", "memory");
	*o2 = (uint32_t)x2;
	return x0;
}

static inline unsigned long hvp_hc6(unsigned long cmd, unsigned long in1, unsigned long in3,
				    uint32_t *o2, uint32_t *o3, uint32_t *o4, uint32_t *o5)
{
	HVP_A64_REGS(cmd, in1, HVP_A64_LB_X3(in3), 0ul, 0ul, HVP_A64_LB_IN);
	asm volatile(HVP_A64_TRAP : "+r"(x0), "+r"(x2), "+r"(x3), "+r"(x4), "+r"(x5)
		     : "r"(x1), "r"(x7) : "cc", "memory");
	*o2 = (uint32_t)x2; *o3 = (uint32_t)x3; *o4 = (uint32_t)x4; *o5 = (uint32_t)x5;
	return x0;
}

static inline unsigned long hvp_hc7(unsigned long cmd, unsigned long in1, unsigned long in3,
				    unsigned long in4, unsigned long in5,
				    uint32_t *o1, uint32_t *o2, uint32_t *o3)
{
	HVP_A64_REGS(cmd, in1, HVP_A64_LB_X3(in3), in4, in5, HVP_A64_LB_IN);
	asm volatile(HVP_A64_TRAP : "+r"(x0), "+r"(x1), "+r"(x2), "+r"(x3)
		     : "r"(x4), "r"(x5), "r"(x7) : "cc", "memory");
	*o1 = (uint32_t)x1; *o2 = (uint32_t)x2; *o3 = (uint32_t)x3;
	return x0;
}

/* HB: X1 = HB command, X2 = length, X4 = source (out) / X5 = destination (in), X6 = in6. */
static inline unsigned long hvp_hb_out(unsigned long cmd, unsigned long in2, unsigned long in3,
				       unsigned long in4, unsigned long in5, unsigned long in6,
				       uint32_t *o1)
{
	HVP_A64_REGS(in2, cmd, HVP_A64_HB_X3(in3), in4, in5, HVP_A64_HB_OUT);
	register unsigned long x6 asm("x6") = in6;
	asm volatile(HVP_A64_TRAP : "+r"(x0), "+r"(x1)
		     : "r"(x2), "r"(x3), "r"(x4), "r"(x5), "r"(x6), "r"(x7) : "cc", "memory");
	*o1 = (uint32_t)x1;
	return x0;
}

static inline unsigned long hvp_hb_in(unsigned long cmd, unsigned long in2, unsigned long in3,
				      unsigned long in4, unsigned long in5, unsigned long in6,
				      uint32_t *o1)
{
	HVP_A64_REGS(in2, cmd, HVP_A64_HB_X3(in3), in4, in5, HVP_A64_HB_IN);
	register unsigned long x6 asm("x6") = in6;
	asm volatile(HVP_A64_TRAP : "+r"(x0), "+r"(x1)
		     : "r"(x2), "r"(x3), "r"(x4), "r"(x5), "r"(x6), "r"(x7) : "cc", "memory");
	*o1 = (uint32_t)x1;
	return x0;
}

#endif
