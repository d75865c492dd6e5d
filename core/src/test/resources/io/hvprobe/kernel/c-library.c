/* Guest code for CLibraryTest: t_SYMBOL calls SYMBOL as user-space code would and returns 0 when the result is what
 * the C library (or GLib) gives (non-zero: which check failed). Built at test time as a shared object for x86_64 and
 * arm64 with -std=gnu11, so the old-style declarations below take any arguments. Output entries print
 * "hvprobe out 1" (the test checks the captured line). */
#include <stdarg.h>

typedef unsigned long ul;
extern void *stdout, *stderr;
extern char *malloc();
extern int strcmp();

static long zeroed(char *p, ul n) {
    if (!p) return 1;
    for (ul i = 0; i < n; i++) if (p[i]) return 2;
    p[0] = 1; p[n - 1] = 2;
    return 0;
}
static long same(const char *a, const char *b) { return strcmp(a, b) != 0; }

#define ALLOC(sym, ...) extern char *sym(); \
    long t_##sym(void) { char *p = sym(__VA_ARGS__); long r = zeroed(p, 100); if (r) return r; \
        return sym(__VA_ARGS__) == p ? 3 : 0; }
ALLOC(malloc, 100) ALLOC(g_malloc, 100) ALLOC(g_malloc0, 100) ALLOC(g_try_malloc, 100) ALLOC(g_try_malloc0, 100)
ALLOC(calloc, 10, 10) ALLOC(g_malloc_n, 10, 10) ALLOC(g_malloc0_n, 10, 10)

#define REALLOC(sym) extern char *sym(); \
    long t_##sym(void) { char *p = malloc(8); for (int i = 0; i < 8; i++) p[i] = 'a' + i; \
        char *q = sym(p, 64); if (!q || q == p) return 1; for (int i = 0; i < 8; i++) if (q[i] != 'a' + i) return 2; \
        return 0; }
REALLOC(realloc) REALLOC(g_realloc)

#define FREE(sym) extern void sym(); long t_##sym(void) { sym(malloc(8)); sym((void *)0); return 0; }
FREE(free) FREE(g_free)

#define DUP(sym, n, expect) extern char *sym(); \
    long t_##sym(void) { const char *s = "hvprobe"; char *d = sym(s, n); if (!d || d == s) return 1; \
        return same(d, expect); }
DUP(strdup, 0, "hvprobe") DUP(__strdup, 0, "hvprobe") DUP(g_strdup, 0, "hvprobe")
DUP(strndup, 2, "hv") DUP(g_strndup, 2, "hv") DUP(g_memdup, 8, "hvprobe") DUP(g_memdup2, 8, "hvprobe")

extern char *g_strdup_printf(), *g_strdup_vprintf();
long t_g_strdup_printf(void) { return same(g_strdup_printf("x%d-%s", 5, "y"), "x5-y"); }
static char *vdup(const char *f, ...) { va_list ap; va_start(ap, f); char *s = g_strdup_vprintf(f, ap); va_end(ap); return s; }
long t_g_strdup_vprintf(void) { return same(vdup("x%d-%s", 5, "y"), "x5-y"); }

extern ul strlen(), strnlen();
long t_strlen(void) { return strlen("hvprobe") != 7; }
long t_strnlen(void) { return strnlen("hvprobe", 3) != 3 || strnlen("hv", 9) != 2; }
long t_strcmp(void) { return strcmp("a", "b") >= 0 || strcmp("b", "a") <= 0 || strcmp("x", "x") != 0; }
extern int strncmp();
long t_strncmp(void) { return strncmp("abc", "abd", 2) != 0 || strncmp("abc", "abd", 3) >= 0; }

#define COPY(sym, ...) extern char *sym(); \
    long t_##sym(void) { char d[8] = {0}; char *r = sym(d, "hvprob", 7 __VA_ARGS__); return r != d || same(d, "hvprob"); }
COPY(memcpy) COPY(memmove) COPY(__memcpy_chk, , 8) COPY(__memmove_chk, , 8)
#define SET(sym, ...) extern char *sym(); \
    long t_##sym(void) { char d[4] = {1, 1, 1, 1}; char *r = sym(d, 'z', 3 __VA_ARGS__); \
        return r != d || d[0] != 'z' || d[2] != 'z' || d[3] != 1; }
