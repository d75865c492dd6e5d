/* A small kernel-module-like translation unit: externs, statics, strings, tables, bss, per-CPU and init code. */
typedef unsigned long size_t;
extern int printk(const char *fmt, ...);
extern unsigned long jiffies;
extern void *kmalloc(size_t n, int flags);
struct ops {
    int (*probe)(int);
    const char *name;
};
static int counter;
int shared_table[64];
int initialised = 7;
__attribute__((section(".data..percpu"))) int percpu_var;
static int helper(int x) { return x * 3 + counter++; }
int probe(int x) {
    printk("probe %d\n", x);
    return helper(x) + (int)jiffies;
}
const struct ops my_ops = {probe, "vmw"};
__attribute__((section(".init.text"), noinline)) int init_module(void) {
    void *p = kmalloc(64, 0);
    return p ? 0 : -12;
}
int use_table(int i) { return shared_table[i & 63] + percpu_var; }
long big_switch(int op) {
    switch (op) {
    case 0: return 11; case 1: return 23; case 2: return 37; case 3: return 41;
    case 4: return 53; case 5: return 67; case 6: return 71; case 7: return 89;
    default: return -1;
    }
}
