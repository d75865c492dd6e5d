/*
 * Seeded bugs, x86_64. Built with the port backend; each bug_* function carries its own faulty
 * asm (or faulty use of a correct wrapper). The manifest says which finding each must produce
 * and in which matrix cells it cannot manifest.
 */
#include "hvp/rpc.h"

static const char set_req[] = "info-set guestinfo.hvprobe hello";

/* GETVERSION writes EBX (the magic), but EBX is declared input-only; probe is reused after. */
HVP_EXPORT unsigned int bug_getversion_ebx_input_only(unsigned int probe)
{
	unsigned long eax, c = HVP_CMD_GETVERSION;

	asm volatile("inl %%dx, %%eax"
		     : "=a"(eax), "+c"(c)
		     : "a"(HVP_MAGIC), "b"((unsigned long)probe), "d"(HVP_PORT_LB)
		     : "rsi", "rdi", "cc", "memory");
	return probe + (uint32_t)eax;
}

/* HB receive without a "memory" clobber: out[0] read before the transfer is reused after it. */
HVP_EXPORT int bug_hb_in_no_memory_clobber(char *out, int outlen)
{
	struct hvp_chan ch;
	uint32_t st;
	long len;
	unsigned long eax, b = (HVP_ST_SUCCESS << 16) | HVP_HBCMD_MESSAGE, t;
	char first, reply;

	if (hvp_rpc_open(&ch) < 0)
		return -1;
	if (hvp_rpc_send_lb(&ch, set_req, sizeof(set_req) - 1) < 0)
		return -1;
	len = hvp_rpc_recvsize(&ch, &st);
	if (len <= 0 || len + 1 > outlen || !(st & HVP_ST_HB))
		return -1;
	first = out[0];
	if (first == '1')
		return -4;     /* caller's buffer already holds a reply */
	t = ch.cookie_lo;
	asm volatile("xchg %[t], %%rbp\n\trep insb\n\txchg %[t], %%rbp"
		     : "=a"(eax), "+b"(b), [t] "+r"(t)
		     : "a"(HVP_MAGIC), "c"(len), "d"(HVP_CHAN_DX(&ch) | HVP_PORT_HB),
		       "S"((unsigned long)ch.cookie_hi), "D"(out)
		     : "cc");
	reply = out[0];
	hvp_rpc_recvstatus(&ch, 1);
	hvp_rpc_close(&ch);
	return reply;
}

/* HB send that loads in6 into EBP and never restores RBP (nor declares it). */
HVP_EXPORT int bug_hb_rbp_not_restored(void)
{
	struct hvp_chan ch;
	char reply[8];
	unsigned long eax, b = (HVP_ST_SUCCESS << 16) | HVP_HBCMD_MESSAGE;
	long st;

	if (hvp_rpc_open(&ch) < 0)
		return -1;
	st = hvp_rpc_sendsize(&ch, sizeof(set_req) - 1);
	if (st < 0 || !(st & HVP_ST_HB))
		return -1;
	asm volatile("movl %[in6], %%ebp\n\trep outsb"
		     : "=a"(eax), "+b"(b)
		     : "a"(HVP_MAGIC), "c"(sizeof(set_req) - 1), "d"(HVP_CHAN_DX(&ch) | HVP_PORT_HB),
		       "S"(set_req), "D"((unsigned long)ch.cookie_lo), [in6] "r"(ch.cookie_hi)
		     : "cc", "memory");
	st = hvp_rpc_recv_lb(&ch, reply, sizeof(reply));
	hvp_rpc_close(&ch);
	return (int)st;
}

/* Command and parameter swapped: ECX = 0 (no such command), EBX = 10. */
HVP_EXPORT int bug_command_in_ebx(void)
{
	unsigned long eax;

	asm volatile("inl %%dx, %%eax"
		     : "=a"(eax)
		     : "a"(HVP_MAGIC), "b"(HVP_CMD_GETVERSION), "c"(0ul), "d"(HVP_PORT_LB)
		     : "rsi", "rdi", "cc", "memory");
	return (int)(uint32_t)eax;
}

