/*
 * An open-vm-tools-style RpcOut round trip (docs/clients.md), written here after the pattern of
 * open-vm-tools' lib/backdoor (register-image wrappers, interface chosen once from CPUID and cached
 * in a static), lib/message (channels with cookies, HB when the host offers it, 4-byte LB
 * otherwise, retry on checkpoint) and lib/rpcOut (one channel per command, "1 " reply check).
 *
 * Habits reproduced on purpose (sheet 2.3, 3.2): callers fill only the 16/32-bit halves of an
 * uninitialised register image on the stack and the wrappers load all 64 bits of every register,
 * so bits 63:32 reach the hypervisor as stack garbage; the VmCheck-style version probe pre-sets
 * ECX[31:16] = 0xFFFF to see whether the host writes the whole ECX.
 *
 * Mutation hook: OVT_MUTANT_NO_RBX_CLOBBER (LB wrappers no longer declare RBX clobbered).
 */
#include "client.h"

#define GUESTMSG_MAX_IN 1024

typedef union {
	struct {
		uint16_t low;
		uint16_t high;
	} halfs;
	uint32_t word;
	uint64_t quad;
} ovt_reg;

/* LB register image: ax, bx (size), cx, dx, si, di — 8 bytes each, in that order. */
typedef struct {
	ovt_reg ax;
	ovt_reg bx;
	ovt_reg cx;
	ovt_reg dx;
	ovt_reg si;
	ovt_reg di;
} ovt_proto;

/* HB register image: ax, bx, cx (size), dx, si (source), di (destination), bp. */
typedef struct {
	ovt_reg ax;
	ovt_reg bx;
	ovt_reg cx;
	ovt_reg dx;
	ovt_reg si;
	ovt_reg di;
	ovt_reg bp;
} ovt_proto_hb;

typedef enum { OVT_IF_NONE, OVT_IF_IO, OVT_IF_VMCALL, OVT_IF_VMMCALL } ovt_interface;

#if defined(__x86_64__)

#if defined(OVT_MUTANT_NO_RBX_CLOBBER)
#define OVT_LB_CLOBBERS "rcx", "rdx", "rsi", "rdi", "memory"	/* the one change: no "rbx" */
#else
#define OVT_LB_CLOBBERS "rbx", "rcx", "rdx", "rsi", "rdi", "memory"
#endif

/* Load the image from the pointer in RAX, trap, store everything back through the pointer kept on the stack. */
#define OVT_LB_WRAPPER(fname, insn)                                                  \
	static __attribute__((noinline)) void fname(ovt_proto *bp)                   \
	{                                                                            \
		uint64_t dummy;                                                      \
		asm volatile("pushq %%rax\n\t"                                       \
			     "movq 40(%%rax), %%rdi\n\t"                             \
			     "movq 32(%%rax), %%rsi\n\t"                             \
			     "movq 24(%%rax), %%rdx\n\t"                             \
			     "movq 16(%%rax), %%rcx\n\t"                             \
			     "movq 8(%%rax), %%rbx\n\t"                              \
			     "movq (%%rax), %%rax\n\t"                               \
			     insn "\n\t"                                             \
			     "xchgq %%rax, (%%rsp)\n\t"                              \
			     "movq %%rdi, 40(%%rax)\n\t"                             \
			     "movq %%rsi, 32(%%rax)\n\t"                             \
			     "movq %%rdx, 24(%%rax)\n\t"                             \
			     "movq %%rcx, 16(%%rax)\n\t"                             \
			     "movq %%rbx, 8(%%rax)\n\t"                              \
			     "popq (%%rax)"                                          \
			     : "=a"(dummy)                                           \
			     : "0"(bp)                                               \
			     : OVT_LB_CLOBBERS);                                     \
	}

