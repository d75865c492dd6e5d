/* Guest code for KernelEnvironmentTest: t_SYMBOL calls SYMBOL as a driver would and returns 0 when the result is
 * what a kernel gives (non-zero: which check failed). Compiled at test time for x86_64 and arm64 with -std=gnu11,
 * so the old-style declarations below take any arguments. */
#include <stdarg.h>

typedef unsigned long ul;
#define NULLP ((void *)0)

extern void *__kmalloc_noprof();
extern char *krealloc();
extern int strcmp();

/* ---- allocation ---- */
static long check_block(char *p, ul n) {
    if (!p) return 1;
    if ((ul)p & 7) return 2;
    for (ul i = 0; i < n; i++) if (p[i]) return 3;
    p[0] = 1; p[n - 1] = 2;
    return 0;
}
#define ALLOC(sym, call, huge) extern void *sym(); \
    long t_##sym(void) { char *p = (char *)call; long r = check_block(p, 100); if (r) return r; \
        char *q = (char *)call; if (q == p) return 4; return huge ? 5 : 0; }
ALLOC(kmalloc, kmalloc(100, 0), kmalloc(1UL << 32, 0))
ALLOC(__kmalloc, __kmalloc(100, 0), __kmalloc(1UL << 32, 0))
ALLOC(__kmalloc_noprof, __kmalloc_noprof(100, 0), __kmalloc_noprof(1UL << 32, 0))
ALLOC(__kmalloc_node_noprof, __kmalloc_node_noprof(100, 0, -1), __kmalloc_node_noprof(1UL << 32, 0, -1))
ALLOC(__kmalloc_large_noprof, __kmalloc_large_noprof(100, 0), __kmalloc_large_noprof(1UL << 32, 0))
ALLOC(__kmalloc_large_node_noprof, __kmalloc_large_node_noprof(100, 0, -1), __kmalloc_large_node_noprof(-1UL, 0, -1))
ALLOC(kmalloc_trace, kmalloc_trace(NULLP, 0, 100), kmalloc_trace(NULLP, 0, 1UL << 32))
ALLOC(kmalloc_trace_noprof, kmalloc_trace_noprof(NULLP, 0, 100), kmalloc_trace_noprof(NULLP, 0, 1UL << 32))
ALLOC(__kmalloc_cache_noprof, __kmalloc_cache_noprof(NULLP, 0, 100), __kmalloc_cache_noprof(NULLP, 0, 1UL << 32))
ALLOC(__kmalloc_cache_node_noprof, __kmalloc_cache_node_noprof(NULLP, 0, -1, 100),
      __kmalloc_cache_node_noprof(NULLP, 0, -1, 1UL << 32))
ALLOC(kmalloc_node_trace_noprof, kmalloc_node_trace_noprof(NULLP, 0, -1, 100),
      kmalloc_node_trace_noprof(NULLP, 0, -1, 1UL << 32))
ALLOC(kzalloc, kzalloc(100, 0), kzalloc(1UL << 32, 0))
ALLOC(kcalloc, kcalloc(10, 10, 0), kcalloc(1UL << 40, 1UL << 40, 0))
ALLOC(kmalloc_array, kmalloc_array(10, 10, 0), kmalloc_array(1UL << 33, 2, 0))
ALLOC(kvmalloc, kvmalloc(100, 0), kvmalloc(1UL << 32, 0))
ALLOC(kvzalloc, kvzalloc(100, 0), kvzalloc(1UL << 32, 0))
ALLOC(kvmalloc_node, kvmalloc_node(100, 0, -1), kvmalloc_node(1UL << 32, 0, -1))
ALLOC(__kvmalloc_node_noprof, __kvmalloc_node_noprof(100, 0, -1), __kvmalloc_node_noprof(1UL << 32, 0, -1))
ALLOC(kvmalloc_node_noprof, kvmalloc_node_noprof(100, 0, -1), kvmalloc_node_noprof(1UL << 32, 0, -1))
ALLOC(vmalloc, vmalloc(100), vmalloc(1UL << 32))
ALLOC(vmalloc_noprof, vmalloc_noprof(100), vmalloc_noprof(1UL << 32))
ALLOC(vzalloc, vzalloc(100), vzalloc(1UL << 32))
ALLOC(vzalloc_noprof, vzalloc_noprof(100), vzalloc_noprof(1UL << 32))
ALLOC(devm_kmalloc, devm_kmalloc(NULLP, 100, 0), devm_kmalloc(NULLP, 1UL << 32, 0))
ALLOC(devm_kzalloc, devm_kzalloc(NULLP, 100, 0), devm_kzalloc(NULLP, 1UL << 32, 0))
ALLOC(devm_kcalloc, devm_kcalloc(NULLP, 10, 10, 0), devm_kcalloc(NULLP, 1UL << 40, 1UL << 40, 0))
ALLOC(devm_kmalloc_array, devm_kmalloc_array(NULLP, 10, 10, 0), devm_kmalloc_array(NULLP, 1UL << 40, 1UL << 40, 0))

