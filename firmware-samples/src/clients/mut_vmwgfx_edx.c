/* Mutant of vmwgfx (docs/clients.md): hypercall7 (RECVSIZE, RECVPAYLOAD) no longer declares EDX written. Everything else is the client itself. */
#define LX_MUTANT_HC7_NO_EDX_OUT 1
#define CLIENT_ENTRY(name) mutedx_##name
#include "vmwgfx.c"
