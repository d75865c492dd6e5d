/*
 * Linux-style VMware hypercall wrappers, written here after the pattern of the kernel's 2024
 * hypercall API (x86: asm/vmware.h; arm64: vmwgfx's arm64 message header), sheet section 2.5:
 * outputs declared per wrapper, "cc" and "memory" clobbers, every other register assumed kept.
 *
 * x86_64: the three ALTERNATIVE forms are separate builds: -DHVP_BACKEND_PORT (the template loads
 * DX itself, the generation-A slip of sheet 2.5), -DHVP_BACKEND_VMCALL, -DHVP_BACKEND_VMMCALL.
 * HB transfers always use the port (rep outsb / rep insb), as the 2024 API does; RBP carries in6
 * and is pushed and popped around the transfer (kernel code: no red zone).
 * arm64: mrs xzr, mdccsr_el0 with the X7 descriptor (sheet 1.6).
 *
 * Mutation hooks (docs/clients.md): LX_MUTANT_HC7_X1_INPUT_ONLY (arm64: X1 of hypercall7 input-only),
 * LX_MUTANT_HC7_NO_EDX_OUT (x86: EDX of hypercall7 not declared written).
 */
#ifndef LINUX_VMWARE_H
#define LINUX_VMWARE_H

#include "client.h"

#if defined(__x86_64__)

#if defined(HVP_BACKEND_VMCALL)
#define LX_HYPERCALL "vmcall"
#elif defined(HVP_BACKEND_VMMCALL)
#define LX_HYPERCALL "vmmcall"
#else
#define LX_HYPERCALL "movw %[port], %%dx\n\tinl (%%dx), %%eax"
#endif

static inline unsigned long lx_hypercall5(unsigned long cmd, unsigned long in1, unsigned long in3,
					  unsigned long in4, unsigned long in5, uint32_t *out2)
{
	unsigned long out0;

	asm volatile(LX_HYPERCALL
		     : "=a"(out0), "=c"(*out2)
		     : [port] "i"(BD_PORT), "a"(BD_MAGIC), "b"(in1), "c"(cmd), "d"(in3), "S"(in4), "D"(in5)
		     : "cc", "memory");
	return out0;
}

static inline unsigned long lx_hypercall6(unsigned long cmd, unsigned long in1, unsigned long in3,
					  uint32_t *out2, uint32_t *out3, uint32_t *out4, uint32_t *out5)
{
	unsigned long out0;

	asm volatile(LX_HYPERCALL
		     : "=a"(out0), "=c"(*out2), "=d"(*out3), "=S"(*out4), "=D"(*out5)
		     : [port] "i"(BD_PORT), "a"(BD_MAGIC), "b"(in1), "c"(cmd), "d"(in3)
		     : "cc", "memory");
	return out0;
}

static inline unsigned long lx_hypercall7(unsigned long cmd, unsigned long in1, unsigned long in3,
					  unsigned long in4, unsigned long in5,
					  uint32_t *out1, uint32_t *out2, uint32_t *out3)
{
	unsigned long out0;

#if defined(LX_MUTANT_HC7_NO_EDX_OUT)
	asm volatile(LX_HYPERCALL
		     : "=a"(out0), "=b"(*out1), "=c"(*out2)
		     : [port] "i"(BD_PORT), "a"(BD_MAGIC), "b"(in1), "c"(cmd), "d"(in3), "S"(in4), "D"(in5)
		     : "cc", "memory");
	(void)out3;	/* the one change: EDX no longer declared written */
#else
	asm volatile(LX_HYPERCALL
		     : "=a"(out0), "=b"(*out1), "=c"(*out2), "=d"(*out3)
		     : [port] "i"(BD_PORT), "a"(BD_MAGIC), "b"(in1), "c"(cmd), "d"(in3), "S"(in4), "D"(in5)
		     : "cc", "memory");
#endif
	return out0;
}

static inline unsigned long lx_hypercall_hb_out(unsigned long cmd, unsigned long in2, unsigned long in3,
						unsigned long in4, unsigned long in5, unsigned long in6,
						uint32_t *out1)
{
	unsigned long out0;

	asm volatile("push %%rbp\n\t"
		     "mov %[in6], %%rbp\n\t"
		     "rep outsb\n\t"
		     "pop %%rbp"
		     : "=a"(out0), "=b"(*out1)
		     : "a"(BD_MAGIC), "b"(cmd), "c"(in2), "d"(in3 | BD_PORT_HB), "S"(in4), "D"(in5),
		       [in6] "r"(in6)
		     : "cc", "memory");
	return out0;
}

static inline unsigned long lx_hypercall_hb_in(unsigned long cmd, unsigned long in2, unsigned long in3,
					       unsigned long in4, unsigned long in5, unsigned long in6,
					       uint32_t *out1)
{
	unsigned long out0;

	asm volatile("push %%rbp\n\t"
		     "mov %[in6], %%rbp\n\t"
		     "rep insb\n\t"
		     "pop %%rbp"
		     : "=a"(out0), "=b"(*out1)
		     : "a"(BD_MAGIC), "b"(cmd), "c"(in2), "d"(in3 | BD_PORT_HB), "S"(in4), "D"(in5),
		       [in6] "r"(in6)
		     : "cc", "memory");
	return out0;
}

#elif defined(__aarch64__)

