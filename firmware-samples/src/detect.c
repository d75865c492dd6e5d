/* Hypervisor detection: CPUID vendor leaf (x86) and the GETVERSION handshake. */
#include "hvp/vmw.h"

#if defined(__x86_64__)
/* CPUID.0x40000000 must name "VMwareVMware" (EBX, ECX, EDX). */
static int vendor_is_vmware(void)
{
	uint32_t max, b, c, d;

	hvp_cpuid(0x40000000u, &max, &b, &c, &d);
	return b == 0x61774d56u && c == 0x4d566572u && d == 0x65726177u;
}
#else
static int vendor_is_vmware(void)
{
	return 1;   /* arm64 has no hypervisor CPUID leaf; GETVERSION alone decides */
}
#endif

/* GETVERSION with EBX = 0; out: version (EAX), product type (ECX), or a negative error. */
static long getversion(uint32_t *type)
{
	uint32_t ebx, ecx;
	unsigned long eax = hvp_hc3(HVP_CMD_GETVERSION, 0, &ebx, &ecx);

	if ((uint32_t)eax == 0xFFFFFFFFu || ebx != HVP_MAGIC)
		return -3;
	*type = ecx;
	return (long)(uint32_t)eax;
}

/* Returns the backdoor version (6), -1 wrong vendor, -2 form not advertised, -3 no backdoor. */
HVP_EXPORT int hv_detect(void)
{
	uint32_t type;

	if (!vendor_is_vmware())
		return -1;
	if (!hvp_backend_usable())
		return -2;
	return (int)getversion(&type);
}

/* Returns the product type from GETVERSION's ECX (2 = ESX), or a negative error as hv_detect. */
HVP_EXPORT int hv_product_type(void)
{
	uint32_t type = 0;
	long v;

	if (!vendor_is_vmware())
		return -1;
	if (!hvp_backend_usable())
		return -2;
	v = getversion(&type);
	return v < 0 ? (int)v : (int)type;
}
