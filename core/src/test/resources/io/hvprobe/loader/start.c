/* Linked with -static -nostdlib -no-pie: a fixed-address ET_EXEC with its own _start. */
int value = 3;
int *pv = &value;
void _start(void) {
    for (;;) {
        *pv += 1;
    }
}
