/*
 * An iPXE-style GuestRPC client without cookies (docs/clients.md), written here after the pattern of
 * iPXE's arch/x86 vmware.h / guestrpc.c / guestinfo.c: one always-inline port wrapper that declares
 * EAX, EBX, ECX and EDX written and nothing else (ESI/EDI assumed kept, no "memory" clobber); the
 * channel is opened with plain RPCI (no cookie flag, ESI/EDI never loaded), every status is compared
 * with the exact reply value, the command goes out 4 bytes at a time packed by byte rotation and
 * the 2-byte "1 " status is split off the reply as it arrives.
 *
 * Mutation hook: IPXE_MUTANT_NO_EAX_OUT (EAX no longer declared written).
 */
#include "client.h"

#define GRPC_OPEN_OK      0x00010000u
#define GRPC_LEN_OK       0x00810000u
#define GRPC_DATA_OK      0x00010000u
#define GRPC_REPLY_LEN_OK 0x00830000u
#define GRPC_REPLY_OK     0x00010000u
#define GRPC_FINISH_OK    0x00010000u
#define GRPC_CLOSE_OK     0x00010000u
#define GRPC_SUCCESS      0x2031u	/* "1 " read as a little-endian u16 */

static inline __attribute__((always_inline)) uint32_t
ipxe_cmd_guestrpc(int channel, uint16_t sub, uint32_t param, uint16_t *edx_hi, uint32_t *ebx)
{
	uint32_t status, edx;
#if defined(IPXE_MUTANT_NO_EAX_OUT)
	asm volatile("inl %%dx, %%eax"
		     : "=b"(*ebx), "=c"(status), "=d"(edx)
		     : "a"(BD_MAGIC), "0"(param), "1"(BD_CMD_MESSAGE | ((uint32_t)sub << 16)),
		       "2"(BD_PORT | ((uint32_t)channel << 16)));	/* the one change: no "=a" */
#else
	uint32_t discard_a;

	asm volatile("inl %%dx, %%eax"
		     : "=a"(discard_a), "=b"(*ebx), "=c"(status), "=d"(edx)
		     : "0"(BD_MAGIC), "1"(param), "2"(BD_CMD_MESSAGE | ((uint32_t)sub << 16)),
		       "3"(BD_PORT | ((uint32_t)channel << 16)));
#endif
	*edx_hi = (uint16_t)(edx >> 16);
	return status;
}

static int ipxe_open(void)
{
	uint16_t channel;
	uint32_t discard_b;

	if (ipxe_cmd_guestrpc(0, MSG_OPEN, PROTO_RPCI, &channel, &discard_b) != GRPC_OPEN_OK)
		return -1;
	return channel;
}

static void ipxe_close(int channel)
{
	uint16_t discard_d;
	uint32_t discard_b;

	(void)ipxe_cmd_guestrpc(channel, MSG_CLOSE, 0, &discard_d, &discard_b);
}

/* Sends command, receives the reply into reply[0..reply_len); returns the reply length after the status, or < 0. */
static int ipxe_command(int channel, const char *command, char *reply, size_t reply_len)
{
	const unsigned char *cmd = (const unsigned char *)command;
	size_t cmd_len = client_strlen(command);
	uint16_t status_word = 0, reply_id, discard_d;
	unsigned char *status_bytes = (unsigned char *)&status_word;
	size_t status_len = sizeof(status_word);
	uint32_t data, discard_b, len32;
	int len, remaining;
	unsigned int i;

	if (ipxe_cmd_guestrpc(channel, MSG_SENDSIZE, cmd_len, &discard_d, &discard_b) != GRPC_LEN_OK)
		return -2;
	while (cmd_len) {
		data = 0;
		for (i = 0; i < 4; i++) {
			if (cmd_len) {
				data = (data & ~0xFFu) | *cmd++;
				cmd_len--;
			}
			data = (data >> 8) | (data << 24);	/* next byte goes in above */
		}
		if (ipxe_cmd_guestrpc(channel, MSG_SENDPAYLOAD, data, &discard_d, &discard_b) != GRPC_DATA_OK)
			return -3;
	}
	if (ipxe_cmd_guestrpc(channel, MSG_RECVSIZE, 0, &reply_id, &len32) != GRPC_REPLY_LEN_OK)
		return -4;
	len = (int)len32;
	for (remaining = len; remaining > 0; remaining -= 4) {
		if (ipxe_cmd_guestrpc(channel, MSG_RECVPAYLOAD, reply_id, &discard_d, &data) != GRPC_REPLY_OK)
			return -5;
		for (i = 0; i < 4; i++) {
			if (status_len) {
				*status_bytes++ = (unsigned char)data;
				status_len--;
				len--;
			} else if (reply_len) {
				*reply++ = (char)data;
				reply_len--;
			}
			data = (data >> 8) | (data << 24);
		}
	}
	if (ipxe_cmd_guestrpc(channel, MSG_RECVSTATUS, reply_id, &discard_d, &discard_b) != GRPC_FINISH_OK)
		return -6;
	if (status_word != GRPC_SUCCESS)
		return -7;
	return len;
}

/* guestinfo-style fetch of "guestinfo.<name>": open, info-get, close; returns the value's length. */
int CLIENT_ENTRY(ipxe_guestinfo_fetch)(const char *request, char *value, unsigned long value_len)
{
	int channel = ipxe_open();
	int len;

	if (channel < 0)
		return -1;
	len = ipxe_command(channel, request, value, value_len);
	ipxe_close(channel);
	return len;
}