/* Magic written byte-swapped ("hXMV"). */
HVP_EXPORT int bug_magic_byteswapped(void)
{
	unsigned long eax, b = 0, c = HVP_CMD_GETVERSION;

	asm volatile("inl %%dx, %%eax"
		     : "=a"(eax), "+b"(b), "+c"(c)
		     : "a"(0x68584D56u), "d"(HVP_PORT_LB)
		     : "rsi", "rdi", "cc", "memory");
	return (int)(uint32_t)eax;
}

/* LB `in eax, dx` aimed at the HB port 0x5659. */
HVP_EXPORT int bug_lb_on_hb_port(void)
{
	unsigned long eax, b = 0, c = HVP_CMD_GETVERSION;

	asm volatile("inl %%dx, %%eax"
		     : "=a"(eax), "+b"(b), "+c"(c)
		     : "a"(HVP_MAGIC), "d"(HVP_PORT_HB)
		     : "rsi", "rdi", "cc", "memory");
	return (int)(uint32_t)eax;
}

/* PTP SETTIME with the whole 64-bit value in EDI (ESI = 0): the host sees only bits 31:0. */
HVP_EXPORT int bug_ptp_settime_truncated(unsigned long ns)
{
	uint32_t info;

	return (int)(uint32_t)hvp_hc5(HVP_SUB(HVP_CMD_PRECISIONCLOCK, HVP_PTP_SETTIME), 0, 0, 0, ns,
				      &info);
}

/* The template keeps RBX in R12 (a callee-saved register) without declaring R12. */
HVP_EXPORT int bug_r12_scratch(void)
{
	unsigned long eax, o1, c = HVP_CMD_GETVERSION;

	asm volatile("mov %%rbx, %%r12\n\t"
		     "movl %%edi, %%ebx\n\t"
		     "inl %%dx, %%eax\n\t"
		     "movl %%ebx, %%esi\n\t"
		     "mov %%r12, %%rbx"
		     : "=a"(eax), "=S"(o1), "+c"(c)
		     : "a"(HVP_MAGIC), "D"(0ul), "d"(HVP_PORT_LB)
		     : "cc", "memory");
	return (uint32_t)o1 == HVP_MAGIC ? (int)(uint32_t)eax : -3;
}

/* SENDSIZE as a non-volatile asm whose status nobody reads: -O2 deletes it. */
static inline uint32_t sendsize_nonvolatile(struct hvp_chan *ch, size_t len)
{
	unsigned long eax, c = HVP_MSG(HVP_MSG_SENDSIZE);

	asm("inl %%dx, %%eax"
	    : "=a"(eax), "+c"(c)
	    : "a"(HVP_MAGIC), "b"(len), "d"(HVP_CHAN_DX(ch) | HVP_PORT_LB),
	      "S"((unsigned long)ch->cookie_hi), "D"((unsigned long)ch->cookie_lo)
	    : "cc", "memory");
	return (uint32_t)c;
}

HVP_EXPORT int bug_nonvolatile_sendsize(void)
{
	struct hvp_chan ch;
	char reply[8];
	size_t len = sizeof(set_req) - 1;
	long got = -1;
	uint32_t ecx;

	if (hvp_rpc_open(&ch) < 0)
		return -1;
	sendsize_nonvolatile(&ch, len);      /* "the host always accepts the size" */
	for (size_t off = 0; off < len; off += 4) {
		uint32_t word = 0;

		for (size_t i = 0; i < 4 && off + i < len; i++)
			word |= (uint32_t)(unsigned char)set_req[off + i] << (8 * i);
		hvp_hc5(HVP_MSG(HVP_MSG_SENDPAYLOAD), word, HVP_CHAN_DX(&ch), ch.cookie_hi,
			ch.cookie_lo, &ecx);
		if (!(HVP_ST(ecx) & HVP_ST_SUCCESS))
			goto out;
	}
	got = hvp_rpc_recv_lb(&ch, reply, sizeof(reply));
out:
	hvp_rpc_close(&ch);
	return (int)got;
}

/*
 * The port template sets DX itself while EDX is declared input-only; the next call (VMCALL,
 * DX[15:0] must be 0) reuses the register the compiler believes still holds chan << 16.
 */