SET(memset) SET(__memset_chk, , 4)
#define CMP(sym) extern int sym(); long t_##sym(void) { return sym("ab", "ac", 2) >= 0 || sym("ab", "ab", 2) != 0; }
CMP(memcmp) CMP(bcmp)

extern int sprintf(), __sprintf_chk(), vsprintf(), __vsprintf_chk(), snprintf(), __snprintf_chk(), vsnprintf(),
    __vsnprintf_chk(), g_snprintf(), g_vsnprintf();
long t_sprintf(void) { char b[16]; return sprintf(b, "%d-%x", 42, 255) != 5 || same(b, "42-ff"); }
long t___sprintf_chk(void) { char b[16]; return __sprintf_chk(b, 1, 16, "%d-%x", 42, 255) != 5 || same(b, "42-ff"); }
#define VFMT(name, call) static int name(char *b, const char *f, ...) { va_list ap; va_start(ap, f); \
    int n = call; va_end(ap); return n; }
VFMT(v1, vsprintf(b, f, ap)) VFMT(v2, __vsprintf_chk(b, 1, 16, f, ap)) VFMT(v3, vsnprintf(b, 4, f, ap))
VFMT(v4, __vsnprintf_chk(b, 4, 1, 16, f, ap)) VFMT(v5, g_vsnprintf(b, 4, f, ap))
long t_vsprintf(void) { char b[16]; return v1(b, "%d-%x", 42, 255) != 5 || same(b, "42-ff"); }
long t___vsprintf_chk(void) { char b[16]; return v2(b, "%d-%x", 42, 255) != 5 || same(b, "42-ff"); }
long t_snprintf(void) { char b[16]; return snprintf(b, 4, "%d", 12345) != 5 || same(b, "123"); }
long t___snprintf_chk(void) { char b[16]; return __snprintf_chk(b, 4, 1, 16, "%d", 12345) != 5 || same(b, "123"); }
long t_g_snprintf(void) { char b[16]; return g_snprintf(b, 4, "%d", 12345) != 5 || same(b, "123"); }
long t_vsnprintf(void) { char b[16]; return v3(b, "%d", 12345) != 5 || same(b, "123"); }
long t___vsnprintf_chk(void) { char b[16]; return v4(b, "%d", 12345) != 5 || same(b, "123"); }
long t_g_vsnprintf(void) { char b[16]; return v5(b, "%d", 12345) != 5 || same(b, "123"); }

/* ---- output: each prints "hvprobe out 1" ---- */
extern int printf(), __printf_chk(), vprintf(), __vprintf_chk(), fprintf(), __fprintf_chk(), vfprintf(),
    __vfprintf_chk(), puts(), fputs();
extern void g_print(), g_printerr(), g_log(), g_logv();
long t_printf(void) { return printf("hvprobe out %d\n", 1) != 14; }
long t___printf_chk(void) { return __printf_chk(1, "hvprobe out %d\n", 1) != 14; }
long t_fprintf(void) { return fprintf(stderr, "hvprobe out %d\n", 1) != 14; }
long t___fprintf_chk(void) { return __fprintf_chk(stderr, 1, "hvprobe out %d\n", 1) != 14; }
#define VOUT(name, call) static int name(const char *f, ...) { va_list ap; va_start(ap, f); int n = call; \
    va_end(ap); return n; }
VOUT(o1, vprintf(f, ap)) VOUT(o2, __vprintf_chk(1, f, ap)) VOUT(o3, vfprintf(stderr, f, ap))
VOUT(o4, __vfprintf_chk(stderr, 1, f, ap))
static int o5(const char *f, ...) { va_list ap; va_start(ap, f); g_logv("dom", 16, f, ap); va_end(ap); return 14; }
long t_vprintf(void) { return o1("hvprobe out %d\n", 1) != 14; }
long t___vprintf_chk(void) { return o2("hvprobe out %d\n", 1) != 14; }
long t_vfprintf(void) { return o3("hvprobe out %d\n", 1) != 14; }
long t___vfprintf_chk(void) { return o4("hvprobe out %d\n", 1) != 14; }
long t_puts(void) { return puts("hvprobe out 1") < 0; }
long t_fputs(void) { return fputs("hvprobe out 1\n", stderr) < 0; }
long t_g_print(void) { g_print("hvprobe out %d\n", 1); return 0; }
long t_g_printerr(void) { g_printerr("hvprobe out %d\n", 1); return 0; }
long t_g_log(void) { g_log("dom", 16, "hvprobe out %d", 1); return 0; }
long t_g_logv(void) { return o5("hvprobe out %d", 1) != 14; }

