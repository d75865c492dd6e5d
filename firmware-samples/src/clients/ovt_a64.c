/*
 * The open-vm-tools-style client (ovt.c) for arm64, under its own names: on x86_64 the same function
 * runs VMCALL or the port depending on CPUID, on arm64 always MRS, and the manifest keeps one list of
 * expected hypercalls per function.
 */
#define CLIENT_ENTRY(name) name##_a64
#include "ovt.c"
