/*
 * x86_64 VMware backdoor wrappers, one backend per object, chosen at compile time:
 *   -DHVP_BACKEND_PORT     in eax,dx (LB) / rep outsb, rep insb (HB)
 *   -DHVP_BACKEND_VMCALL   vmcall,  DX[15:0] = flags
 *   -DHVP_BACKEND_VMMCALL  vmmcall, DX[15:0] = flags
 *   -DHVP_BACKEND_TDX      tdcall (TDG.VP.VMCALL), magic in R12, command in R13, LB only
 *
 * Register layout and what each wrapper declares follow the ABI sheet's section 2.5 (the Linux
 * "generation B" contracts), with one deliberate widening: hc1 also declares RSI/RDI clobbered,
 * because QEMU's vmport rewrites EAX..EDI for the vmmouse commands (sheet sections 7/8).
 * in3 is the caller's EDX high half (e.g. channel << 16); the wrapper fills DX[15:0].
 */
#ifndef HVP_VMW_X86_H
#define HVP_VMW_X86_H

#include "vmw_defs.h"

#if defined(HVP_BACKEND_PORT)
#  define HVP_LB_INSN      "inl %%dx, %%eax"
#  define HVP_HB_OUT_INSN  "rep outsb"
#  define HVP_HB_IN_INSN   "rep insb"
#  define HVP_LB_DX(in3)     (((in3) & ~0xFFFFul) | HVP_PORT_LB)
#  define HVP_HB_OUT_DX(in3) (((in3) & ~0xFFFFul) | HVP_PORT_HB)
#  define HVP_HB_IN_DX(in3)  (((in3) & ~0xFFFFul) | HVP_PORT_HB)
#  define HVP_HAS_HB 1
#elif defined(HVP_BACKEND_VMCALL) || defined(HVP_BACKEND_VMMCALL)
#  if defined(HVP_BACKEND_VMCALL)
#    define HVP_LB_INSN    "vmcall"
#    define HVP_CPUID_BIT  (1u << 1)
#  else
#    define HVP_LB_INSN    "vmmcall"
#    define HVP_CPUID_BIT  (1u << 0)
#  endif
#  define HVP_HB_OUT_INSN  HVP_LB_INSN
#  define HVP_HB_IN_INSN   HVP_LB_INSN
#  define HVP_LB_DX(in3)     ((in3) & ~0xFFFFul)
#  define HVP_HB_OUT_DX(in3) (((in3) & ~0xFFFFul) | HVP_FLAG_HB | HVP_FLAG_OUT)
#  define HVP_HB_IN_DX(in3)  (((in3) & ~0xFFFFul) | HVP_FLAG_HB)
#  define HVP_HAS_HB 1
#elif defined(HVP_BACKEND_TDX)
#  define HVP_HAS_HB 0
#else
#  error "define one of HVP_BACKEND_PORT, HVP_BACKEND_VMCALL, HVP_BACKEND_VMMCALL, HVP_BACKEND_TDX"
#endif

static inline void hvp_cpuid(uint32_t leaf, uint32_t *a, uint32_t *b, uint32_t *c, uint32_t *d)
{
	uint32_t ra, rb, rc, rd;

	asm volatile("cpuid" : "=a"(ra), "=b"(rb), "=c"(rc), "=d"(rd) : "0"(leaf), "2"(0u));
	*a = ra; *b = rb; *c = rc; *d = rd;
}

/* Is this object's hypercall form allowed here? Port and TDX need no CPUID bit. */
static inline int hvp_backend_usable(void)
{
#if defined(HVP_CPUID_BIT)
	uint32_t max, b, c, d;

	hvp_cpuid(0x40000000u, &max, &b, &c, &d);
	if (max < 0x40000010u)
		return 0;
	hvp_cpuid(0x40000010u, &max, &b, &c, &d);
	return (c & HVP_CPUID_BIT) != 0;
#else
	return 1;
#endif
}

#if defined(HVP_BACKEND_TDX)
/*
 * One TDG.VP.VMCALL carrying a VMware LB call (sheet section 1.4). Like the C fallback kernels
 * use, it declares every VMware output, and refuses commands outside the TDX mask.
 */
