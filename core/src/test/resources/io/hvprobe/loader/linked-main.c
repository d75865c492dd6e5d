/* ProgramLinkerTest's main object (needs libhvdep.so.1): calls into the library and reads its data. */
extern int lib_value(void);
extern int lib_counter;
extern char *strdup(const char *);
static int order;
__attribute__((constructor)) static void main_init(void) { order = lib_value(); }
long t_linked(void) { return lib_value() + lib_counter; }
long t_order(void) { return order; }
long t_clibrary(void) { return strdup("x") != 0; }