long t_kmalloc_zero(void) { return __kmalloc_noprof(0, 0) == (void *)16 ? 0 : 1; }

#define REALLOC(sym, ...) extern char *sym(); \
    long t_##sym(void) { char *p = __kmalloc_noprof(8, 0); for (int i = 0; i < 8; i++) p[i] = 'a' + i; \
        char *q = sym(__VA_ARGS__); if (!q || q == p) return 1; \
        for (int i = 0; i < 8; i++) if (q[i] != 'a' + i) return 2; \
        for (int i = 8; i < 64; i++) if (q[i]) return 3; \
        return 0; }
REALLOC(krealloc, p, 64, 0)
REALLOC(krealloc_noprof, p, 64, 0)
REALLOC(devm_krealloc, NULLP, p, 64, 0)

/* A freed block is no longer the heap's: reallocating it gives NULL (and a heap event). */
#define FREE(sym, ...) extern void sym(); \
    long t_##sym(void) { char *p = __kmalloc_noprof(8, 0); sym(__VA_ARGS__); \
        return krealloc(p, 16, 0) == 0 ? 0 : 1; }
FREE(kfree, p)
FREE(kvfree, p)
FREE(vfree, p)
FREE(kfree_sensitive, p)
FREE(kvfree_sensitive, p)
FREE(devm_kfree, NULLP, p)
FREE(kvfree_call_rcu, NULLP, p)
long t_kfree_null(void) { kfree(NULLP); kfree((void *)16); return 0; }

#define STRDUP(sym, ...) extern char *sym(); \
    long t_##sym(void) { static const char s[] = "guestinfo"; char *d = sym(__VA_ARGS__); \
        if (!d || d == s) return 1; return strcmp(d, EXPECT); }
#define EXPECT "guestinfo"
STRDUP(kstrdup, s, 0)
STRDUP(kstrdup_const, s, 0)
STRDUP(devm_kstrdup, NULLP, s, 0)
#undef EXPECT
#define EXPECT "guest"
STRDUP(kstrndup, s, 5, 0)
#undef EXPECT

#define MEMDUP(sym, ...) extern char *sym(); \
    long t_##sym(void) { static const char s[4] = {1, 2, 0, 4}; char *d = sym(__VA_ARGS__); \
        if (!d || d == s) return 1; return d[0] == 1 && d[1] == 2 && d[2] == 0 && d[3] == 4 ? 0 : 2; }
MEMDUP(kmemdup, s, 4, 0)
MEMDUP(kmemdup_noprof, s, 4, 0)
MEMDUP(devm_kmemdup, NULLP, s, 4, 0)
MEMDUP(memdup_user, s, 4)

/* ---- formatting ---- */
#define FORMAT "%s %d %u %x %lu %llx %c %% [%5d] [%-4s] [%.3s] [%08x] [%zu] [%*d] [%ld] [%hhu] [%#x]"
#define FORMAT_ARGS "key", -42, 4000000000u, 0xbeefu, 123456789012UL, 0x1122334455667788ULL, 'Z', 7, "ab", \
    "abcdef", 0x1234u, (ul)99, 3, 5, -5L, 258, 255u
#define FORMATTED "key -42 4000000000 beef 123456789012 1122334455667788 Z % [    7] [ab  ] [abc] [00001234] [99] [  5] [-5] [2] [0xff]"

extern char *kasprintf(unsigned gfp, const char *fmt, ...);
extern char *devm_kasprintf(void *dev, unsigned gfp, const char *fmt, ...);
extern char *kvasprintf(unsigned gfp, const char *fmt, va_list ap);
extern char *devm_kvasprintf(void *dev, unsigned gfp, const char *fmt, va_list ap);
extern int snprintf(char *buf, ul size, const char *fmt, ...);
extern int scnprintf(char *buf, ul size, const char *fmt, ...);
extern int sprintf(char *buf, const char *fmt, ...);
extern int vsnprintf(char *buf, ul size, const char *fmt, va_list ap);
extern int vscnprintf(char *buf, ul size, const char *fmt, va_list ap);
extern int vsprintf(char *buf, const char *fmt, va_list ap);

