/*
 * The limit: the two benchmark workloads driven straight through libunicorn, no language runtime in between.
 *
 *   uc_peer ARCH WORKLOAD GUEST.bin ENTRY_OFFSET N REPS
 *
 * ARCH is x86_64 or arm64; WORKLOAD is
 *   hypercall  run hc_loop(N): a UC_HOOK_CODE on the exact trap address (`in eax, dx` / `mrs xzr, mdccsr_el0`)
 *              reads the inputs in one uc_reg_read_batch, answers GETVERSION (EAX/X0 = 6, EBX/X1 = magic,
 *              ECX/X2 = 2; a wrong magic, command or X7 control word gets EAX/X0 = 0xFFFFFFFF) and moves the
 *              PC past the trap, all in one uc_reg_write_batch;
 *   trace      run trace_loop(N): a UC_HOOK_CODE on every instruction reads all general registers (the same
 *              18 / 34 registers as hvprobe's snapshot) in one uc_reg_read_batch.
 * GUEST.bin is the guest's .text (objcopy -O binary), ENTRY_OFFSET the function's offset in it. The call runs
 * from the entry to a return sentinel, like hvprobe's GuestMachine. Each of REPS repetitions is timed around
 * uc_emu_start only; the output is one JSON line with the operation count and the median and best times.
 */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unicorn/unicorn.h>

#define CODE_BASE 0x10000000ULL
#define STACK_BASE 0x7ff00000ULL
#define STACK_SIZE 0x10000ULL
#define SENTINEL 0x7fe00000ULL
#define MAGIC 0x564D5868ULL

static int x86_snapshot[] = {
    UC_X86_REG_RAX, UC_X86_REG_RBX, UC_X86_REG_RCX, UC_X86_REG_RDX, UC_X86_REG_RSI, UC_X86_REG_RDI,
    UC_X86_REG_RBP, UC_X86_REG_RSP, UC_X86_REG_R8,  UC_X86_REG_R9,  UC_X86_REG_R10, UC_X86_REG_R11,
    UC_X86_REG_R12, UC_X86_REG_R13, UC_X86_REG_R14, UC_X86_REG_R15, UC_X86_REG_RIP, UC_X86_REG_RFLAGS,
};
static int arm64_snapshot[34];

static int nregs;
static int *regs;
static uint64_t values[34];
static void *ptrs[34];
static uint64_t ops;
static uint64_t checksum;

static void check(uc_err err, const char *what) {
    if (err != UC_ERR_OK) {
        fprintf(stderr, "uc_peer: %s: %s\n", what, uc_strerror(err));
        exit(2);
    }
}

static void hook_x86_trap(uc_engine *uc, uint64_t address, uint32_t size, void *user) {
    (void) size; (void) user;
    static int in_ids[] = {UC_X86_REG_RAX, UC_X86_REG_RCX, UC_X86_REG_RDX};
    static int out_ids[] = {UC_X86_REG_RAX, UC_X86_REG_RBX, UC_X86_REG_RCX, UC_X86_REG_RIP};
    uint64_t in[3], out[4];
    void *inp[3] = {&in[0], &in[1], &in[2]};
    void *outp[4] = {&out[0], &out[1], &out[2], &out[3]};
    uc_reg_read_batch(uc, in_ids, inp, 3);
    int n = 1;
    if ((in[0] & 0xFFFFFFFF) == MAGIC && (in[1] & 0xFFFF) == 10 && (in[2] & 0xFFFF) == 0x5658) {
        out[0] = 6; out[1] = MAGIC; out[2] = 2;
        n = 3;
    } else {
        out[0] = 0xFFFFFFFF;
    }
    out[n] = address + 1; /* in eax, dx is one byte */
    out_ids[n] = UC_X86_REG_RIP;
    uc_reg_write_batch(uc, out_ids, outp, n + 1);
    out_ids[1] = UC_X86_REG_RBX;
    ops++;
}