/* ---- errno, environment, time ---- */
extern int *__errno_location();
long t___errno_location(void) { int *e = __errno_location(); if (!e) return 1; *e = 34;
    return __errno_location() != e || *e != 34; }
extern char *getenv(), *secure_getenv();
long t_getenv(void) { return getenv("HOME") != 0; }
long t_secure_getenv(void) { return secure_getenv("HOME") != 0; }
extern long time();
long t_time(void) { return time(0) != 1; }
struct ts { long sec, nsec; };
extern int clock_gettime();
long t_clock_gettime(void) { struct ts t = {0, 0}; return clock_gettime(1, &t) != 0 || t.sec != 1; }

/* ---- no-ops ---- */
#define NOOP(sym) extern int sym(); long t_##sym(void) { long m[8] = {0}; return sym(m, 0, 0) != 0; }
NOOP(pthread_mutex_init) NOOP(pthread_mutex_destroy) NOOP(pthread_mutex_lock) NOOP(pthread_mutex_unlock)
NOOP(pthread_mutex_trylock) NOOP(g_mutex_lock) NOOP(g_mutex_unlock) NOOP(g_mutex_init) NOOP(g_mutex_clear)
NOOP(g_rec_mutex_lock) NOOP(g_rec_mutex_unlock) NOOP(__cxa_finalize)
NOOP(sigprocmask) NOOP(pthread_sigmask)

/* ---- more strings and memory ---- */
extern char *strcpy(), *strncpy(), *__strcpy_chk(), *strcat(), *strncat(), *__strcat_chk(), *strchr(), *strrchr(),
    *memchr(), *strstr();
long t_strcpy(void) { char d[8] = "zzzzzzz"; return strcpy(d, "hv") != d || same(d, "hv"); }
long t_strncpy(void) { char d[8] = {0}; return strncpy(d, "hvprobe", 2) != d || same(d, "hv"); }
long t___strcpy_chk(void) { char d[8] = "zzzzzzz"; return __strcpy_chk(d, "hv", 8) != d || same(d, "hv"); }
long t_strcat(void) { char d[8] = "hv"; return strcat(d, "pro") != d || same(d, "hvpro"); }
long t_strncat(void) { char d[8] = "hv"; return strncat(d, "probe", 2) != d || same(d, "hvpr"); }
long t___strcat_chk(void) { char d[8] = "hv"; return __strcat_chk(d, "pro", 8) != d || same(d, "hvpro"); }
long t_strchr(void) { const char *s = "a-b-c"; return strchr(s, '-') != s + 1 || strchr(s, 'x') != 0
    || strchr(s, 0) != s + 5; }
long t_strrchr(void) { const char *s = "a-b-c"; return strrchr(s, '-') != s + 3 || strrchr(s, 'x') != 0; }
long t_memchr(void) { const char *s = "ab\0cd"; return memchr(s, 'c', 5) != s + 3 || memchr(s, 'c', 2) != 0; }
long t_strstr(void) { const char *s = "guestinfo.x"; return strstr(s, "info") != s + 5 || strstr(s, "y") != 0; }
extern const unsigned short **__ctype_b_loc();
long t___ctype_b_loc(void) { const unsigned short *t = *__ctype_b_loc();
    return !(t['a'] & 0x400) || (t['1'] & 0x400) || !(t['1'] & 0x800) || !(t[' '] & 0x2000) || t[-1] != 0; }

/* ---- numbers ---- */
extern long strtol(), strtoll(), __isoc23_strtol(), __isoc23_strtoll(), atoi(), atol();
extern unsigned long strtoul(), strtoull(), __isoc23_strtoul(), __isoc23_strtoull();
#define STRTOL(sym) long t_##sym(void) { char *e = 0; long v = sym("  -0x1fz", &e, 0); \
    return v != -31 || *e != 'z' || sym("077", 0, 0) != 63 || sym("99999999999999999999", 0, 10) != 0x7fffffffffffffffL; }
