/*
 * GuestRPC ("RPCI") client over the MESSAGE command (sheet section 4): open with cookies,
 * send (LB 4-byte chunks or one HB-out), receive (LB chunks or one HB-in), close.
 * Errors are negative; every step checks the SUCCESS bit.
 */
#ifndef HVP_RPC_H
#define HVP_RPC_H

#include "vmw.h"

struct hvp_chan {
	uint32_t id;
	uint32_t cookie_hi;
	uint32_t cookie_lo;
};

#define HVP_MSG(sub)      HVP_SUB(HVP_CMD_MESSAGE, (sub))
#define HVP_CHAN_DX(ch)   ((unsigned long)(ch)->id << 16)
#define HVP_ST(reg)       ((reg) >> 16)

static inline int hvp_rpc_open(struct hvp_chan *ch)
{
	uint32_t ecx, edx, esi, edi;

	hvp_hc6(HVP_MSG(HVP_MSG_OPEN), HVP_RPCI | HVP_COOKIE_FLAG, 0, &ecx, &edx, &esi, &edi);
	if (!(HVP_ST(ecx) & HVP_ST_SUCCESS))
		return -1;
	ch->id = edx >> 16;
	ch->cookie_hi = esi;
	ch->cookie_lo = edi;
	return 0;
}

static inline int hvp_rpc_close(struct hvp_chan *ch)
{
	uint32_t ecx;

	hvp_hc5(HVP_MSG(HVP_MSG_CLOSE), 0, HVP_CHAN_DX(ch), ch->cookie_hi, ch->cookie_lo, &ecx);
	return (HVP_ST(ecx) & HVP_ST_SUCCESS) ? 0 : -1;
}

/* SENDSIZE; returns the reply status bits or -1. */
static inline long hvp_rpc_sendsize(struct hvp_chan *ch, size_t len)
{
	uint32_t ecx;

	hvp_hc5(HVP_MSG(HVP_MSG_SENDSIZE), len, HVP_CHAN_DX(ch), ch->cookie_hi, ch->cookie_lo, &ecx);
	if (!(HVP_ST(ecx) & HVP_ST_SUCCESS))
		return -1;
	return HVP_ST(ecx);
}

static inline int hvp_rpc_send_lb(struct hvp_chan *ch, const char *msg, size_t len)
{
	uint32_t ecx;

	if (hvp_rpc_sendsize(ch, len) < 0)
		return -1;
	for (size_t off = 0; off < len; off += 4) {
		uint32_t word = 0;

		for (size_t i = 0; i < 4 && off + i < len; i++)
			word |= (uint32_t)(unsigned char)msg[off + i] << (8 * i);
		hvp_hc5(HVP_MSG(HVP_MSG_SENDPAYLOAD), word, HVP_CHAN_DX(ch), ch->cookie_hi,
			ch->cookie_lo, &ecx);
		if (!(HVP_ST(ecx) & HVP_ST_SUCCESS))
			return -1;
	}
	return 0;
}

/* RECVSIZE; returns the pending reply length (0 if none) or -1. */
static inline long hvp_rpc_recvsize(struct hvp_chan *ch, uint32_t *status)
{
	uint32_t ebx, ecx, edx;

	hvp_hc7(HVP_MSG(HVP_MSG_RECVSIZE), 0, HVP_CHAN_DX(ch), ch->cookie_hi, ch->cookie_lo,
		&ebx, &ecx, &edx);
	*status = HVP_ST(ecx);
	if (!(*status & HVP_ST_SUCCESS))
		return -1;
	if (!(*status & HVP_ST_DORECV))
		return 0;
	if ((edx >> 16) != HVP_MSG_SENDSIZE)
		return -1;
	return ebx;
}

static inline int hvp_rpc_recvstatus(struct hvp_chan *ch, int ok)
{
	uint32_t ecx;

	hvp_hc5(HVP_MSG(HVP_MSG_RECVSTATUS), ok ? HVP_ST_SUCCESS : 0, HVP_CHAN_DX(ch), ch->cookie_hi,
		ch->cookie_lo, &ecx);
	return (HVP_ST(ecx) & HVP_ST_SUCCESS) ? 0 : -1;
}

/* Receive the pending reply into out (NUL-terminated); returns its length or -1. */
static inline long hvp_rpc_recv_lb(struct hvp_chan *ch, char *out, size_t cap)
{
	uint32_t status, ebx, ecx, edx;
	long len = hvp_rpc_recvsize(ch, &status);

	if (len < 0 || (size_t)len + 1 > cap)
		return -1;
	for (long off = 0; off < len; off += 4) {
		hvp_hc7(HVP_MSG(HVP_MSG_RECVPAYLOAD), HVP_ST_SUCCESS, HVP_CHAN_DX(ch), ch->cookie_hi,
			ch->cookie_lo, &ebx, &ecx, &edx);
		if (!(HVP_ST(ecx) & HVP_ST_SUCCESS) || (edx >> 16) != HVP_MSG_SENDPAYLOAD)
			return -1;
		for (long i = 0; i < 4 && off + i < len; i++)
			out[off + i] = (char)(ebx >> (8 * i));
	}
	out[len] = '\0';
	if (hvp_rpc_recvstatus(ch, 1) < 0)
		return -1;
	return len;
}

#if HVP_HAS_HB
static inline int hvp_rpc_send_hb(struct hvp_chan *ch, const char *msg, size_t len)
{
	uint32_t ebx;
	long st = hvp_rpc_sendsize(ch, len);

	if (st < 0)
		return -1;
	if (!(st & HVP_ST_HB))
		return -2;   /* host offers no HB: caller could fall back to LB */
	hvp_hb_out((HVP_ST_SUCCESS << 16) | HVP_HBCMD_MESSAGE, len, HVP_CHAN_DX(ch),
		   (unsigned long)msg, ch->cookie_lo, ch->cookie_hi, &ebx);
	return (HVP_ST(ebx) & HVP_ST_SUCCESS) ? 0 : -1;
}

static inline long hvp_rpc_recv_hb(struct hvp_chan *ch, char *out, size_t cap)
{
	uint32_t status, ebx;
	long len = hvp_rpc_recvsize(ch, &status);

	if (len < 0 || (size_t)len + 1 > cap)
		return -1;
	if (len > 0) {
		if (!(status & HVP_ST_HB))
			return -2;
		hvp_hb_in((HVP_ST_SUCCESS << 16) | HVP_HBCMD_MESSAGE, len, HVP_CHAN_DX(ch),
			  ch->cookie_hi, (unsigned long)out, ch->cookie_lo, &ebx);
		if (!(HVP_ST(ebx) & HVP_ST_SUCCESS))
			return -1;
	}
	out[len] = '\0';
	if (hvp_rpc_recvstatus(ch, 1) < 0)
		return -1;
	return len;
}
#endif

#endif