/* Same with RBP loaded from the image and saved around the trap; "cc" because of cld. */
#define OVT_HB_WRAPPER(fname, insn)                                                  \
	static __attribute__((noinline)) void fname(ovt_proto_hb *bp)                \
	{                                                                            \
		uint64_t dummy;                                                      \
		asm volatile("pushq %%rbp\n\t"                                       \
			     "pushq %%rax\n\t"                                       \
			     "movq 48(%%rax), %%rbp\n\t"                             \
			     "movq 40(%%rax), %%rdi\n\t"                             \
			     "movq 32(%%rax), %%rsi\n\t"                             \
			     "movq 24(%%rax), %%rdx\n\t"                             \
			     "movq 16(%%rax), %%rcx\n\t"                             \
			     "movq 8(%%rax), %%rbx\n\t"                              \
			     "movq (%%rax), %%rax\n\t"                               \
			     "cld\n\t"                                               \
			     insn "\n\t"                                             \
			     "xchgq %%rax, (%%rsp)\n\t"                              \
			     "movq %%rbp, 48(%%rax)\n\t"                             \
			     "movq %%rdi, 40(%%rax)\n\t"                             \
			     "movq %%rsi, 32(%%rax)\n\t"                             \
			     "movq %%rdx, 24(%%rax)\n\t"                             \
			     "movq %%rcx, 16(%%rax)\n\t"                             \
			     "movq %%rbx, 8(%%rax)\n\t"                              \
			     "popq (%%rax)\n\t"                                      \
			     "popq %%rbp"                                            \
			     : "=a"(dummy)                                           \
			     : "0"(bp)                                               \
			     : "rbx", "rcx", "rdx", "rsi", "rdi", "memory", "cc");   \
	}

OVT_LB_WRAPPER(ovt_inout_io, "inl %%dx, %%eax")
OVT_LB_WRAPPER(ovt_inout_vmcall, "vmcall")
OVT_LB_WRAPPER(ovt_inout_vmmcall, "vmmcall")
OVT_HB_WRAPPER(ovt_hbout_io, "rep outsb")
OVT_HB_WRAPPER(ovt_hbin_io, "rep insb")
OVT_HB_WRAPPER(ovt_hb_vmcall, "vmcall")
OVT_HB_WRAPPER(ovt_hb_vmmcall, "vmmcall")

static void ovt_cpuid(uint32_t leaf, uint32_t r[4])
{
	asm volatile("cpuid" : "=a"(r[0]), "=b"(r[1]), "=c"(r[2]), "=d"(r[3]) : "0"(leaf), "2"(0u));
}

/*
 * Chosen once and cached, as open-vm-tools does: "VMwareVMware" vendor, then CPUID 0x40000010:
 * VMCALL wins over VMMCALL, else the I/O port. (The model answers only the hypervisor leaves, so the
 * leaf-1 hypervisor-bit check of the original is left out.)
 */
static ovt_interface ovt_get_interface(void)
{
	static ovt_interface cached = OVT_IF_NONE;

	if (cached == OVT_IF_NONE) {
		uint32_t r[4];

		cached = OVT_IF_IO;
		ovt_cpuid(0x40000000u, r);
		if (r[1] == 0x61774d56u && r[2] == 0x4d566572u && r[3] == 0x65726177u && r[0] >= 0x40000010u) {
			ovt_cpuid(0x40000010u, r);
			if (r[2] & 2u)
				cached = OVT_IF_VMCALL;
			else if (r[2] & 1u)
				cached = OVT_IF_VMMCALL;
		}
	}
	return cached;
}

static void ovt_backdoor(ovt_proto *bp)
{
	bp->ax.word = BD_MAGIC;
	switch (ovt_get_interface()) {
	case OVT_IF_VMCALL:
		bp->dx.halfs.low = 0;
		ovt_inout_vmcall(bp);
		break;
	case OVT_IF_VMMCALL:
		bp->dx.halfs.low = 0;
		ovt_inout_vmmcall(bp);
		break;
	default:
		bp->dx.halfs.low = BD_PORT;
		ovt_inout_io(bp);
		break;
	}
}

static void ovt_backdoor_hb(ovt_proto_hb *bp, int out)
{
	bp->ax.word = BD_MAGIC;
	switch (ovt_get_interface()) {
	case OVT_IF_VMCALL:
		bp->dx.halfs.low = out ? 3 : 1;
		ovt_hb_vmcall(bp);
		break;
	case OVT_IF_VMMCALL:
		bp->dx.halfs.low = out ? 3 : 1;
		ovt_hb_vmmcall(bp);
		break;
	default:
		bp->dx.halfs.low = BD_PORT_HB;
		if (out)
			ovt_hbout_io(bp);
		else
			ovt_hbin_io(bp);
		break;
	}
}