STRTOL(strtol) STRTOL(strtoll) STRTOL(__isoc23_strtol) STRTOL(__isoc23_strtoll)
#define STRTOUL(sym) long t_##sym(void) { char *e = 0; unsigned long v = sym("ff!", &e, 16); \
    return v != 255 || *e != '!' || sym("-1", 0, 10) != ~0UL || sym("x", &e, 10) != 0; }
STRTOUL(strtoul) STRTOUL(strtoull) STRTOUL(__isoc23_strtoul) STRTOUL(__isoc23_strtoull)
long t_atoi(void) { return atoi(" 42z") != 42; }
long t_atol(void) { return atol("-7") != -7; }

/* ---- formatting into a new block, writing blocks ---- */
extern int asprintf(), vasprintf();
extern unsigned long fwrite();
long t_asprintf(void) { char *s = 0; return asprintf(&s, "x%d", 5) != 2 || same(s, "x5"); }
static int va(char **s, const char *f, ...) { va_list ap; va_start(ap, f); int n = vasprintf(s, f, ap); va_end(ap);
    return n; }
long t_vasprintf(void) { char *s = 0; return va(&s, "x%d", 5) != 2 || same(s, "x5"); }
long t_fwrite(void) { return fwrite("hvprobe out 1\n", 1, 14, stderr) != 14; }

/* ---- programs: start-up and exit end the call (the test reads the status), jumps, signals ---- */
extern int __libc_start_main();
static int check_main(int argc, char **argv, char **envp) {
    return argc != 1 || same(argv[0], "p") || argv[1] != 0 || same(envp[0], "E=1") || envp[1] != 0; }
long t___libc_start_main(void) { static char *argv[] = {"p", 0, "E=1", 0};
    __libc_start_main(check_main, 1, argv, 0, 0, 0, 0); return 99; }
extern void exit(), _exit(), _Exit(), abort();
long t_exit(void) { exit(0); return 99; }
long t__exit(void) { _exit(0); return 99; }
long t__Exit(void) { _Exit(0); return 99; }
long t_abort(void) { abort(); return 99; }
/* exit runs the handlers, last registered first; the first registered ends the run with _exit(wrong order). */
extern int atexit(), __cxa_atexit();
static volatile long order;
static void first(void) { order = order * 10 + 1; }
static void second(void) { order = order * 10 + 2; }
static void verdict(void) { _exit(order != 21); }
long t_atexit(void) { order = 0; atexit(verdict); atexit(first); atexit(second); exit(5); return 99; }
static void with_argument(void *a) { order = order * 10 + (long)a; }
static void verdict_with(void *a) { _exit(order != 3 || (long)a != 7); }
long t___cxa_atexit(void) { order = 0; __cxa_atexit(verdict_with, (void *)7, 0); __cxa_atexit(with_argument,
    (void *)3, 0); exit(5); return 99; }
/* main's return is exit: the handler main registered runs and ends the run with its verdict. */
static void main_verdict(void) { _exit(order == 4 ? 0 : 1); }
static int registering_main(int argc, char **argv) { order = 4; atexit(main_verdict); return 9; }
long start_main_runs_exit_handlers(void) { static char *argv[] = {"p", 0, 0};
    __libc_start_main(registering_main, 1, argv, 0, 0, 0, 0); return 99; }
extern int setjmp(), _setjmp(), __sigsetjmp() __attribute__((returns_twice));
extern void longjmp(), _longjmp(), siglongjmp(), __longjmp_chk();
long t_setjmp(void) { static long jb[40]; return setjmp(jb) != 0; }
long t__setjmp(void) { static long jb[40]; return _setjmp(jb) != 0; }
long t___sigsetjmp(void) { static long jb[40]; return __sigsetjmp(jb, 1) != 0; }
#define JUMP(jump, value, expect) long t_##jump(void) { static long jb[40]; volatile int n = 0; \
    int v = __sigsetjmp(jb, 0); n++; if (v == 0) jump(jb, value); return v != expect || n != 2; }