long t_kasprintf(void) { char *s = kasprintf(0, FORMAT, FORMAT_ARGS); return s ? strcmp(s, FORMATTED) : 99; }
long t_devm_kasprintf(void) { char *s = devm_kasprintf(NULLP, 0, FORMAT, FORMAT_ARGS); return s ? strcmp(s, FORMATTED) : 99; }
static char *via_kvasprintf(int devm, const char *fmt, ...) {
    va_list ap; va_start(ap, fmt);
    char *s = devm ? devm_kvasprintf(NULLP, 0, fmt, ap) : kvasprintf(0, fmt, ap);
    va_end(ap); return s;
}
long t_kvasprintf(void) { char *s = via_kvasprintf(0, FORMAT, FORMAT_ARGS); return s ? strcmp(s, FORMATTED) : 99; }
long t_devm_kvasprintf(void) { char *s = via_kvasprintf(1, FORMAT, FORMAT_ARGS); return s ? strcmp(s, FORMATTED) : 99; }

long t_snprintf(void) {
    char b[16]; for (int i = 0; i < 16; i++) b[i] = 'x';
    int n = snprintf(b, 8, "%s=%d", "value", 12345);         /* "value=12345" is 11 characters */
    if (n != 11) return 1;
    if (strcmp(b, "value=1")) return 2;                        /* cut to 7 characters and the NUL */
    if (b[8] != 'x') return 3;                                  /* nothing written past the size */
    return snprintf(b, 0, "abc") == 3 && b[0] == 'v' ? 0 : 4;   /* size 0: nothing written */
}
long t_scnprintf(void) {
    char b[16];
    int n = scnprintf(b, 8, "%s=%d", "value", 12345);
    return n == 7 && !strcmp(b, "value=1") ? 0 : 1;
}
long t_sprintf(void) { char b[200]; int n = sprintf(b, FORMAT, FORMAT_ARGS);
    return n == (int)sizeof(FORMATTED) - 1 ? strcmp(b, FORMATTED) : 99; }
static int via_v(int which, char *b, ul size, const char *fmt, ...) {
    va_list ap; va_start(ap, fmt); int n;
    if (which == 0) n = vsnprintf(b, size, fmt, ap);
    else if (which == 1) n = vscnprintf(b, size, fmt, ap);
    else n = vsprintf(b, fmt, ap);
    va_end(ap); return n;
}
/* Eight and more arguments: the va_list walks from its register save area onto the stack. */
#define MANY "%d %d %d %d %d %d %d %d %d %d %s"
#define MANY_ARGS 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, "end"
long t_vsnprintf(void) { char b[200]; int n = via_v(0, b, sizeof b, MANY, MANY_ARGS);
    if (n != 24) return 1; if (strcmp(b, "1 2 3 4 5 6 7 8 9 10 end")) return 2;
    return via_v(0, b, 4, FORMAT, FORMAT_ARGS) == (int)sizeof(FORMATTED) - 1 && !strcmp(b, "key") ? 0 : 3; }
long t_vscnprintf(void) { char b[8]; return via_v(1, b, sizeof b, MANY, MANY_ARGS) == 7 && !strcmp(b, "1 2 3 4") ? 0 : 1; }
long t_vsprintf(void) { char b[200]; via_v(2, b, 0, FORMAT, FORMAT_ARGS); return strcmp(b, FORMATTED); }

/* Stack arguments of a variadic call (more than the argument registers hold). */
long t_snprintf_many(void) { char b[64]; snprintf(b, sizeof b, MANY, MANY_ARGS); return strcmp(b, "1 2 3 4 5 6 7 8 9 10 end"); }

#define STRSCPY(sym) extern long sym(); \
    long t_##sym(void) { char b[8]; if (sym(b, "abc", sizeof b) != 3 || strcmp(b, "abc")) return 1; \
        if (sym(b, "abcdefghij", sizeof b) != -7 || strcmp(b, "abcdefg")) return 2; \
        return sym(b, "x", 0) == -7 ? 0 : 3; }
STRSCPY(strscpy)
STRSCPY(sized_strscpy)

