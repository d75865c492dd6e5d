/* Thread-local variables of every kind a shared object uses (TlsRelocationTest). */
__thread long counter = 40;                 /* .tdata, global: general dynamic */
__thread char scratch[24];                  /* .tbss */
static __thread long hidden = 7;            /* local: local dynamic */
extern __thread long imported;              /* defined by another module */
__thread long fixed __attribute__((tls_model("initial-exec"))) = 1000; /* initial exec: TPOFF */

long bump(void) { return ++counter; }
long bump_hidden(void) { hidden += 3; return hidden; }
long add_imported(long x) { imported += x; return imported; }
long read_fixed(void) { return fixed; }
long store_scratch(long i, char c) { scratch[i] = c; return scratch[i] + scratch[0]; }