JUMP(longjmp, 0, 1) JUMP(_longjmp, 7, 7) JUMP(siglongjmp, 3, 3) JUMP(__longjmp_chk, 1, 1)
extern int sigaction(), sigemptyset(), sigfillset(), sigaddset(), sigdelset();
extern long signal();
long t_sigaction(void) { char old[152]; old[0] = 1; old[151] = 1; return sigaction(11, 0, old) != 0 || old[0] || old[151]; }
long t_signal(void) { return signal(11, 1) != 0; }
long t_sigemptyset(void) { unsigned long s[16]; s[0] = ~0UL; s[15] = 1; return sigemptyset(s) != 0 || s[0] || s[15]; }
long t_sigfillset(void) { unsigned long s[16] = {0}; return sigfillset(s) != 0 || s[0] != ~0UL || s[15] != ~0UL; }
long t_sigaddset(void) { unsigned long s[16] = {0}; return sigaddset(s, 11) != 0 || s[0] != 1UL << 10
    || sigaddset(s, 0) != -1; }
long t_sigdelset(void) { unsigned long s[16]; for (int i = 0; i < 16; i++) s[i] = ~0UL;
    return sigdelset(s, 11) != 0 || s[0] != ~(1UL << 10); }

/* ---- GLib option parsing: succeeds, knows no option ---- */
extern void *g_option_context_new();
extern int g_option_context_parse();
long t_g_option_context_new(void) { return g_option_context_new("ARGS") == 0; }
long t_g_option_context_parse(void) { int argc = 1; char *v[] = {"p", 0}; char **argv = v;
    return g_option_context_parse((void *)1, &argc, &argv, 0) != 1 || argc != 1; }
NOOP(g_option_context_add_main_entries) NOOP(g_option_context_set_summary) NOOP(g_option_context_free)
NOOP(g_error_free) NOOP(g_set_prgname)

/* ---- signal delivery (SignalDelivery): sig_* return 0 when the handler ran as under Linux ---- */
#if defined(__x86_64__)
#define FAULT() __asm__ volatile("ud2")
#define FAULT_LEN 2
#define CONTEXT_PC(ctx) (((ul *)((char *)(ctx) + 40))[16]) /* uc_mcontext.gregs[REG_RIP] */
#else
#define FAULT() __asm__ volatile(".inst 0x00000000") /* udf #0 */
#define FAULT_LEN 4
#define CONTEXT_PC(ctx) (*(ul *)((char *)(ctx) + 176 + 264)) /* uc_mcontext.pc */
#endif
struct action { void *handler; ul mask[16]; int flags; void *restorer; };
static long sig_jb[40];
static volatile long seen;
static void jump_out(int sig) { seen = sig; siglongjmp(sig_jb, sig); }
/* SIGILL's handler leaves with siglongjmp, twice (the signal is not left blocked); the old action comes back. */
long sig_jump_out(void) {
    struct action sa = { (void *)jump_out }, old = { (void *)7 }, now;
    if (sigaction(4, &sa, &old) != 0 || old.handler != 0) return 1;
    volatile int rounds = 0;
    int v = __sigsetjmp(sig_jb, 1);
    if (v == 0) { FAULT(); return 2; }
    if (v != 4 || seen != 4) return 3;
    if (++rounds < 2) { seen = 0; v = __sigsetjmp(sig_jb, 1); if (v == 0) { FAULT(); return 4; } }
    if (seen != 4) return 5;
    if (sigaction(4, &old, &now) != 0 || now.handler != (void *)jump_out) return 6;
    return 0;
}
static void step_over(int sig, void *info, void *ctx) {
    seen += (sig == 4 && *(int *)info == 4) ? 1 : 100;
    CONTEXT_PC(ctx) += FAULT_LEN;
}
/* A handler that returns resumes the program at the context's PC (rt_sigreturn), with its registers restored. */
long sig_return(void) {
    struct action sa = { (void *)step_over, {0}, 4 /* SA_SIGINFO */ };
    seen = 0;
    if (sigaction(4, &sa, 0) != 0) return 1;
    volatile long kept = 42;
    FAULT();
    FAULT();
    return seen != 2 || kept != 42;
}
/* Without a handler the fault ends the run. */
long sig_unhandled(void) { FAULT(); return 0; }