HVP_EXPORT int bug_port_template_writes_dx(unsigned int chan)
{
	unsigned long in3 = (unsigned long)chan << 16, eax;
	int can_vmcall = 0;
	uint32_t a, b, c, d;

	hvp_cpuid(0x40000000u, &a, &b, &c, &d);
	if (a >= 0x40000010u) {
		hvp_cpuid(0x40000010u, &a, &b, &c, &d);
		can_vmcall = (c >> 1) & 1;
	}
	asm volatile("movw $0x5658, %%dx\n\tinl %%dx, %%eax"
		     : "=a"(eax)
		     : "a"(HVP_MAGIC), "b"(0ul), "c"((unsigned long)HVP_CMD_GET_VCPU_INFO), "d"(in3)
		     : "rsi", "rdi", "cc", "memory");
	if (!can_vmcall)
		return (int)(uint32_t)eax;
	asm volatile("vmcall"
		     : "=a"(eax)
		     : "a"(HVP_MAGIC), "b"(0ul), "c"((unsigned long)HVP_CMD_GET_VCPU_INFO), "d"(in3)
		     : "rsi", "rdi", "cc", "memory");
	return (int)(uint32_t)eax;
}

/*
 * A receive wrapper that declares EAX, EBX, ECX as outputs but EDX input-only, although RECVSIZE and
 * RECVPAYLOAD write EDX (EDX[31:16] = 1 / 2, DX[15:0] = 0; sheet 4.2, pitfall 5: never rely on DX after
 * a port call). The caller computes DX once and the compiler keeps it in RDX across the calls.
 */
static inline uint32_t recv_dx_kept(unsigned long cmd, unsigned long in1, unsigned long dx,
				    const struct hvp_chan *ch, uint32_t *ebx)
{
	unsigned long eax, b = in1, c = cmd;

	asm volatile("inl %%dx, %%eax"
		     : "=a"(eax), "+b"(b), "+c"(c)
		     : "a"(HVP_MAGIC), "d"(dx), "S"((unsigned long)ch->cookie_hi),
		       "D"((unsigned long)ch->cookie_lo)
		     : "cc", "memory");
	*ebx = (uint32_t)b;
	return (uint32_t)c;
}

/* Sends "info-set ..." and receives the reply ("1 ") into out; returns its length. */
HVP_EXPORT int bug_recv_dx_reused(char *out, int outlen)
{
	struct hvp_chan ch;
	unsigned long dx;
	uint32_t st, len, word;

	if (hvp_rpc_open(&ch) < 0)
		return -1;
	if (hvp_rpc_send_lb(&ch, set_req, sizeof(set_req) - 1) < 0)
		return -1;
	dx = HVP_CHAN_DX(&ch) | HVP_PORT_LB;
	st = recv_dx_kept(HVP_MSG(HVP_MSG_RECVSIZE), 0, dx, &ch, &len);
	if (!(HVP_ST(st) & HVP_ST_DORECV) || len + 1 > (uint32_t)outlen)
		return -2;
	for (uint32_t off = 0; off < len; off += 4) {
		st = recv_dx_kept(HVP_MSG(HVP_MSG_RECVPAYLOAD), HVP_ST_SUCCESS, dx, &ch, &word);
		if (!(HVP_ST(st) & HVP_ST_SUCCESS))
			return -3;
		for (uint32_t i = 0; i < 4 && off + i < len; i++)
			out[off + i] = (char)(word >> (8 * i));
	}
	out[len] = '\0';
	hvp_rpc_recvstatus(&ch, 1);
	hvp_rpc_close(&ch);
	return (int)len;
}

/*
 * GETTIMEFULL through a hypercall4-style wrapper from before RSI/RDI were declared: EAX..EDX are outputs,
 * but the host also writes ESI (seconds[63:32]); success leaves EAX = magic (sheet 3.2, pitfall 6).
 */
static inline unsigned long gettimefull_rsi_kept(uint32_t *usec, uint32_t *lag, uint32_t *sec_lo)
{
	unsigned long eax, b = 0, c = HVP_CMD_GETTIMEFULL, d = HVP_PORT_LB;

	asm volatile("inl %%dx, %%eax"
		     : "=a"(eax), "+b"(b), "+c"(c), "+d"(d)
		     : "a"(HVP_MAGIC)
		     : "cc", "memory");
	*usec = (uint32_t)b; *lag = (uint32_t)c; *sec_lo = (uint32_t)d;
	return eax;
}