static inline unsigned long hvp_tdx(unsigned long cmd, unsigned long in1, unsigned long in3,
				    unsigned long in4, unsigned long in5, unsigned long out[6])
{
	if (cmd & ~HVP_TDX_CMD_MASK)
		return ~0ul;
	register unsigned long r10 asm("r10") = HVP_TDX_LEAF;
	register unsigned long r11 asm("r11") = HVP_TDX_FUNC;
	register unsigned long r12 asm("r12") = HVP_MAGIC;
	register unsigned long r13 asm("r13") = cmd;
	register unsigned long r15 asm("r15") = 0;   /* caller CPL */
	unsigned long rax = 0, rcx = HVP_TDX_REGMASK, rbx = in1, rdx = in3 & ~0xFFFFul;
	unsigned long rsi = in4, rdi = in5;

	asm volatile(".byte 0x66,0x0f,0x01,0xcc"     /* tdcall */
		     : "+a"(rax), "+c"(rcx), "+b"(rbx), "+d"(rdx), "+S"(rsi), "+D"(rdi),
		       "+r"(r10), "+r"(r11), "+r"(r12), "+r"(r13), "+r"(r15)
		     :
		     : "r8", "r9", "r14", "cc", "memory");
	out[0] = r12; out[1] = rbx; out[2] = r13; out[3] = rdx; out[4] = rsi; out[5] = rdi;
	return r12;
}
#define HVP_TDX_CALL(cmd, in1, in3, in4, in5) \
	unsigned long o_[6]; unsigned long r_ = hvp_tdx((cmd), (in1), (in3), (in4), (in5), o_)
#endif

/* Only EAX is an output. */
static inline unsigned long hvp_hc1(unsigned long cmd, unsigned long in1)
{
#if defined(HVP_BACKEND_TDX)
	HVP_TDX_CALL(cmd, in1, 0, 0, 0);
	(void)o_;
	return r_;
#else
	unsigned long out0;

	asm volatile(HVP_LB_INSN
		     : "=a"(out0)
		     : "a"(HVP_MAGIC), "b"(in1), "c"(cmd), "d"(HVP_LB_DX(0ul))
		     : "rsi", "rdi", "cc", "memory");
	return out0;
#endif
}

/* EAX, EBX, ECX out; EDX preserved. */
static inline unsigned long hvp_hc3(unsigned long cmd, unsigned long in1, uint32_t *o1, uint32_t *o2)
{
#if defined(HVP_BACKEND_TDX)
	HVP_TDX_CALL(cmd, in1, 0, 0, 0);
	*o1 = (uint32_t)o_[1]; *o2 = (uint32_t)o_[2];
	return r_;
#else
	unsigned long out0, b = in1, c = cmd;

	asm volatile(HVP_LB_INSN
		     : "=a"(out0), "+b"(b), "+c"(c)
		     : "a"(HVP_MAGIC), "d"(HVP_LB_DX(0ul))
		     : "rsi", "rdi", "cc", "memory");
	*o1 = (uint32_t)b; *o2 = (uint32_t)c;
	return out0;
#endif
}

/* EAX..EDX out. */
static inline unsigned long hvp_hc4(unsigned long cmd, unsigned long in1, uint32_t *o1, uint32_t *o2,
				    uint32_t *o3)
{
#if defined(HVP_BACKEND_TDX)
	HVP_TDX_CALL(cmd, in1, 0, 0, 0);
	*o1 = (uint32_t)o_[1]; *o2 = (uint32_t)o_[2]; *o3 = (uint32_t)o_[3];
	return r_;
#else
	unsigned long out0, b = in1, c = cmd, d = HVP_LB_DX(0ul);

	asm volatile(HVP_LB_INSN
		     : "=a"(out0), "+b"(b), "+c"(c), "+d"(d)
		     : "a"(HVP_MAGIC)
		     : "rsi", "rdi", "cc", "memory");
	*o1 = (uint32_t)b; *o2 = (uint32_t)c; *o3 = (uint32_t)d;
	return out0;
#endif
}

/* All six in; EAX, ECX out. */
static inline unsigned long hvp_hc5(unsigned long cmd, unsigned long in1, unsigned long in3,
				    unsigned long in4, unsigned long in5, uint32_t *o2)
{
#if defined(HVP_BACKEND_TDX)
	HVP_TDX_CALL(cmd, in1, in3, in4, in5);
	*o2 = (uint32_t)o_[2];
	return r_;
#else
	unsigned long out0, c = cmd;

	asm volatile(HVP_LB_INSN
		     : "=a"(out0), "+c"(c)
		     : "a"(HVP_MAGIC), "b"(in1), "d"(HVP_LB_DX(in3)), "S"(in4), "D"(in5)
		     : "cc", "memory");
	*o2 = (uint32_t)c;
	return out0;
#endif
}

