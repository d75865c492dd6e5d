/*
 * VMware backdoor constants, written from docs and the hvprobe ABI fact sheet
 * (/work/shared/spec/vmware-backdoor-abi.md, sections 0, 3, 4, 6, 7).
 */
#ifndef HVP_VMW_DEFS_H
#define HVP_VMW_DEFS_H

#include <stdint.h>
#include <stddef.h>

#define HVP_MAGIC            0x564D5868u   /* "VMXh" */
#define HVP_PORT_LB          0x5658u
#define HVP_PORT_HB          0x5659u
#define HVP_FLAG_HB          0x0001u       /* vmcall/vmmcall DX[15:0] */
#define HVP_FLAG_OUT         0x0002u
#define HVP_VERSION          6u

/* LB command numbers (ECX[15:0]) */
#define HVP_CMD_GETVERSION        10u
#define HVP_CMD_MESSAGE           30u
#define HVP_CMD_ABSPOINTER_DATA   39u
#define HVP_CMD_ABSPOINTER_STATUS 40u
#define HVP_CMD_ABSPOINTER_CMD    41u
#define HVP_CMD_GETHZ             45u
#define HVP_CMD_GETTIMEFULL       46u
#define HVP_CMD_GET_VCPU_INFO     68u
#define HVP_CMD_STEALCLOCK        91u
#define HVP_CMD_PRECISIONCLOCK    97u

#define HVP_SUB(cmd, sub)    ((unsigned long)(cmd) | ((unsigned long)(sub) << 16))

/* MESSAGE sub-commands and status bits (ECX[31:16] of the reply) */
#define HVP_MSG_OPEN        0u
#define HVP_MSG_SENDSIZE    1u
#define HVP_MSG_SENDPAYLOAD 2u
#define HVP_MSG_RECVSIZE    3u
#define HVP_MSG_RECVPAYLOAD 4u
#define HVP_MSG_RECVSTATUS  5u
#define HVP_MSG_CLOSE       6u
#define HVP_ST_SUCCESS      0x0001u
#define HVP_ST_DORECV       0x0002u
#define HVP_ST_HB           0x0080u
#define HVP_RPCI            0x49435052u
#define HVP_COOKIE_FLAG     0x80000000u
#define HVP_HBCMD_MESSAGE   0u

/* GET_VCPU_INFO bits */
#define HVP_VCPU_LEGACY_X2APIC (1u << 3)
#define HVP_VCPU_RESERVED      (1u << 31)

/* STEALCLOCK / PRECISIONCLOCK */
#define HVP_STEAL_ENABLED   1u
#define HVP_STEAL_DISABLED  0u
#define HVP_PTP_GETTIME     0u
#define HVP_PTP_SETTIME     1u

/* vmmouse (ABSPOINTER) */
#define HVP_MOUSE_ENABLE        0x45414552u   /* also READ_ID */
#define HVP_MOUSE_DISABLE       0x000000F5u
#define HVP_MOUSE_REQ_ABSOLUTE  0x53424152u
#define HVP_MOUSE_VERSION_ID    0x3442554Au
#define HVP_MOUSE_ERROR_MASK    0xFFFF0000u

/* balloon (separate backdoor, plain `in eax, dx` on port 0x5670) */
#define HVP_BALLOON_PORT        0x5670u
#define HVP_BALLOON_MAGIC       0x456C6D6Fu
#define HVP_BALLOON_START       0u
#define HVP_BALLOON_GET_TARGET  1u
#define HVP_BALLOON_LOCK        2u
#define HVP_BALLOON_GUEST_ID    4u
#define HVP_BALLOON_CAP_BASIC   (1u << 1)
#define HVP_BALLOON_SUCCESS_WITH_CAPS 0x03000000u

/* TDX */
#define HVP_TDX_LEAF     0x1AF7E4909ul
#define HVP_TDX_FUNC     1ul
#define HVP_TDX_REGMASK  0xFFCCul   /* RDX RBX RSI RDI R8..R15 exposed */
#define HVP_TDX_CMD_MASK 0x000F007Ful

/* arm64 I/O descriptor in X7 */
#define HVP_A64_MAGIC    (0x86ul << 32)
#define HVP_A64_LB_IN    (HVP_A64_MAGIC | 0x0Eu)   /* WITH | DIR | size 4 */
#define HVP_A64_HB_IN    (HVP_A64_MAGIC | 0x1Cu)   /* STR | WITH | DIR, size 1 */
#define HVP_A64_HB_OUT   (HVP_A64_MAGIC | 0x18u)   /* STR | WITH, size 1 */

#define HVP_EXPORT   __attribute__((noinline, used))

#endif
