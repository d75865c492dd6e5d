/*
 * Benchmark guest workloads, arm64 (GNU as). Assembled by bench/run with `aarch64-linux-gnu-gcc -c`;
 * the C and Python peers run the bytes of .text (objcopy -O binary), hvprobe loads the .o itself.
 * Both functions follow AAPCS64 and return with `ret`, so every side runs the same instruction
 * stream from the entry to the return sentinel.
 */
        .text

/*
 * uint32_t hc_loop(uint64_t n): n VMware backdoor GETVERSION calls through the arm64 trap
 * `mrs xzr, mdccsr_el0` with the X7 control word 0x86_0000000E (magic 0x86 in X7[63:32],
 * W7 = IN with DX, read, 4 bytes), X0 = magic, X2 = command 10, X3 = port 0x5658.
 * The hypervisor answers X0 = 6, X1 = magic, X2 = 2. Returns W0 of the last call (6).
 * 8 instructions per call, 4 around the loop.
 */
        .globl  hc_loop
        .type   hc_loop, %function
hc_loop:
        mov     x9, x0
        mov     x7, #0xe
        movk    x7, #0x86, lsl #32
1:      movz    w0, #0x5868
        movk    w0, #0x564d, lsl #16
        mov     x1, #0
        mov     x2, #10
        mov     x3, #0x5658
        mrs     xzr, mdccsr_el0
        subs    x9, x9, #1
        b.ne    1b
        ret
        .size   hc_loop, . - hc_loop

/*
 * uint64_t trace_loop(uint64_t n): arithmetic that changes a few registers per instruction.
 * 5 instructions per iteration, 3 before and 2 after the loop: 5n + 5 instructions.
 */
        .globl  trace_loop
        .type   trace_loop, %function
trace_loop:
        mov     x1, x0
        mov     x0, #0
        mov     x2, #0
1:      add     x0, x0, x1
        eor     x2, x2, x0
        add     x3, x0, x2, lsl #1
        subs    x1, x1, #1
        b.ne    1b
        mov     x0, x3
        ret
        .size   trace_loop, . - trace_loop

/*
 * uint32_t work_then_hc(uint64_t n): n iterations of 3 instructions, then one GETVERSION call; returns its
 * W0 (6). 3n + 11 instructions: the path before the only trap grows with n (VerifyBenchmark).
 */
        .globl  work_then_hc
        .type   work_then_hc, %function
work_then_hc:
        mov     x9, x0
        mov     x10, #0
1:      add     x10, x10, x9
        subs    x9, x9, #1
        b.ne    1b
        mov     x7, #0xe
        movk    x7, #0x86, lsl #32
        movz    w0, #0x5868
        movk    w0, #0x564d, lsl #16
        mov     x1, #0
        mov     x2, #10
        mov     x3, #0x5658
        mrs     xzr, mdccsr_el0
        ret
        .size   work_then_hc, . - work_then_hc

        .section .note.GNU-stack, "", %progbits