#define LX_IO_MAGIC   0x86ul
#define LX_W7_DIR     (1u << 2)
#define LX_W7_WITH    (1u << 3)
#define LX_W7_STR     (1u << 4)
#define LX_W7_SIZE4   2u
#define LX_X7_LB      ((LX_IO_MAGIC << 32) | LX_W7_WITH | LX_W7_DIR | LX_W7_SIZE4)

static inline unsigned long lx_hypercall5(unsigned long cmd, unsigned long in1, unsigned long in3,
					  unsigned long in4, unsigned long in5, uint32_t *out2)
{
	register unsigned long x0 asm("x0") = BD_MAGIC;
	register unsigned long x1 asm("x1") = in1;
	register unsigned long x2 asm("x2") = cmd;
	register unsigned long x3 asm("x3") = in3 | BD_PORT;
	register unsigned long x4 asm("x4") = in4;
	register unsigned long x5 asm("x5") = in5;
	register unsigned long x7 asm("x7") = LX_X7_LB;

	asm volatile("mrs xzr, mdccsr_el0"
		     : "+r"(x0), "+r"(x2)
		     : "r"(x1), "r"(x3), "r"(x4), "r"(x5), "r"(x7)
		     : "memory");
	*out2 = (uint32_t)x2;
	return x0;
}

static inline unsigned long lx_hypercall6(unsigned long cmd, unsigned long in1, unsigned long in3,
					  uint32_t *out2, uint32_t *out3, uint32_t *out4, uint32_t *out5)
{
	register unsigned long x0 asm("x0") = BD_MAGIC;
	register unsigned long x1 asm("x1") = in1;
	register unsigned long x2 asm("x2") = cmd;
	register unsigned long x3 asm("x3") = in3 | BD_PORT;
	register unsigned long x4 asm("x4");
	register unsigned long x5 asm("x5");
	register unsigned long x7 asm("x7") = LX_X7_LB;

	asm volatile("mrs xzr, mdccsr_el0"
		     : "+r"(x0), "+r"(x2), "+r"(x3), "=r"(x4), "=r"(x5)
		     : "r"(x1), "r"(x7)
		     : "memory");
	*out2 = (uint32_t)x2;
	*out3 = (uint32_t)x3;
	*out4 = (uint32_t)x4;
	*out5 = (uint32_t)x5;
	return x0;
}

static inline unsigned long lx_hypercall7(unsigned long cmd, unsigned long in1, unsigned long in3,
					  unsigned long in4, unsigned long in5,
					  uint32_t *out1, uint32_t *out2, uint32_t *out3)
{
	register unsigned long x0 asm("x0") = BD_MAGIC;
	register unsigned long x1 asm("x1") = in1;
	register unsigned long x2 asm("x2") = cmd;
	register unsigned long x3 asm("x3") = in3 | BD_PORT;
	register unsigned long x4 asm("x4") = in4;
	register unsigned long x5 asm("x5") = in5;
	register unsigned long x7 asm("x7") = LX_X7_LB;

#if defined(LX_MUTANT_HC7_X1_INPUT_ONLY)
	asm volatile("mrs xzr, mdccsr_el0"
		     : "+r"(x0), "+r"(x2), "+r"(x3)
		     : "r"(x1), "r"(x4), "r"(x5), "r"(x7)
		     : "memory");
#else
	asm volatile("mrs xzr, mdccsr_el0"
		     : "+r"(x0), "+r"(x1), "+r"(x2), "+r"(x3)
		     : "r"(x4), "r"(x5), "r"(x7)
		     : "memory");
#endif
	*out1 = (uint32_t)x1;
	*out2 = (uint32_t)x2;
	*out3 = (uint32_t)x3;
	return x0;
}

static inline unsigned long lx_hypercall_hb(unsigned long cmd, unsigned long in2, unsigned long in3,
					    unsigned long in4, unsigned long in5, unsigned long in6,
					    uint32_t *out1, unsigned int dir)
{
	register unsigned long x0 asm("x0") = BD_MAGIC;
	register unsigned long x1 asm("x1") = cmd;
	register unsigned long x2 asm("x2") = in2;
	register unsigned long x3 asm("x3") = in3 | BD_PORT_HB;
	register unsigned long x4 asm("x4") = in4;
	register unsigned long x5 asm("x5") = in5;
	register unsigned long x6 asm("x6") = in6;
	register unsigned long x7 asm("x7") = (LX_IO_MAGIC << 32) | LX_W7_STR | LX_W7_WITH | dir;

	asm volatile("mrs xzr, mdccsr_el0"
		     : "+r"(x0), "+r"(x1)
		     : "r"(x2), "r"(x3), "r"(x4), "r"(x5), "r"(x6), "r"(x7)
		     : "memory");
	*out1 = (uint32_t)x1;
	return x0;
}

static inline unsigned long lx_hypercall_hb_out(unsigned long cmd, unsigned long in2, unsigned long in3,
						unsigned long in4, unsigned long in5, unsigned long in6,
						uint32_t *out1)
{
	return lx_hypercall_hb(cmd, in2, in3, in4, in5, in6, out1, 0);
}

static inline unsigned long lx_hypercall_hb_in(unsigned long cmd, unsigned long in2, unsigned long in3,
					       unsigned long in4, unsigned long in5, unsigned long in6,
					       uint32_t *out1)
{
	return lx_hypercall_hb(cmd, in2, in3, in4, in5, in6, out1, LX_W7_DIR);
}

#else
#error "linux_vmware.h: x86_64 or arm64 only"
#endif

#endif
