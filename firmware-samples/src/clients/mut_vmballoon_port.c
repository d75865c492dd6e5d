/* Mutant of vmballoon (docs/clients.md): the balloon command no longer loads the port 0x5670 into EDX (its input constraint is dropped). Everything else is the client itself. */
#define VMB_MUTANT_NO_PORT_IN 1
#define CLIENT_ENTRY(name) mutport_##name
#include "vmballoon.c"