static void hook_arm64_trap(uc_engine *uc, uint64_t address, uint32_t size, void *user) {
    (void) size; (void) user;
    static int in_ids[] = {UC_ARM64_REG_X0, UC_ARM64_REG_X2, UC_ARM64_REG_X3, UC_ARM64_REG_X7};
    static int out_ids[] = {UC_ARM64_REG_X0, UC_ARM64_REG_X1, UC_ARM64_REG_X2, UC_ARM64_REG_PC};
    uint64_t in[4], out[4];
    void *inp[4] = {&in[0], &in[1], &in[2], &in[3]};
    void *outp[4] = {&out[0], &out[1], &out[2], &out[3]};
    uc_reg_read_batch(uc, in_ids, inp, 4);
    int n = 1;
    if ((in[0] & 0xFFFFFFFF) == MAGIC && (in[1] & 0xFFFF) == 10 && (in[2] & 0xFFFF) == 0x5658
            && in[3] == 0x000000860000000EULL) {
        out[0] = 6; out[1] = MAGIC; out[2] = 2;
        n = 3;
    } else {
        out[0] = 0xFFFFFFFF;
    }
    out[n] = address + 4;
    out_ids[n] = UC_ARM64_REG_PC;
    uc_reg_write_batch(uc, out_ids, outp, n + 1);
    out_ids[1] = UC_ARM64_REG_X1;
    ops++;
}

static void hook_trace(uc_engine *uc, uint64_t address, uint32_t size, void *user) {
    (void) address; (void) size; (void) user;
    uc_reg_read_batch(uc, regs, ptrs, nregs);
    checksum += values[0];
    ops++;
}

static double now(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return ts.tv_sec + ts.tv_nsec / 1e9;
}

static int cmp_double(const void *a, const void *b) {
    double x = *(const double *) a, y = *(const double *) b;
    return x < y ? -1 : x > y;
}

static unsigned char *read_file(const char *path, size_t *len) {
    FILE *f = fopen(path, "rb");
    if (!f) { perror(path); exit(2); }
    fseek(f, 0, SEEK_END);
    *len = (size_t) ftell(f);
    fseek(f, 0, SEEK_SET);
    unsigned char *buf = malloc(*len);
    if (fread(buf, 1, *len, f) != *len) { perror(path); exit(2); }
    fclose(f);
    return buf;
}

/* Registers at the call: the argument, a stack with the return sentinel, PC at the entry. */
static void set_up_call(uc_engine *uc, int x86, uint64_t entry, uint64_t n) {
    uint64_t sp = STACK_BASE + STACK_SIZE - 0x100;
    if (x86) {
        uint64_t ret = SENTINEL;
        sp -= 8;
        check(uc_mem_write(uc, sp, &ret, 8), "uc_mem_write");
        check(uc_reg_write(uc, UC_X86_REG_RSP, &sp), "rsp");
        check(uc_reg_write(uc, UC_X86_REG_RDI, &n), "rdi");
        check(uc_reg_write(uc, UC_X86_REG_RIP, &entry), "rip");
    } else {
        uint64_t ret = SENTINEL;
        check(uc_reg_write(uc, UC_ARM64_REG_SP, &sp), "sp");
        check(uc_reg_write(uc, UC_ARM64_REG_X0, &n), "x0");
        check(uc_reg_write(uc, UC_ARM64_REG_X30, &ret), "x30");
        check(uc_reg_write(uc, UC_ARM64_REG_PC, &entry), "pc");
    }
}