extern ul strlen(); extern ul strnlen();
long t_strlen(void) { return strlen("") == 0 && strlen("hvprobe") == 7 ? 0 : 1; }
long t_strnlen(void) { return strnlen("hvprobe", 3) == 3 && strnlen("hv", 10) == 2 ? 0 : 1; }
/* An unterminated string at the end of the heap stops at the end of mapped memory: the call ends (fault). */
long t_strlen_unterminated(char *p) { return strlen(p); }
long t_strcmp(void) { return strcmp("abc", "abc") == 0 && strcmp("abc", "abd") < 0 && strcmp("b", "a") > 0
        && strcmp("ab", "abc") < 0 && strcmp("\xff", "a") > 0 ? 0 : 1; }
extern int strncmp();
long t_strncmp(void) { return strncmp("abcx", "abcy", 3) == 0 && strncmp("abcx", "abcy", 4) < 0 ? 0 : 1; }

#define MEMCPY(sym) extern void *sym(); \
    long t_##sym(void) { char b[8] = "abcdefg"; if (sym(b + 1, b, 4) != b + 1) return 1; \
        return b[0] == 'a' && b[1] == 'a' && b[2] == 'b' && b[4] == 'd' && b[5] == 'f' ? 0 : 2; }
MEMCPY(memcpy)
MEMCPY(__memcpy)
MEMCPY(memmove)
MEMCPY(__memmove)
#define MEMSET(sym) extern void *sym(); \
    long t_##sym(void) { char b[4] = {1, 1, 1, 1}; if (sym(b, 0x1ab, 3) != b) return 1; \
        return (unsigned char)b[0] == 0xab && (unsigned char)b[2] == 0xab && b[3] == 1 ? 0 : 2; }
MEMSET(memset)
MEMSET(__memset)
extern int memcmp();
long t_memcmp(void) { return memcmp("ab\0c", "ab\0c", 4) == 0 && memcmp("ab\0c", "ab\0d", 4) < 0
        && memcmp("\x80", "\x01", 1) > 0 ? 0 : 1; }

/* ---- logging: the Java side checks the kernel events ---- */
#define LOG(sym, ...) extern int sym(); long t_##sym(void) { sym(__VA_ARGS__); return 0; }
LOG(printk, "\0013hvprobe %s %d\n", "log", 1)
LOG(_printk, "\0016hvprobe %s %d\n", "log", 1)
LOG(_dev_emerg, NULLP, "hvprobe %s %d\n", "log", 1)
LOG(_dev_alert, NULLP, "hvprobe %s %d\n", "log", 1)
LOG(_dev_crit, NULLP, "hvprobe %s %d\n", "log", 1)
LOG(_dev_err, NULLP, "hvprobe %s %d\n", "log", 1)
LOG(_dev_warn, NULLP, "hvprobe %s %d\n", "log", 1)
LOG(_dev_notice, NULLP, "hvprobe %s %d\n", "log", 1)
LOG(_dev_info, NULLP, "hvprobe %s %d\n", "log", 1)
LOG(dev_err_probe, NULLP, -5, "hvprobe %s %d\n", "log", 1)
LOG(_dev_printk, "\0014", NULLP, "hvprobe %s %d\n", "log", 1)
LOG(dev_printk_emit, 4, NULLP, "hvprobe %s %d\n", "log", 1)
LOG(__dynamic_dev_dbg, NULLP, NULLP, "hvprobe %s %d\n", "log", 1)
LOG(__dynamic_pr_debug, NULLP, "hvprobe %s %d\n", "log", 1)
LOG(__drm_err, "hvprobe %s %d\n", "log", 1)
LOG(__drm_dbg, 1, "hvprobe %s %d\n", "log", 1)
LOG(__drm_dev_dbg, NULLP, NULLP, 1, "hvprobe %s %d\n", "log", 1)
LOG(drm_dev_printk, NULLP, "\0013", "hvprobe %s %d\n", "log", 1)
LOG(__warn_printk, "hvprobe %s %d\n", "log", 1)
extern int vprintk(const char *fmt, va_list ap);
static void via_vprintk(const char *fmt, ...) { va_list ap; va_start(ap, fmt); vprintk(fmt, ap); va_end(ap); }
long t_vprintk(void) { via_vprintk("hvprobe %s %d\n", "log", 1); return 0; }

