/*
 * vmwgfx-style GuestRPC message functions (docs/clients.md), written here after the pattern of
 * Linux's drivers/gpu/drm/vmwgfx/vmwgfx_msg.c on top of linux_vmware.h: open a cookie channel,
 * send (SENDSIZE, then one HB-out or SENDPAYLOAD 4 bytes at a time), receive (RECVSIZE, one HB-in
 * or RECVPAYLOAD 4 bytes at a time, RECVSTATUS), close; and the guestinfo get round trip built on
 * them. The HB path is taken only when the host reports HB and the caller allows it (Linux refuses
 * HB on memory-encrypted guests); the two entry points fix that choice.
 *
 * Like the driver, messages and replies live in kmalloc'd memory and are freed after use: here a
 * small stack-like allocator with ordinary static state (a freed block returns to the arena when it
 * is the newest one).
 */
#include "linux_vmware.h"

#define VMW_RETRIES 3

#define VMW_MSG_CMD(sub) ((unsigned long)BD_CMD_MESSAGE | ((unsigned long)(sub) << 16))

struct vmw_channel {
	unsigned long id;
	uint32_t cookie_high;
	uint32_t cookie_low;
};

static unsigned char vmw_heap[512];
static size_t vmw_heap_used;

static void *vmw_kzalloc(size_t n)
{
	unsigned char *p;
	size_t i;

	n = (n + 7) & ~(size_t)7;
	if (n > sizeof(vmw_heap) - vmw_heap_used)
		return NULL;
	p = vmw_heap + vmw_heap_used;
	vmw_heap_used += n;
	for (i = 0; i < n; i++)
		((volatile unsigned char *)p)[i] = 0;
	return p;
}

static void vmw_kfree(void *block, size_t n)
{
	n = (n + 7) & ~(size_t)7;
	if (block && (unsigned char *)block + n == vmw_heap + vmw_heap_used)
		vmw_heap_used -= n;
}

static int vmw_open_channel(struct vmw_channel *ch, uint32_t protocol)
{
	uint32_t ecx, edx, esi, edi;

	lx_hypercall6(VMW_MSG_CMD(MSG_OPEN), protocol | PROTO_COOKIE, 0, &ecx, &edx, &esi, &edi);
	if ((HI16(ecx) & MSG_ST_SUCCESS) == 0)
		return -1;
	ch->id = edx & 0xFFFF0000u;
	ch->cookie_high = esi;
	ch->cookie_low = edi;
	return 0;
}

static int vmw_close_channel(struct vmw_channel *ch)
{
	uint32_t ecx;

	lx_hypercall5(VMW_MSG_CMD(MSG_CLOSE), 0, ch->id, ch->cookie_high, ch->cookie_low, &ecx);
	return (HI16(ecx) & MSG_ST_SUCCESS) ? 0 : -1;
}

/* Sends the payload; returns the status word of the last step (status in bits 31:16). */
static uint32_t vmw_port_hb_out(struct vmw_channel *ch, const char *msg, int hb)
{
	size_t len = client_strlen(msg);
	uint32_t ebx, ecx = 0;

	if (hb) {
		lx_hypercall_hb_out(BD_HBCMD_MESSAGE | (MSG_ST_SUCCESS << 16), len, ch->id,
				    (uintptr_t)msg, ch->cookie_low, ch->cookie_high, &ebx);
		return ebx;
	}
	while (len) {
		size_t bytes = len < 4 ? len : 4;
		uint32_t word = 0;

		client_copy(&word, msg, bytes);
		lx_hypercall5(VMW_MSG_CMD(MSG_SENDPAYLOAD), word, ch->id, ch->cookie_high, ch->cookie_low, &ecx);
		if ((HI16(ecx) & MSG_ST_SUCCESS) == 0)
			return ecx;
		msg += bytes;
		len -= bytes;
	}
	return MSG_ST_SUCCESS << 16;
}

/* Receives reply_len bytes into reply; returns the status word like vmw_port_hb_out. */
static uint32_t vmw_port_hb_in(struct vmw_channel *ch, char *reply, size_t reply_len, int hb)
{
	uint32_t ebx, ecx, edx;

	if (hb) {
		lx_hypercall_hb_in(BD_HBCMD_MESSAGE | (MSG_ST_SUCCESS << 16), reply_len, ch->id,
				   ch->cookie_high, (uintptr_t)reply, ch->cookie_low, &ebx);
		return ebx;
	}
	while (reply_len) {
		size_t bytes = reply_len < 4 ? reply_len : 4;

		lx_hypercall7(VMW_MSG_CMD(MSG_RECVPAYLOAD), MSG_ST_SUCCESS, ch->id, ch->cookie_high,
			      ch->cookie_low, &ebx, &ecx, &edx);
		if ((HI16(ecx) & MSG_ST_SUCCESS) == 0)
			return ecx;
		client_copy(reply, &ebx, bytes);
		reply += bytes;
		reply_len -= bytes;
	}
	return MSG_ST_SUCCESS << 16;
}

