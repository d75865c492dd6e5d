/*
 * The vmwgfx-style client (vmwgfx.c) for arm64, under its own names: its HB transfers are MRS traps,
 * while on x86_64 they always go through the port whatever the LB form, and the manifest keeps one
 * list of expected hypercalls per function.
 */
#define CLIENT_ENTRY(name) name##_a64
#include "vmwgfx.c"
