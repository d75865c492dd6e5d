/*
 * Balloon calls written here from spec §6: status in EAX, capabilities in RCX after START, the target in RBX.
 * Like Linux's vmw_balloon, every register is an unsigned long, so the whole register reaches the caller.
 */
#define BALLOON_MAGIC 0x456C6D6Ful
#define BALLOON_PORT 0x5670ul
#define START_WITH_CAPABILITIES 0x03000000ul

static unsigned long __attribute__((noinline)) balloon_cmd(unsigned long cmd, unsigned long arg1, unsigned long *rcx,
                                                           unsigned long *rbx)
{
    unsigned long status, c, d, b, s;

    __asm__ __volatile__("inl %%dx"
                         : "=a"(status), "=c"(c), "=d"(d), "=b"(b), "=S"(s)
                         : "0"(BALLOON_MAGIC), "1"(cmd), "2"(BALLOON_PORT), "3"(arg1), "4"(0ul)
                         : "memory");
    *rcx = c;
    *rbx = b;
    return status;
}

/* The capabilities the host answers START with, read from the whole RCX: correct (spec §2.3, §6). */
unsigned long balloon_capabilities(unsigned long wanted)
{
    unsigned long rcx, rbx;

    if (balloon_cmd(0, wanted, &rcx, &rbx) != START_WITH_CAPABILITIES) {
        return 0;
    }
    return rcx;
}

/*
 * Mutant: without the 64-bit target capability the host writes a 32-bit target, but this reads the whole RBX
 * after GET_TARGET (bits 63:32 are undefined then).
 */
unsigned long balloon_target_without_64bit_cap(void)
{
    unsigned long rcx, rbx;

    balloon_cmd(0, 0x1E, &rcx, &rbx);
    balloon_cmd(1, 0x100000, &rcx, &rbx);
    return rbx;
}
