/* vmmouse absolute pointer (ABSPOINTER commands 39/40/41, sheet section 7). */
#include "hvp/vmw.h"

static unsigned long mouse_cmd(uint32_t sub)
{
	return hvp_hc1(HVP_CMD_ABSPOINTER_CMD, sub);
}

static uint32_t mouse_status(void)
{
	return (uint32_t)hvp_hc1(HVP_CMD_ABSPOINTER_STATUS, 0);
}

/* ENABLE, then the queued version id must be 0x3442554A; then request absolute mode. 0 = ok. */
HVP_EXPORT int vmmouse_enable(void)
{
	uint32_t st;

	if (!hvp_backend_usable())
		return -2;
	mouse_cmd(HVP_MOUSE_ENABLE);
	st = mouse_status();
	if ((st & HVP_MOUSE_ERROR_MASK) == HVP_MOUSE_ERROR_MASK || (st & 0xFFFFu) == 0)
		return -1;
	if ((uint32_t)hvp_hc1(HVP_CMD_ABSPOINTER_DATA, 1) != HVP_MOUSE_VERSION_ID)
		return -1;
	mouse_cmd(HVP_MOUSE_REQ_ABSOLUTE);
	return 0;
}

/*
 * Reads one 4-word packet into pkt[0..3] (buttons, x, y, z) if one is queued.
 * Returns 1 packet read, 0 none queued, -1 device error.
 */
HVP_EXPORT int vmmouse_read_packet(uint32_t *pkt)
{
	uint32_t st = mouse_status(), x, y, z;

	if ((st & HVP_MOUSE_ERROR_MASK) == HVP_MOUSE_ERROR_MASK)
		return -1;
	if ((st & 0xFFFFu) < 4)
		return 0;
	pkt[0] = (uint32_t)hvp_hc4(HVP_CMD_ABSPOINTER_DATA, 4, &x, &y, &z);
	pkt[1] = x;
	pkt[2] = y;
	pkt[3] = z;
	return 1;
}

/* DISABLE; afterwards STATUS must report the error pattern. 0 = ok. */
HVP_EXPORT int vmmouse_disable(void)
{
	mouse_cmd(HVP_MOUSE_DISABLE);
	return (mouse_status() & HVP_MOUSE_ERROR_MASK) == HVP_MOUSE_ERROR_MASK ? 0 : -1;
}

/* enable -> read id -> status -> read packet -> disable; returns the packet's X or negative. */
HVP_EXPORT int vmmouse_session(uint32_t *pkt)
{
	int r = vmmouse_enable();

	if (r < 0)
		return r;
	r = vmmouse_read_packet(pkt);
	if (vmmouse_disable() < 0)
		return -1;
	return r == 1 ? (int)pkt[1] : (r == 0 ? -3 : -1);
}