static int vmw_send_msg(struct vmw_channel *ch, const char *msg, int allow_hb)
{
	int retries;

	for (retries = 0; retries < VMW_RETRIES; retries++) {
		uint32_t ecx, status;

		lx_hypercall5(VMW_MSG_CMD(MSG_SENDSIZE), client_strlen(msg), ch->id, ch->cookie_high,
			      ch->cookie_low, &ecx);
		if ((HI16(ecx) & MSG_ST_SUCCESS) == 0)
			return -1;
		status = vmw_port_hb_out(ch, msg, allow_hb && (HI16(ecx) & MSG_ST_HB));
		if (HI16(status) & MSG_ST_SUCCESS)
			return 0;
		if ((HI16(status) & MSG_ST_CPT) == 0)
			return -1;
	}
	return -1;
}

static int vmw_recv_msg(struct vmw_channel *ch, char **msg, size_t *msg_len, int allow_hb)
{
	int retries;

	for (retries = 0; retries < VMW_RETRIES; retries++) {
		uint32_t ebx, ecx, edx, status;
		size_t reply_len;
		char *reply;

		lx_hypercall7(VMW_MSG_CMD(MSG_RECVSIZE), 0, ch->id, ch->cookie_high, ch->cookie_low,
			      &ebx, &ecx, &edx);
		if ((HI16(ecx) & MSG_ST_SUCCESS) == 0 || (HI16(ecx) & MSG_ST_DORECV) == 0)
			return -1;
		reply_len = ebx;
		reply = vmw_kzalloc(reply_len + 1);
		if (!reply)
			return -2;
		status = vmw_port_hb_in(ch, reply, reply_len, allow_hb && (HI16(ecx) & MSG_ST_HB));
		if ((HI16(status) & MSG_ST_SUCCESS) == 0) {
			vmw_kfree(reply, reply_len + 1);
			if (HI16(status) & MSG_ST_CPT)
				continue;
			return -1;
		}
		reply[reply_len] = '\0';
		lx_hypercall5(VMW_MSG_CMD(MSG_RECVSTATUS), MSG_ST_SUCCESS, ch->id, ch->cookie_high,
			      ch->cookie_low, &ecx);
		if ((HI16(ecx) & MSG_ST_SUCCESS) == 0) {
			vmw_kfree(reply, reply_len + 1);
			if (HI16(ecx) & MSG_ST_CPT)
				continue;
			return -1;
		}
		*msg = reply;
		*msg_len = reply_len;
		return 0;
	}
	return -1;
}

/* "info-get <param>": copies the value (without the "1 " prefix) and returns its length, or < 0. */
static long vmw_host_get_guestinfo(const char *param, char *buffer, size_t length, int allow_hb)
{
	static const char prefix[] = "info-get ";
	size_t plen = client_strlen(param);
	struct vmw_channel ch;
	char *msg, *reply = NULL;
	size_t reply_len = 0;
	long ret = -1;

	msg = vmw_kzalloc(sizeof(prefix) + plen);
	if (!msg)
		return -2;
	client_copy(msg, prefix, sizeof(prefix) - 1);
	client_copy(msg + sizeof(prefix) - 1, param, plen + 1);

	if (vmw_open_channel(&ch, PROTO_RPCI)) {
		ret = -3;
		goto out_msg;
	}
	if (vmw_send_msg(&ch, msg, allow_hb) || vmw_recv_msg(&ch, &reply, &reply_len, allow_hb)) {
		vmw_close_channel(&ch);
		ret = -4;
		goto out_msg;
	}
	vmw_close_channel(&ch);

	if (reply_len >= 2 && reply[0] == '1' && reply[1] == ' ') {
		size_t n = reply_len - 2 > length ? length : reply_len - 2;

		client_copy(buffer, reply + 2, n);
		ret = (long)n;
	}
	vmw_kfree(reply, reply_len + 1);
out_msg:
	vmw_kfree(msg, sizeof(prefix) + plen);
	return ret;
}

/* The guestinfo get round trip with payloads 4 bytes at a time (no HB). */
long CLIENT_ENTRY(vmwgfx_guestinfo_get_lb)(const char *param, char *buffer, unsigned long length)
{
	return vmw_host_get_guestinfo(param, buffer, length, 0);
}

/* The same round trip, HB transfers allowed (taken when the host reports HB). */
long CLIENT_ENTRY(vmwgfx_guestinfo_get_hb)(const char *param, char *buffer, unsigned long length)
{
	return vmw_host_get_guestinfo(param, buffer, length, 1);
}