#elif defined(__aarch64__)

#define OVT_ARM_LB  "movz x7, #0x86, lsl #32\n\tmovk x7, #0xe\n\t"
#define OVT_ARM_HBO "movz x7, #0x86, lsl #32\n\tmovk x7, #0x18\n\t"
#define OVT_ARM_HBI "movz x7, #0x86, lsl #32\n\tmovk x7, #0x1c\n\t"

static __attribute__((noinline)) void ovt_inout_mrs(ovt_proto *bp)
{
	asm volatile("ldp x4, x5, [%0, #32]\n\t"
		     "ldp x2, x3, [%0, #16]\n\t"
		     "ldp x0, x1, [%0]\n\t"
		     OVT_ARM_LB
		     "mrs xzr, mdccsr_el0\n\t"
		     "stp x4, x5, [%0, #32]\n\t"
		     "stp x2, x3, [%0, #16]\n\t"
		     "stp x0, x1, [%0]"
		     :
		     : "r"(bp)
		     : "x0", "x1", "x2", "x3", "x4", "x5", "x7", "memory");
}

#define OVT_ARM_HB_WRAPPER(fname, desc)                                              \
	static __attribute__((noinline)) void fname(ovt_proto_hb *bp)                \
	{                                                                            \
		asm volatile("ldr x6, [%0, #48]\n\t"                                 \
			     "ldp x4, x5, [%0, #32]\n\t"                             \
			     "ldp x2, x3, [%0, #16]\n\t"                             \
			     "ldp x0, x1, [%0]\n\t"                                  \
			     desc                                                    \
			     "mrs xzr, mdccsr_el0\n\t"                               \
			     "str x6, [%0, #48]\n\t"                                 \
			     "stp x4, x5, [%0, #32]\n\t"                             \
			     "stp x2, x3, [%0, #16]\n\t"                             \
			     "stp x0, x1, [%0]"                                      \
			     :                                                       \
			     : "r"(bp)                                               \
			     : "x0", "x1", "x2", "x3", "x4", "x5", "x6", "x7", "memory"); \
	}

OVT_ARM_HB_WRAPPER(ovt_hbout_mrs, OVT_ARM_HBO)
OVT_ARM_HB_WRAPPER(ovt_hbin_mrs, OVT_ARM_HBI)

static void ovt_backdoor(ovt_proto *bp)
{
	bp->ax.word = BD_MAGIC;
	bp->dx.halfs.low = BD_PORT;
	ovt_inout_mrs(bp);
}

static void ovt_backdoor_hb(ovt_proto_hb *bp, int out)
{
	bp->ax.word = BD_MAGIC;
	bp->dx.halfs.low = BD_PORT_HB;
	if (out)
		ovt_hbout_mrs(bp);
	else
		ovt_hbin_mrs(bp);
}

#else
#error "ovt.c: x86_64 or arm64 only"
#endif

/* ---- message layer ------------------------------------------------------------------------ */

typedef struct {
	uint16_t id;
	uint32_t cookie_high;
	uint32_t cookie_low;
	unsigned char *in;
	size_t in_alloc;
} ovt_channel;

static int ovt_msg_open(ovt_channel *ch, uint32_t proto, unsigned char *buf, size_t buf_size)
{
	uint32_t flags = PROTO_COOKIE;
	ovt_proto bp;

	for (;;) {
		bp.cx.halfs.high = MSG_OPEN;
		bp.bx.quad = proto | flags;
		bp.cx.halfs.low = BD_CMD_MESSAGE;
		ovt_backdoor(&bp);
		if (bp.cx.halfs.high & MSG_ST_SUCCESS)
			break;
		if (!flags)
			return 0;
		flags = 0;	/* cookies refused: retry without */
	}
	ch->id = bp.dx.halfs.high;
	ch->cookie_high = bp.si.word;
	ch->cookie_low = bp.di.word;
	ch->in = buf;
	ch->in_alloc = buf_size;
	return 1;
}

