/* Mutant of ipxe (docs/clients.md): the GuestRPC wrapper no longer declares EAX written (the magic is assumed kept). Everything else is the client itself. */
#define IPXE_MUTANT_NO_EAX_OUT 1
#define CLIENT_ENTRY(name) muteax_##name
#include "ipxe.c"
