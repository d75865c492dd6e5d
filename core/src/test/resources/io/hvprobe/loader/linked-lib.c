/* ProgramLinkerTest's library (SONAME libhvdep.so.1): a constructor sets ready; lib_value needs it. */
static int ready;
int lib_counter = 5;
__attribute__((constructor)) static void lib_init(void) { ready = 7; }
int lib_value(void) { return ready * 6; }
/* Exit order: each handler and destructor leaves its mark; main's read lib_trail after exit. */
char lib_trail[16];
static int trail_at;
void lib_mark(char c) { if (trail_at < 15) { lib_trail[trail_at++] = c; lib_trail[trail_at] = 0; } }
void lib_reset(void) { trail_at = 0; lib_trail[0] = 0; }
__attribute__((destructor)) static void lib_fini(void) { lib_mark('l'); }
