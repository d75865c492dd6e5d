/* GuestRPC client: one channel per request, like a tool that sends a single command. */
#include "hvp/rpc.h"

static long rpc_one(const char *req, char *out, size_t cap, int hb)
{
	struct hvp_chan ch;
	size_t len = hvp_strlen(req);
	long got;

	if (!hvp_backend_usable())
		return -2;
	if (hvp_rpc_open(&ch) < 0)
		return -1;
#if HVP_HAS_HB
	if (hb) {
		got = hvp_rpc_send_hb(&ch, req, len) < 0 ? -1 : hvp_rpc_recv_hb(&ch, out, cap);
	} else
#endif
	{
		(void)hb;
		got = hvp_rpc_send_lb(&ch, req, len) < 0 ? -1 : hvp_rpc_recv_lb(&ch, out, cap);
	}
	if (hvp_rpc_close(&ch) < 0)
		return -1;
	return got;
}

/* Opens a cookie channel and closes it: 0 on success. */
HVP_EXPORT int rpc_open_close(void)
{
	struct hvp_chan ch;

	if (!hvp_backend_usable())
		return -2;
	if (hvp_rpc_open(&ch) < 0)
		return -1;
	return hvp_rpc_close(&ch);
}

/* Sends req (NUL-terminated) with LB payload calls; the reply lands in out. Returns its length. */
HVP_EXPORT int rpc_call(const char *req, char *out, int outlen)
{
	return (int)rpc_one(req, out, (size_t)outlen, 0);
}

static const char set_req[] = "info-set guestinfo.hvprobe hello";
static const char get_req[] = "info-get guestinfo.hvprobe";

static int info_roundtrip(char *out, int outlen, int hb)
{
	char reply[16];
	long n = rpc_one(set_req, reply, sizeof(reply), hb);

	if (n < 2 || reply[0] != '1')
		return -1;
	n = rpc_one(get_req, reply, sizeof(reply), hb);
	if (n < 0 || n + 1 > outlen)
		return -1;
	hvp_copy(out, reply, (size_t)n + 1);
	return (int)n;
}

/* info-set guestinfo.hvprobe hello, then info-get it back into out: returns the reply length. */
HVP_EXPORT int rpc_info_roundtrip(char *out, int outlen)
{
	return info_roundtrip(out, outlen, 0);
}

#if HVP_HAS_HB
/* As rpc_call, with one HB-out for the request and one HB-in for the reply. */
HVP_EXPORT int rpc_call_hb(const char *req, char *out, int outlen)
{
	return (int)rpc_one(req, out, (size_t)outlen, 1);
}

/* As rpc_info_roundtrip, over HB transfers. */
HVP_EXPORT int rpc_info_roundtrip_hb(char *out, int outlen)
{
	return info_roundtrip(out, outlen, 1);
}
#endif