/* Host seconds[31:0] + bias; bias (the second argument) stays in RSI across GETTIMEFULL. */
HVP_EXPORT long bug_gettimefull_rsi_kept(unsigned long flags, unsigned long bias)
{
	uint32_t usec, lag, lo;

	if ((uint32_t)gettimefull_rsi_kept(&usec, &lag, &lo) != HVP_MAGIC || (flags & 1))
		return -1;
	return (long)(lo + bias);
}

/* Linux generation-A style vmmouse wrappers: RSI/RDI assumed to survive (sheet 2.5, 7, 8). */
static inline unsigned long mouse_hc1_a(unsigned long cmd, unsigned long in1)
{
	unsigned long eax;

	asm volatile("inl %%dx, %%eax"
		     : "=a"(eax)
		     : "a"(HVP_MAGIC), "b"(in1), "c"(cmd), "d"(HVP_PORT_LB)
		     : "cc", "memory");
	return eax;
}

static inline unsigned long mouse_data4_a(uint32_t *x, uint32_t *y, uint32_t *z)
{
	unsigned long eax, b = 4, c = HVP_CMD_ABSPOINTER_DATA, d = HVP_PORT_LB;

	asm volatile("inl %%dx, %%eax"
		     : "=a"(eax), "+b"(b), "+c"(c), "+d"(d)
		     : "a"(HVP_MAGIC)
		     : "cc", "memory");
	*x = (uint32_t)b; *y = (uint32_t)c; *z = (uint32_t)d;
	return eax;
}

/* Returns tag + X of the queued packet; tag (64-bit) lives in RDI across the vmmouse calls. */
HVP_EXPORT long bug_vmmouse_keeps_rdi(unsigned long tag)
{
	uint32_t st, x, y, z;

	mouse_hc1_a(HVP_CMD_ABSPOINTER_CMD, HVP_MOUSE_ENABLE);
	st = (uint32_t)mouse_hc1_a(HVP_CMD_ABSPOINTER_STATUS, 0);
	if ((st & 0xFFFFu) == 0 ||
	    (uint32_t)mouse_hc1_a(HVP_CMD_ABSPOINTER_DATA, 1) != HVP_MOUSE_VERSION_ID)
		return -1;
	mouse_hc1_a(HVP_CMD_ABSPOINTER_CMD, HVP_MOUSE_REQ_ABSOLUTE);
	st = (uint32_t)mouse_hc1_a(HVP_CMD_ABSPOINTER_STATUS, 0);
	if ((st & 0xFFFFu) < 4)
		return -3;
	mouse_data4_a(&x, &y, &z);
	return (long)(tag + x);
}

/* VMCALL issued without looking at CPUID.0x40000010 ECX bit 1. */
HVP_EXPORT int bug_vmcall_unchecked(void)
{
	unsigned long eax, b = 0, c = HVP_CMD_GETVERSION;

	asm volatile("vmcall"
		     : "=a"(eax), "+b"(b), "+c"(c)
		     : "a"(HVP_MAGIC), "d"(0ul)
		     : "rsi", "rdi", "cc", "memory");
	return (int)(uint32_t)eax;
}

/* The first payload chunk goes out before SENDSIZE. */
HVP_EXPORT int bug_rpc_payload_before_size(void)
{
	struct hvp_chan ch;
	uint32_t ecx;
	int r;

	if (hvp_rpc_open(&ch) < 0)
		return -1;
	hvp_hc5(HVP_MSG(HVP_MSG_SENDPAYLOAD), 0x6f666e69u /* "info" */, HVP_CHAN_DX(&ch),
		ch.cookie_hi, ch.cookie_lo, &ecx);
	r = (HVP_ST(ecx) & HVP_ST_SUCCESS) ? 0 : -1;
	hvp_rpc_sendsize(&ch, 4);
	hvp_rpc_close(&ch);
	return r;
}

/* Cookie halves swapped (ESI <-> EDI) after OPEN. */
HVP_EXPORT int bug_rpc_cookies_swapped(void)
{
	struct hvp_chan ch;
	uint32_t tmp, ecx;

	if (hvp_rpc_open(&ch) < 0)
		return -1;
	tmp = ch.cookie_hi;
	ch.cookie_hi = ch.cookie_lo;
	ch.cookie_lo = tmp;
	hvp_hc5(HVP_MSG(HVP_MSG_SENDSIZE), 4, HVP_CHAN_DX(&ch), ch.cookie_hi, ch.cookie_lo, &ecx);
	return (HVP_ST(ecx) & HVP_ST_SUCCESS) ? 0 : -1;
}