/* ---- no-ops: locks, RCU, preemption, IRQ state ---- */
#define RET(sym, value) extern long sym(); long t_##sym(void) { return sym(NULLP) == value ? 0 : 1; }
RET(_raw_spin_lock, 0) RET(_raw_spin_unlock, 0) RET(_raw_spin_lock_irq, 0) RET(_raw_spin_unlock_irq, 0)
RET(_raw_spin_lock_bh, 0) RET(_raw_spin_unlock_bh, 0) RET(_raw_spin_lock_irqsave, 0)
RET(_raw_spin_unlock_irqrestore, 0) RET(_raw_spin_trylock, 1) RET(_raw_read_lock, 0) RET(_raw_read_unlock, 0)
RET(_raw_write_lock, 0) RET(_raw_write_unlock, 0) RET(_raw_write_lock_irqsave, 0)
RET(_raw_write_unlock_irqrestore, 0) RET(queued_spin_lock_slowpath, 0) RET(__mutex_init, 0) RET(mutex_lock, 0)
RET(mutex_unlock, 0) RET(mutex_lock_interruptible, 0) RET(mutex_lock_killable, 0) RET(mutex_trylock, 1)
RET(mutex_is_locked, 0) RET(down_read, 0) RET(up_read, 0) RET(down_write, 0) RET(up_write, 0)
RET(down_read_trylock, 1) RET(down_write_trylock, 1) RET(__init_rwsem, 0) RET(__raw_spin_lock_init, 0)
RET(__rcu_read_lock, 0) RET(__rcu_read_unlock, 0) RET(synchronize_rcu, 0) RET(rcu_barrier, 0)
RET(preempt_schedule, 0) RET(preempt_schedule_notrace, 0) RET(__SCT__preempt_schedule, 0)
RET(__SCT__preempt_schedule_notrace, 0) RET(__SCT__might_resched, 0) RET(__SCT__cond_resched, 0)
RET(preempt_schedule_thunk, 0) RET(preempt_schedule_notrace_thunk, 0)
RET(migrate_disable, 0) RET(migrate_enable, 0) RET(local_bh_enable, 0) RET(__local_bh_enable_ip, 0)
RET(arch_local_irq_save, 0) RET(arch_local_irq_restore, 0) RET(might_sleep, 0) RET(__might_sleep, 0)
RET(__might_fault, 0) RET(__cond_resched, 0) RET(_cond_resched, 0)

/* ---- time: deterministic; each reading moves the clock 1 us; delays move it by what they ask ---- */
extern long ktime_get(void);
extern unsigned long volatile jiffies;
#define DELAY(sym, arg, ns) extern long sym(); \
    long t_##sym(void) { long a = ktime_get(); ul j = jiffies; sym(arg); long b = ktime_get(); \
        if (b - a != (ns) + 1000) return 1; return jiffies - j == ((ul)(a + (ns) + 1000) / 4000000 - (ul)a / 4000000) ? 0 : 2; }
DELAY(msleep, 20, 20000000L)
DELAY(msleep_interruptible, 20, 20000000L)
DELAY(ssleep, 1, 1000000000L)
DELAY(usleep_range_state, 150, 150000L)
DELAY(__udelay, 150, 150000L)
DELAY(__ndelay, 150, 150L)
DELAY(__const_udelay, 150 * 0x10c7UL, 150000L)
DELAY(schedule_timeout, 5, 20000000L)
DELAY(schedule_timeout_interruptible, 5, 20000000L)
DELAY(schedule_timeout_uninterruptible, 5, 20000000L)
#define CLOCK(sym) extern long sym(); \
    long t_##sym(void) { long a = sym(); long b = sym(); return a >= 1000000000L && b - a == 1000 ? 0 : 1; }
CLOCK(ktime_get) CLOCK(ktime_get_raw) CLOCK(ktime_get_real) CLOCK(ktime_get_boottime) CLOCK(ktime_get_mono_fast_ns)
CLOCK(ktime_get_with_offset)
extern ul get_jiffies_64(void);
long t_get_jiffies_64(void) { return get_jiffies_64() == 250 && jiffies == 250 ? 0 : 1; }
struct ts64 { long sec; long nsec; };
#define TS(sym) extern void sym(struct ts64 *); \
    long t_##sym(void) { struct ts64 t; sym(&t); return t.sec == 1 && t.nsec == 0 ? 0 : 1; }
TS(ktime_get_ts64) TS(ktime_get_real_ts64) TS(ktime_get_raw_ts64)

/* ---- user copies: guest memory stands for user memory; the result is the bytes NOT copied ---- */
#define COPY(sym) extern ul sym(); \
    long t_##sym(void) { char src[4] = "abc", dst[4] = {0}; if (sym(dst, src, 4) != 0 || strcmp(dst, "abc")) return 1; \
        return sym(dst, (void *)8, 4) == 4 ? 0 : 2; }
COPY(_copy_from_user) COPY(_copy_to_user) COPY(__arch_copy_from_user) COPY(__arch_copy_to_user)
COPY(copy_from_user) COPY(copy_to_user)
