/*
 * Shared pieces of the real-client reproductions (docs/clients.md): the export macro that lets a
 * mutant build rename its entry points, protocol constants, and tiny freestanding helpers.
 * Nothing here is copied from the clients; the constants are facts from the ABI sheet.
 */
#ifndef CLIENT_H
#define CLIENT_H

#include <stdint.h>
#include <stddef.h>

/* A mutant file defines CLIENT_ENTRY to prefix every exported name, so a mutant object and the
 * correct client can sit in one manifest. */
#ifndef CLIENT_ENTRY
#define CLIENT_ENTRY(name) name
#endif

#define BD_MAGIC          0x564D5868u
#define BD_PORT           0x5658u
#define BD_PORT_HB        0x5659u
#define BD_CMD_GETVERSION 10u
#define BD_CMD_MESSAGE    30u
#define BD_HBCMD_MESSAGE  0u

#define MSG_OPEN        0u
#define MSG_SENDSIZE    1u
#define MSG_SENDPAYLOAD 2u
#define MSG_RECVSIZE    3u
#define MSG_RECVPAYLOAD 4u
#define MSG_RECVSTATUS  5u
#define MSG_CLOSE       6u

#define MSG_ST_SUCCESS 0x0001u
#define MSG_ST_DORECV  0x0002u
#define MSG_ST_CPT     0x0010u
#define MSG_ST_HB      0x0080u

#define PROTO_RPCI     0x49435052u
#define PROTO_COOKIE   0x80000000u

#define HI16(x) (((uint32_t)(x)) >> 16)

static inline size_t client_strlen(const char *s)
{
	size_t n = 0;

	while (s[n])
		n++;
	return n;
}

/* Byte copy that neither gcc nor clang turns into a call to memcpy (the objects are freestanding). */
static inline void client_copy(void *dst, const void *src, size_t n)
{
	volatile unsigned char *d = dst;
	const unsigned char *s = src;

	while (n--)
		*d++ = *s++;
}

#endif