/* SENDSIZE announces 2 GiB - 1. */
HVP_EXPORT int bug_rpc_oversize(void)
{
	struct hvp_chan ch;
	long st;

	if (hvp_rpc_open(&ch) < 0)
		return -1;
	st = hvp_rpc_sendsize(&ch, 0x7FFFFFFFul);
	hvp_rpc_close(&ch);
	return st < 0 ? -1 : 0;
}

/* HB-out length includes the NUL that SENDSIZE did not announce. */
HVP_EXPORT int bug_hb_length_mismatch(void)
{
	struct hvp_chan ch;
	uint32_t ebx;
	size_t len = sizeof(set_req) - 1;
	long st;

	if (hvp_rpc_open(&ch) < 0)
		return -1;
	st = hvp_rpc_sendsize(&ch, len);
	if (st < 0 || !(st & HVP_ST_HB))
		return -1;
	hvp_hb_out((HVP_ST_SUCCESS << 16) | HVP_HBCMD_MESSAGE, len + 1, HVP_CHAN_DX(&ch),
		   (unsigned long)set_req, ch.cookie_lo, ch.cookie_hi, &ebx);
	hvp_rpc_close(&ch);
	return (HVP_ST(ebx) & HVP_ST_SUCCESS) ? 0 : -1;
}

/* TDCALL with the port number left in RDX[15:0] (must be 0). */
HVP_EXPORT int bug_tdx_dx_port(void)
{
	register unsigned long r10 asm("r10") = HVP_TDX_LEAF;
	register unsigned long r11 asm("r11") = HVP_TDX_FUNC;
	register unsigned long r12 asm("r12") = HVP_MAGIC;
	register unsigned long r13 asm("r13") = HVP_CMD_GETVERSION;
	register unsigned long r15 asm("r15") = 0;
	unsigned long rax = 0, rcx = HVP_TDX_REGMASK, rbx = 0, rdx = HVP_PORT_LB;

	asm volatile(".byte 0x66,0x0f,0x01,0xcc"
		     : "+a"(rax), "+c"(rcx), "+b"(rbx), "+d"(rdx), "+r"(r10), "+r"(r11), "+r"(r12),
		       "+r"(r13), "+r"(r15)
		     :
		     : "rsi", "rdi", "r8", "r9", "r14", "cc", "memory");
	return (int)(uint32_t)r12;
}

/* Balloon wrapper that forgets ESI (and EDX) may change. */
static inline uint32_t balloon_esi_kept(uint32_t cmd, unsigned long arg1, unsigned long *ebx_out)
{
	unsigned long eax, b = arg1, c = cmd;

	asm volatile("inl %%dx, %%eax"
		     : "=a"(eax), "+b"(b), "+c"(c)
		     : "a"(HVP_BALLOON_MAGIC), "d"(HVP_BALLOON_PORT)
		     : "cc", "memory");
	*ebx_out = b;
	return (uint32_t)eax;
}

/* Returns target + keep; keep lives in RSI across calls that may change ESI. */
HVP_EXPORT long bug_balloon_assumes_esi_kept(unsigned long pages, unsigned long keep)
{
	unsigned long ebx;

	if (balloon_esi_kept(HVP_BALLOON_START, HVP_BALLOON_CAP_BASIC, &ebx) !=
	    HVP_BALLOON_SUCCESS_WITH_CAPS)
		return -1;
	if (balloon_esi_kept(HVP_BALLOON_GET_TARGET, pages, &ebx) != 0)
		return -1;
	return (long)((uint32_t)ebx + keep);
}

/* LOCK without START (no BASIC capability negotiated). */
HVP_EXPORT int bug_balloon_lock_without_start(unsigned long ppn)
{
	unsigned long eax, b = ppn, c = HVP_BALLOON_LOCK, d = HVP_BALLOON_PORT, s = 1;

	asm volatile("inl %%dx, %%eax"
		     : "=a"(eax), "+b"(b), "+c"(c), "+d"(d), "+S"(s)
		     : "a"(HVP_BALLOON_MAGIC)
		     : "cc", "memory");
	return (int)(uint32_t)eax;
}
