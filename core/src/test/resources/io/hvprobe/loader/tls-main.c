/* ProgramLinkerTest's TLS main object (needs libhvtls.so.1): its own thread-local variables and the library's,
   one of them by initial-exec (TPOFF64 / TLS_TPREL64), the rest general-dynamic (x86_64 DTPMOD64 and DTPOFF64
   through __tls_get_addr, or TLSDESC with -mtls-dialect=gnu2; arm64 TLSDESC). */
__thread long main_tls_init = 22;
__thread long main_tls_zero;
extern __thread long lib_tls_init;
extern __thread long lib_tls_zero __attribute__((tls_model("initial-exec")));
extern long lib_tls_sum(void), *lib_tls_address(void), tls_main_seen(void);
/* 0 when every variable has its initial value, the library sees the main object's writes and the other way round,
   and the two objects' variables are distinct. */
long t_tls(void) {
    if (main_tls_init != 22 || main_tls_zero != 0 || lib_tls_init != 11 || lib_tls_zero != 0) return 1;
    if (&lib_tls_init != lib_tls_address() || (void *)&lib_tls_init == (void *)&main_tls_init) return 2;
    lib_tls_zero = 5;
    main_tls_zero = 3;
    if (lib_tls_sum() != 16) return 3;
    main_tls_init = 23;
    if (tls_main_seen() != 23) return 4;
    lib_tls_init = 12;
    if (lib_tls_sum() != 17 || main_tls_zero != 3) return 5;
    return 0;
}
long *main_tls_address_for_test(void) { return &main_tls_init; }