static int ovt_msg_send(ovt_channel *ch, const unsigned char *buf, size_t size)
{
	ovt_proto bp;

retry:
	bp.cx.halfs.high = MSG_SENDSIZE;
	bp.dx.halfs.high = ch->id;
	bp.si.word = ch->cookie_high;
	bp.di.word = ch->cookie_low;
	bp.bx.quad = size;
	bp.cx.halfs.low = BD_CMD_MESSAGE;
	ovt_backdoor(&bp);
	if ((bp.cx.halfs.high & MSG_ST_SUCCESS) == 0)
		return 0;

	if (bp.cx.halfs.high & MSG_ST_HB) {
		if (size) {
			ovt_proto_hb hb;

			hb.bx.halfs.low = BD_HBCMD_MESSAGE;
			hb.bx.halfs.high = MSG_ST_SUCCESS;
			hb.dx.halfs.high = ch->id;
			hb.bp.word = ch->cookie_high;
			hb.di.quad = ch->cookie_low;
			hb.cx.quad = size;
			hb.si.quad = (uintptr_t)buf;
			ovt_backdoor_hb(&hb, 1);
			if ((hb.bx.halfs.high & MSG_ST_SUCCESS) == 0) {
				if (hb.bx.halfs.high & MSG_ST_CPT)
					goto retry;
				return 0;
			}
		}
		return 1;
	}
	while (size) {
		uint32_t piece = 0;
		size_t n = size < 4 ? size : 4;

		client_copy(&piece, buf, n);
		bp.cx.halfs.high = MSG_SENDPAYLOAD;
		bp.dx.halfs.high = ch->id;
		bp.si.word = ch->cookie_high;
		bp.di.word = ch->cookie_low;
		bp.bx.quad = piece;
		bp.cx.halfs.low = BD_CMD_MESSAGE;
		ovt_backdoor(&bp);
		if ((bp.cx.halfs.high & MSG_ST_SUCCESS) == 0) {
			if (bp.cx.halfs.high & MSG_ST_CPT)
				goto retry;
			return 0;
		}
		buf += n;
		size -= n;
	}
	return 1;
}

static int ovt_msg_receive(ovt_channel *ch, unsigned char **buf, size_t *size)
{
	ovt_proto bp;
	size_t len;

retry:
	bp.cx.halfs.high = MSG_RECVSIZE;
	bp.dx.halfs.high = ch->id;
	bp.si.word = ch->cookie_high;
	bp.di.word = ch->cookie_low;
	bp.cx.halfs.low = BD_CMD_MESSAGE;
	ovt_backdoor(&bp);
	if ((bp.cx.halfs.high & MSG_ST_SUCCESS) == 0)
		return 0;
	if ((bp.cx.halfs.high & MSG_ST_DORECV) == 0) {
		*size = 0;
		return 1;
	}
	if (bp.dx.halfs.high != MSG_SENDSIZE)
		return 0;	/* protocol error */
	len = bp.bx.word;
	if (len + 1 > ch->in_alloc)
		return 0;
	*size = len;
	*buf = ch->in;

	if (bp.cx.halfs.high & MSG_ST_HB) {
		if (len) {
			ovt_proto_hb hb;

			hb.bx.halfs.low = BD_HBCMD_MESSAGE;
			hb.bx.halfs.high = MSG_ST_SUCCESS;
			hb.dx.halfs.high = ch->id;
			hb.si.quad = ch->cookie_high;
			hb.bp.word = ch->cookie_low;
			hb.cx.quad = len;
			hb.di.quad = (uintptr_t)ch->in;
			ovt_backdoor_hb(&hb, 0);
			if ((hb.bx.halfs.high & MSG_ST_SUCCESS) == 0) {
				if (hb.bx.halfs.high & MSG_ST_CPT)
					goto retry;
				return 0;
			}
		}
	} else {
		unsigned char *p = ch->in;
		size_t left = len;

		while (left) {
			size_t n = left < 4 ? left : 4;

			bp.cx.halfs.high = MSG_RECVPAYLOAD;
			bp.dx.halfs.high = ch->id;
			bp.si.word = ch->cookie_high;
			bp.di.word = ch->cookie_low;
			bp.bx.quad = MSG_ST_SUCCESS;
			bp.cx.halfs.low = BD_CMD_MESSAGE;
			ovt_backdoor(&bp);
			if ((bp.cx.halfs.high & MSG_ST_SUCCESS) == 0) {
				if (bp.cx.halfs.high & MSG_ST_CPT)
					goto retry;
				return 0;
			}
			if (bp.dx.halfs.high != MSG_SENDPAYLOAD)
				return 0;
			client_copy(p, &bp.bx.word, n);
			p += n;
			left -= n;
		}
	}
	ch->in[len] = '\0';

	bp.cx.halfs.high = MSG_RECVSTATUS;
	bp.dx.halfs.high = ch->id;
	bp.si.word = ch->cookie_high;
	bp.di.word = ch->cookie_low;
	bp.bx.quad = MSG_ST_SUCCESS;
	bp.cx.halfs.low = BD_CMD_MESSAGE;
	ovt_backdoor(&bp);
	if ((bp.cx.halfs.high & MSG_ST_SUCCESS) == 0) {
		if (bp.cx.halfs.high & MSG_ST_CPT)
			goto retry;
		return 0;
	}
	return 1;
}

