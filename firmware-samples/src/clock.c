/* Clocks and vCPU facts: GETHZ, GET_VCPU_INFO, steal clock (x86), PTP precision clock. */
#include "hvp/vmw.h"

/* TSC frequency in Hz from GETHZ (EBX:EAX), or -1 if the host leaves the EBX sentinel. */
HVP_EXPORT long hv_tsc_hz(void)
{
	uint32_t ebx, ecx;
	unsigned long eax;

	if (!hvp_backend_usable())
		return -2;
	eax = hvp_hc3(HVP_CMD_GETHZ, 0xFFFFFFFFul, &ebx, &ecx);
	if (ebx == 0xFFFFFFFFu)
		return -1;
	return (long)(((unsigned long)ebx << 32) | (uint32_t)eax);
}

/* APIC bus (LAPIC timer) frequency in Hz from GETHZ's ECX, or -1. */
HVP_EXPORT long hv_apic_bus_hz(void)
{
	uint32_t ebx, ecx;

	if (!hvp_backend_usable())
		return -2;
	hvp_hc3(HVP_CMD_GETHZ, 0xFFFFFFFFul, &ebx, &ecx);
	if (ebx == 0xFFFFFFFFu)
		return -1;
	return ecx;
}

/* 1 if x2APIC may be used without interrupt remapping (bit 31 clear and bit 3 set), else 0. */
HVP_EXPORT int hv_legacy_x2apic(void)
{
	uint32_t info;

	if (!hvp_backend_usable())
		return -2;
	info = (uint32_t)hvp_hc1(HVP_CMD_GET_VCPU_INFO, 0);
	return !(info & HVP_VCPU_RESERVED) && (info & HVP_VCPU_LEGACY_X2APIC);
}

#if defined(__x86_64__)
/*
 * Register the 64-byte steal-time area (guest physical = virtual under hvprobe).
 * Returns 1 enabled, 0 disabled, -1 not available, -22 misaligned area.
 */
HVP_EXPORT int hv_steal_clock_enable(void *area)
{
	unsigned long pa = (unsigned long)area;
	uint32_t info;
	unsigned long eax;

	if (pa & 63)
		return -22;
	if (!hvp_backend_usable())
		return -2;
	eax = hvp_hc5(HVP_CMD_STEALCLOCK, 0, 0, pa >> 32, pa & 0xFFFFFFFFul, &info);
	return (int)(uint32_t)eax;
}

/* Disable (ESI = 0, EDI = 1): returns 0 disabled, -1 not available. */
HVP_EXPORT int hv_steal_clock_disable(void)
{
	uint32_t info;

	if (!hvp_backend_usable())
		return -2;
	return (int)(uint32_t)hvp_hc5(HVP_CMD_STEALCLOCK, 0, 0, 0, 1, &info);
}
#endif

/* PTP GETTIME: nanoseconds from EBX:ECX when EAX = 0, else -1. */
HVP_EXPORT long hv_ptp_gettime_ns(void)
{
	uint32_t hi, lo;
	unsigned long eax;

	if (!hvp_backend_usable())
		return -2;
	eax = hvp_hc3(HVP_SUB(HVP_CMD_PRECISIONCLOCK, HVP_PTP_GETTIME), 0, &hi, &lo);
	if ((uint32_t)eax != 0)
		return -1;
	return (long)(((unsigned long)hi << 32) | lo);
}
