/* Guest code for KernelTrapsTest: the kernel's BUG()/WARN() as the kernel emits them (a trap instruction and a
 * __bug_table entry with a relative address; VERBOSE adds file and line, as CONFIG_DEBUG_BUGVERBOSE does), and
 * port I/O of ordinary devices. */
#ifdef __x86_64__
#define BUG_INSN "ud2"
#else
#define BUG_INSN "brk #0x800"
#endif
#ifdef VERBOSE
#define BUG_FIELDS(flags) ".long 3b - .\n.short 42\n.short " #flags "\n"
#else
#define BUG_FIELDS(flags) ".short " #flags "\n.short 0\n"
#endif
#define BUG_ENTRY(flags) asm volatile("1: " BUG_INSN "\n" \
    ".pushsection .rodata.str1.1, \"aMS\", @progbits, 1\n3: .asciz \"drivers/misc/hvprobe.c\"\n.popsection\n" \
    ".pushsection __bug_table, \"aw\"\n2: .long 1b - .\n" BUG_FIELDS(flags) ".popsection" ::: "memory")

int warn_on_negative(int x) {
    if (x < 0)
        BUG_ENTRY(1);   /* BUGFLAG_WARNING */
    return x + 1;
}

int bug_on_negative(int x) {
    if (x < 0)
        BUG_ENTRY(0);
    return x + 1;
}

#ifdef __x86_64__
/* The PC speaker (port 0x61, immediate) and an indexed register pair (port in DX), as pcspkr and SVGA do. */
unsigned speaker_status(void) {
    unsigned char v;
    asm volatile("inb $0x61, %0" : "=a"(v));
    return v;
}

unsigned indexed_read(unsigned short base, unsigned index) {
    unsigned v;
    asm volatile("outl %0, %w1" : : "a"(index), "d"(base));
    asm volatile("inl %w1, %0" : "=a"(v) : "d"((unsigned short)(base + 1)));
    return v;
}

void read_block(unsigned short port, unsigned char *buf, unsigned long n) {
    asm volatile("rep insb" : "+D"(buf), "+c"(n) : "d"(port) : "memory");
}
#endif