int main(int argc, char **argv) {
    if (argc != 7) {
        fprintf(stderr, "usage: uc_peer x86_64|arm64 hypercall|trace GUEST.bin ENTRY_OFFSET N REPS\n");
        return 2;
    }
    int x86 = strcmp(argv[1], "x86_64") == 0;
    if (!x86 && strcmp(argv[1], "arm64") != 0) { fprintf(stderr, "uc_peer: bad arch %s\n", argv[1]); return 2; }
    int hypercall = strcmp(argv[2], "hypercall") == 0;
    if (!hypercall && strcmp(argv[2], "trace") != 0) { fprintf(stderr, "uc_peer: bad workload %s\n", argv[2]); return 2; }
    size_t len;
    unsigned char *code = read_file(argv[3], &len);
    uint64_t entry = CODE_BASE + strtoull(argv[4], NULL, 0);
    uint64_t n = strtoull(argv[5], NULL, 0);
    int reps = atoi(argv[6]);
    if (reps < 1 || reps > 100000) { fprintf(stderr, "uc_peer: bad REPS\n"); return 2; }

    for (int i = 0; i < 29; i++) arm64_snapshot[i] = UC_ARM64_REG_X0 + i;
    /* X29 and X30 are not contiguous with X0..X28 in unicorn.h: name them. */
    arm64_snapshot[29] = UC_ARM64_REG_X29;
    arm64_snapshot[30] = UC_ARM64_REG_X30;
    arm64_snapshot[31] = UC_ARM64_REG_SP;
    arm64_snapshot[32] = UC_ARM64_REG_PC;
    arm64_snapshot[33] = UC_ARM64_REG_NZCV;
    regs = x86 ? x86_snapshot : arm64_snapshot;
    nregs = x86 ? 18 : 34;
    for (int i = 0; i < nregs; i++) ptrs[i] = &values[i];

    uc_engine *uc;
    check(uc_open(x86 ? UC_ARCH_X86 : UC_ARCH_ARM64, x86 ? UC_MODE_64 : UC_MODE_ARM, &uc), "uc_open");
    size_t mapped = (len + 0xFFF) & ~(size_t) 0xFFF;
    check(uc_mem_map(uc, CODE_BASE, mapped, UC_PROT_READ | UC_PROT_EXEC), "map code");
    check(uc_mem_write(uc, CODE_BASE, code, len), "write code");
    check(uc_mem_map(uc, STACK_BASE, STACK_SIZE, UC_PROT_READ | UC_PROT_WRITE), "map stack");
    check(uc_mem_map(uc, SENTINEL, 0x1000, UC_PROT_READ | UC_PROT_EXEC), "map sentinel");

    uc_hook h;
    if (hypercall) {
        /* The trap site: the single `in eax, dx` (0xED) / `mrs xzr, mdccsr_el0` (0xD533011F) in the function. */
        uint64_t site = 0;
        for (size_t off = entry - CODE_BASE; off < len && !site; off += x86 ? 1 : 4) {
            if (x86 ? code[off] == 0xED : (off + 4 <= len && code[off] == 0x1F && code[off + 1] == 0x01
                    && code[off + 2] == 0x33 && code[off + 3] == 0xD5)) {
                site = CODE_BASE + off;
            }
        }
        if (!site) { fprintf(stderr, "uc_peer: no trap instruction after the entry\n"); return 2; }
        check(uc_hook_add(uc, &h, UC_HOOK_CODE, x86 ? (void *) hook_x86_trap : (void *) hook_arm64_trap, NULL,
                site, site), "hook trap");
    } else {
        check(uc_hook_add(uc, &h, UC_HOOK_CODE, (void *) hook_trace, NULL, CODE_BASE, CODE_BASE + len - 1),
                "hook trace");
    }

    double *times = calloc((size_t) reps, sizeof(double));
    uint64_t per_run = 0, result = 0;
    for (int r = 0; r < reps; r++) {
        set_up_call(uc, x86, entry, n);
        ops = 0;
        double t0 = now();
        check(uc_emu_start(uc, entry, SENTINEL, 0, 0), "uc_emu_start");
        times[r] = now() - t0;
        uint64_t pc;
        check(uc_reg_read(uc, x86 ? UC_X86_REG_RIP : UC_ARM64_REG_PC, &pc), "pc");
        if (pc != SENTINEL) { fprintf(stderr, "uc_peer: stopped at 0x%" PRIx64 ", not at the return\n", pc); return 1; }
        check(uc_reg_read(uc, x86 ? UC_X86_REG_RAX : UC_ARM64_REG_X0, &result), "result");
        if (r > 0 && ops != per_run) { fprintf(stderr, "uc_peer: operation count changed between runs\n"); return 1; }
        per_run = ops;
    }
    if (hypercall && (per_run != n || (result & 0xFFFFFFFF) != 6)) {
        fprintf(stderr, "uc_peer: expected %" PRIu64 " GETVERSION answers returning 6, saw %" PRIu64 " returning %" PRIu64 "\n",
                n, per_run, result);
        return 1;
    }
    if (!hypercall && per_run != 5 * n + 5) {
        fprintf(stderr, "uc_peer: expected %" PRIu64 " traced instructions, saw %" PRIu64 "\n", 5 * n + 5, per_run);
        return 1;
    }
    qsort(times, (size_t) reps, sizeof(double), cmp_double);
    printf("{\"peer\":\"c\",\"arch\":\"%s\",\"workload\":\"%s\",\"n\":%" PRIu64 ",\"ops\":%" PRIu64
           ",\"reps\":%d,\"median_s\":%.9f,\"best_s\":%.9f,\"result\":%" PRIu64 ",\"checksum\":%" PRIu64 "}\n",
           argv[1], argv[2], n, per_run, reps, times[reps / 2], times[0], result, checksum);
    uc_close(uc);
    free(times);
    free(code);
    return 0;
}
