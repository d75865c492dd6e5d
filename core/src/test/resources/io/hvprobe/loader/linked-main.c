/* ProgramLinkerTest's main object (needs libhvdep.so.1): calls into the library and reads its data. */
extern int lib_value(void);
extern int lib_counter;
extern char *strdup(const char *);
static int order;
__attribute__((constructor)) static void main_init(void) { order = lib_value(); }
long t_linked(void) { return lib_value() + lib_counter; }
long t_order(void) { return order; }
long t_clibrary(void) { return strdup("x") != 0; }
/* Exit: the atexit handler, then main's DT_FINI_ARRAY last slot first, its DT_FINI (-Wl,-fini=main_fini), then
   the library's destructor; _exit runs none. */
extern void lib_mark(char), lib_reset(void);
extern int atexit(void (*)(void));
extern void exit(int), _exit(int);
static void handler(void) { lib_mark('a'); }
static void main_fini1(void) { lib_mark('1'); }
static void main_fini2(void) { lib_mark('2'); }
__attribute__((section(".fini_array"), used)) static void (*fini_slots[])(void) = {main_fini1, main_fini2};
void main_fini(void) { lib_mark('f'); }
long t_exit(void) { lib_reset(); atexit(handler); exit(0); return 9; }
long t_underscore_exit(void) { lib_reset(); atexit(handler); _exit(3); return 9; }
