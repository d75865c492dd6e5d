/* Mutant of ovt (docs/clients.md): the LB backdoor wrappers no longer declare RBX clobbered. Everything else is the client itself. */
#define OVT_MUTANT_NO_RBX_CLOBBER 1
#define CLIENT_ENTRY(name) mutrbx_##name
#include "ovt.c"