/* EAX..EDX in; EAX, ECX, EDX, ESI, EDI out; EBX preserved. */
static inline unsigned long hvp_hc6(unsigned long cmd, unsigned long in1, unsigned long in3,
				    uint32_t *o2, uint32_t *o3, uint32_t *o4, uint32_t *o5)
{
#if defined(HVP_BACKEND_TDX)
	HVP_TDX_CALL(cmd, in1, in3, 0, 0);
	*o2 = (uint32_t)o_[2]; *o3 = (uint32_t)o_[3]; *o4 = (uint32_t)o_[4]; *o5 = (uint32_t)o_[5];
	return r_;
#else
	unsigned long out0, c = cmd, d = HVP_LB_DX(in3), s, di;

	asm volatile(HVP_LB_INSN
		     : "=a"(out0), "+c"(c), "+d"(d), "=S"(s), "=D"(di)
		     : "a"(HVP_MAGIC), "b"(in1)
		     : "cc", "memory");
	*o2 = (uint32_t)c; *o3 = (uint32_t)d; *o4 = (uint32_t)s; *o5 = (uint32_t)di;
	return out0;
#endif
}

/* All six in; EAX..EDX out; ESI, EDI preserved. */
static inline unsigned long hvp_hc7(unsigned long cmd, unsigned long in1, unsigned long in3,
				    unsigned long in4, unsigned long in5,
				    uint32_t *o1, uint32_t *o2, uint32_t *o3)
{
#if defined(HVP_BACKEND_TDX)
	HVP_TDX_CALL(cmd, in1, in3, in4, in5);
	*o1 = (uint32_t)o_[1]; *o2 = (uint32_t)o_[2]; *o3 = (uint32_t)o_[3];
	return r_;
#else
	unsigned long out0, b = in1, c = cmd, d = HVP_LB_DX(in3);

	asm volatile(HVP_LB_INSN
		     : "=a"(out0), "+b"(b), "+c"(c), "+d"(d)
		     : "a"(HVP_MAGIC), "S"(in4), "D"(in5)
		     : "cc", "memory");
	*o1 = (uint32_t)b; *o2 = (uint32_t)c; *o3 = (uint32_t)d;
	return out0;
#endif
}

#if HVP_HAS_HB
/*
 * High-bandwidth transfers. in6 travels in EBP. The template swaps RBP with a compiler-chosen
 * register around the trap (save RBP, load in6, restore) instead of push/pop: user-mode cells
 * keep a red zone below RSP that a push would overwrite. If the compiler picks RBP itself for
 * the operand, the swap is a no-op and RBP already holds in6 — still correct.
 * EAX, EBX out; RCX, RDX, RSI, RDI, RBP preserved (sheet section 2.5).
 */
static inline unsigned long hvp_hb_out(unsigned long cmd, unsigned long in2, unsigned long in3,
				       unsigned long in4, unsigned long in5, unsigned long in6,
				       uint32_t *o1)
{
	unsigned long out0, b = cmd, t = in6;

	asm volatile("xchg %[t], %%rbp\n\t" HVP_HB_OUT_INSN "\n\txchg %[t], %%rbp"
		     : "=a"(out0), "+b"(b), [t] "+r"(t)
		     : "a"(HVP_MAGIC), "c"(in2), "d"(HVP_HB_OUT_DX(in3)), "S"(in4), "D"(in5)
		     : "cc", "memory");
	*o1 = (uint32_t)b;
	return out0;
}

static inline unsigned long hvp_hb_in(unsigned long cmd, unsigned long in2, unsigned long in3,
				      unsigned long in4, unsigned long in5, unsigned long in6,
				      uint32_t *o1)
{
	unsigned long out0, b = cmd, t = in6;

	asm volatile("xchg %[t], %%rbp\n\t" HVP_HB_IN_INSN "\n\txchg %[t], %%rbp"
		     : "=a"(out0), "+b"(b), [t] "+r"(t)
		     : "a"(HVP_MAGIC), "c"(in2), "d"(HVP_HB_IN_DX(in3)), "S"(in4), "D"(in5)
		     : "cc", "memory");
	*o1 = (uint32_t)b;
	return out0;
}
#endif

#endif
