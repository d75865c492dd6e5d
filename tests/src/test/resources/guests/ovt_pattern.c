/*
 * The open-vm-tools backdoor pattern, written here from the facts in docs/vmware-model.md ("Ignored input
 * bits"): a request is a set of register unions on the stack of which the caller fills only the 32- or 16-bit
 * halves it means; the call then loads all 64 bits of RAX..RDI from them. Bits 63:32 (and DX[31:16]) carry
 * whatever the stack held. The VmCheck-style probe sets ECX[31:16] = 0xFFFF to see whether the host writes
 * the product type; the GuestRPC open/close passes the channel and cookies the same way.
 */
typedef union {
    unsigned long q;
    unsigned int w;
    struct {
        unsigned short lo, hi;
    } h;
} hv_reg;

struct hv_req {
    hv_reg ax, bx, cx, dx, si, di;
};

#define HV_MAGIC 0x564D5868u
#define HV_PORT 0x5658
#define HV_GETVERSION 10
#define HV_MESSAGE 30
#define MSG_OPEN 0
#define MSG_CLOSE 6
#define RPCI_WITH_COOKIES (0x49435052u | 0x80000000u)

/* Whole 64-bit registers in and out, as the pattern does. */
static void __attribute__((noinline)) hv_call(struct hv_req *r)
{
    unsigned long a = r->ax.q, b = r->bx.q, c = r->cx.q, d = r->dx.q, s = r->si.q, di = r->di.q;

    __asm__ __volatile__("inl %%dx, %%eax"
                         : "+a"(a), "+b"(b), "+c"(c), "+d"(d), "+S"(s), "+D"(di)
                         :
                         : "memory");
    r->ax.q = a;
    r->bx.q = b;
    r->cx.q = c;
    r->dx.q = d;
    r->si.q = s;
    r->di.q = di;
}

/* Leaves a recognisable pattern where the next call's frame will be. */
static void __attribute__((noinline)) leave_stack_garbage(void)
{
    volatile unsigned long junk[24];

    for (int i = 0; i < 24; i++) {
        junk[i] = 0xA5A5A5A500000000ul | (unsigned long)i;
    }
}

/* 1 and the version/type when a VMware backdoor answers, else 0. */
static int __attribute__((noinline)) vm_get_version(unsigned int *version, unsigned int *type)
{
    struct hv_req r;

    r.ax.w = HV_MAGIC;
    r.bx.w = ~HV_MAGIC;          /* not the magic, so a host that answers must write it */
    r.cx.h.hi = 0xFFFF;          /* not a known product type */
    r.cx.h.lo = HV_GETVERSION;
    r.dx.h.lo = HV_PORT;
    hv_call(&r);
    if (r.ax.w == 0xFFFFFFFFu || r.bx.w != HV_MAGIC) {
        return 0;
    }
    *version = r.ax.w;
    *type = r.cx.h.hi == 0xFFFF ? 0 : r.cx.w;
    return 1;
}

/* version << 8 | type, or -1 when no backdoor answered. */
int ovt_probe(void)
{
    unsigned int version = 0, type = 0;

    leave_stack_garbage();
    if (!vm_get_version(&version, &type)) {
        return -1;
    }
    return (int)(version << 8 | type);
}

/* Opens a GuestRPC channel with cookies and closes it again: channel + 1, or a negative step number. */
static int __attribute__((noinline)) rpc_open_close(void)
{
    struct hv_req open, close;
    unsigned short channel;

    open.ax.w = HV_MAGIC;
    open.bx.w = RPCI_WITH_COOKIES;
    open.cx.h.lo = HV_MESSAGE;
    open.cx.h.hi = MSG_OPEN;
    open.dx.h.lo = HV_PORT;
    hv_call(&open);
    if ((open.cx.h.hi & 1) == 0) {
        return -1;
    }
    channel = open.dx.h.hi;
    close.ax.w = HV_MAGIC;
    close.cx.h.lo = HV_MESSAGE;
    close.cx.h.hi = MSG_CLOSE;
    close.dx.h.lo = HV_PORT;
    close.dx.h.hi = channel;
    close.si.w = open.si.w;
    close.di.w = open.di.w;
    hv_call(&close);
    return (close.cx.h.hi & 1) ? channel + 1 : -2;
}

int ovt_rpc(void)
{
    leave_stack_garbage();
    return rpc_open_close();
}
