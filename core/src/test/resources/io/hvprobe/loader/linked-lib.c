/* ProgramLinkerTest's library (SONAME libhvdep.so.1): a constructor sets ready; lib_value needs it. */
static int ready;
int lib_counter = 5;
__attribute__((constructor)) static void lib_init(void) { ready = 7; }
int lib_value(void) { return ready * 6; }