static int ovt_msg_close(ovt_channel *ch)
{
	ovt_proto bp;

	bp.cx.halfs.high = MSG_CLOSE;
	bp.dx.halfs.high = ch->id;
	bp.si.word = ch->cookie_high;
	bp.di.word = ch->cookie_low;
	bp.cx.halfs.low = BD_CMD_MESSAGE;
	ovt_backdoor(&bp);
	return (bp.cx.halfs.high & MSG_ST_SUCCESS) != 0;
}

/* ---- RpcOut: one channel per command ------------------------------------------------------- */

static unsigned char ovt_reply_buf[GUESTMSG_MAX_IN];

/* Sends one request; on a "1 " reply points *result at the text after the prefix and returns its length. */
static long ovt_rpcout_send_one(const char *request, const char **result)
{
	ovt_channel ch;
	unsigned char *reply = NULL;
	size_t reply_len = 0;
	int ok;

	if (!ovt_msg_open(&ch, PROTO_RPCI, ovt_reply_buf, sizeof(ovt_reply_buf)))
		return -1;
	ok = ovt_msg_send(&ch, (const unsigned char *)request, client_strlen(request)) &&
	     ovt_msg_receive(&ch, &reply, &reply_len);
	if (!ovt_msg_close(&ch) || !ok)
		return -2;
	if (reply_len < 2 || reply[1] != ' ' || (reply[0] != '1' && reply[0] != '0'))
		return -3;	/* invalid format */
	if (reply[0] != '1')
		return -4;
	*result = (const char *)reply + 2;
	return (long)reply_len - 2;
}

/* info-set guestinfo.x hello, then info-get guestinfo.x: copies the value read back, returns its length. */
long CLIENT_ENTRY(ovt_guestinfo_roundtrip)(char *out, unsigned long outlen)
{
	const char *result;
	long n;

	if (ovt_rpcout_send_one("info-set guestinfo.x hello", &result) < 0)
		return -10;
	n = ovt_rpcout_send_one("info-get guestinfo.x", &result);
	if (n < 0)
		return n;
	if ((unsigned long)n > outlen)
		n = (long)outlen;
	client_copy(out, result, (size_t)n);
	return n;
}

/*
 * VmCheck-style version probe: EBX = ~magic, ECX[31:16] = 0xFFFF; returns the version and stores the
 * product type (0 when the host left ECX[31:16] = 0xFFFF, i.e. did not write the whole ECX).
 */
long CLIENT_ENTRY(ovt_vmcheck_version)(uint32_t *type)
{
	ovt_proto bp;

	bp.bx.word = ~BD_MAGIC;
	bp.cx.halfs.high = 0xFFFF;
	bp.cx.halfs.low = BD_CMD_GETVERSION;
	ovt_backdoor(&bp);
	if (bp.ax.word == 0xFFFFFFFFu || bp.bx.word != BD_MAGIC)
		return -1;
	*type = bp.cx.halfs.high == 0xFFFF ? 0 : bp.cx.word;
	return bp.ax.word;
}
