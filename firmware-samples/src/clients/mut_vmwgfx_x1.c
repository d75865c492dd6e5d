/* Mutant of vmwgfx (docs/clients.md): arm64 hypercall7 (RECVSIZE, RECVPAYLOAD) takes X1 as an input only, although the host writes it. Everything else is the client itself. */
#define LX_MUTANT_HC7_X1_INPUT_ONLY 1
#define CLIENT_ENTRY(name) mutx1_##name
#include "vmwgfx.c"
