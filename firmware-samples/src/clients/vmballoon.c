/*
 * vmw_balloon-style START / GUEST_ID / GET_TARGET (docs/clients.md), written here after the
 * pattern of Linux's drivers/misc/vmw_balloon.c: one asm for every command on port 0x5670 that
 * declares EAX, EBX, ECX, EDX and ESI written (EDI kept, sheet section 6); START's capabilities
 * come from the full RCX, every other result from the full RBX, and the driver keeps its state
 * (capabilities, target, reset flag, statistics) in ordinary static variables.
 *
 * Mutation hook: VMB_MUTANT_NO_PORT_IN (the port 0x5670 no longer loaded into EDX).
 */
#include "client.h"

#define VMB_MAGIC       0x456C6D6Fu
#define VMB_PORT        0x5670u
#define VMB_CMD_START      0u
#define VMB_CMD_GET_TARGET 1u
#define VMB_CMD_GUEST_ID   4u
#define VMB_SUCCESS                 0u
#define VMB_ERROR_RESET             7u
#define VMB_SUCCESS_WITH_CAPS       0x03000000u
#define VMB_CAP_BASIC      (1u << 1)
#define VMB_CAP_BATCHED    (1u << 2)
#define VMB_CAP_BATCHED_2M (1u << 3)
#define VMB_CAP_SIGNALLED  (1u << 4)
#define VMB_CAP_64BIT      (1u << 5)
#define VMB_GUEST_LINUX    1u
/* Commands whose successful reply carries a new target in RBX. */
#define VMB_CMDS_WITH_TARGET ((1ul << VMB_CMD_GET_TARGET))

struct vmballoon {
	unsigned long capabilities;
	unsigned long target;
	int reset_required;
	unsigned long stats[8];
};

static struct vmballoon balloon;

static unsigned long vmb_raw_cmd(unsigned long cmd, unsigned long arg1, unsigned long arg2,
				 unsigned long *result)
{
	unsigned long status, rbx_out, rcx_out, rdx_out, rsi_out;

#if defined(VMB_MUTANT_NO_PORT_IN)
	asm volatile("inl %%dx"
		     : "=a"(status), "=c"(rcx_out), "=d"(rdx_out), "=S"(rsi_out), "=b"(rbx_out)
		     : "0"(VMB_MAGIC), "1"(cmd), "4"(arg1), "3"(arg2)
		     : "memory");	/* the one change: no "2"(VMB_PORT), EDX is whatever it was */
#else
	asm volatile("inl %%dx"
		     : "=a"(status), "=c"(rcx_out), "=d"(rdx_out), "=S"(rsi_out), "=b"(rbx_out)
		     : "0"(VMB_MAGIC), "1"(cmd), "2"(VMB_PORT), "4"(arg1), "3"(arg2)
		     : "memory");
#endif
	if (result)
		*result = cmd == VMB_CMD_START ? rcx_out : rbx_out;
	if (status == VMB_SUCCESS && ((1ul << cmd) & VMB_CMDS_WITH_TARGET))
		balloon.target = rbx_out;
	if (status == VMB_ERROR_RESET)
		balloon.reset_required = 1;
	return status;
}

static unsigned long vmb_cmd(unsigned long cmd, unsigned long arg1, unsigned long arg2)
{
	unsigned long dummy;

	balloon.stats[cmd & 7]++;
	return vmb_raw_cmd(cmd, arg1, arg2, &dummy);
}

static int vmb_send_start(unsigned long req_caps)
{
	unsigned long status, caps;

	balloon.stats[VMB_CMD_START]++;
	status = vmb_raw_cmd(VMB_CMD_START, req_caps, 0, &caps);
	switch (status) {
	case VMB_SUCCESS_WITH_CAPS:
		balloon.capabilities = caps;
		break;
	case VMB_SUCCESS:
		balloon.capabilities = VMB_CAP_BASIC;
		break;
	default:
		return -1;
	}
	return 0;
}

static int vmb_send_guest_id(void)
{
	return vmb_cmd(VMB_CMD_GUEST_ID, VMB_GUEST_LINUX, 0) == VMB_SUCCESS ? 0 : -1;
}

static int vmb_send_get_target(unsigned long total_pages)
{
	if (!(balloon.capabilities & VMB_CAP_64BIT) && total_pages != (uint32_t)total_pages)
		return -1;
	return vmb_cmd(VMB_CMD_GET_TARGET, total_pages, 0) == VMB_SUCCESS ? 0 : -1;
}

/* START with every capability a 64-bit Linux guest asks for: returns what the host granted (full RCX). */
unsigned long CLIENT_ENTRY(vmballoon_start_caps)(void)
{
	if (vmb_send_start(VMB_CAP_BASIC | VMB_CAP_BATCHED | VMB_CAP_BATCHED_2M | VMB_CAP_SIGNALLED |
			   VMB_CAP_64BIT))
		return 0;
	return balloon.capabilities;
}

/* The driver's reset then one work step: START, GUEST_ID, GET_TARGET; returns the target in pages. */
long CLIENT_ENTRY(vmballoon_reset_and_target)(unsigned long total_pages)
{
	if (vmb_send_start(VMB_CAP_BASIC | VMB_CAP_BATCHED | VMB_CAP_BATCHED_2M | VMB_CAP_SIGNALLED |
			   VMB_CAP_64BIT))
		return -1;
	if (vmb_send_guest_id())
		return -2;
	balloon.reset_required = 0;
	if (vmb_send_get_target(total_pages))
		return -3;
	return (long)balloon.target;
}
