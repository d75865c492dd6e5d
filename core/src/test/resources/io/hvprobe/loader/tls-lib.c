/* ProgramLinkerTest's TLS library (SONAME libhvtls.so.1): its own initialised and zero-initialised thread-local
   variables, read through its own module; tls_main_seen reads the main object's variable. */
__thread long lib_tls_init = 11;
__thread long lib_tls_zero;
extern __thread long main_tls_init;
long lib_tls_sum(void) { return lib_tls_init + lib_tls_zero; }
long *lib_tls_address(void) { return &lib_tls_init; }
long tls_main_seen(void) { return main_tls_init; }
