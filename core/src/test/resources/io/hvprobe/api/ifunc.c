/* Guest code for IfuncTest: one resolver behind a local ifunc (IRELATIVE) and a global one (JUMP_SLOT to an
 * STT_GNU_IFUNC symbol); it picks "fast" (2) when the CPU has SSE2 (x86_64, asked through CPUID) or ASIMD (arm64,
 * from the hwcap argument), else "plain" (1). */
typedef long (*fn)(void);
static long plain(void) { return 1; }
static long fast(void) { return 2; }
#if defined(__x86_64__)
static fn pick(void) { __builtin_cpu_init(); return __builtin_cpu_supports("sse2") ? fast : plain; }
#else
static fn pick(unsigned long hwcap) { return (hwcap & 2) ? fast : plain; } /* HWCAP_ASIMD */
#endif
static long local_f(void) __attribute__((ifunc("pick")));
long global_f(void) __attribute__((ifunc("pick")));
long call_local(void) { return local_f(); }
long call_global(void) { return global_f(); }
