/* Linked with -shared -fPIC -nostdlib: RELATIVE, GLOB_DAT, JUMP_SLOT and 64-bit absolute dynamic relocations. */
extern int ext(int);
extern int ext_var;
static int local = 5;
int *ptr = &local;
int call_ext(int x) { return ext(x) + ext_var + *ptr; }
int (*fp)(int) = call_ext;
