/*
 * Benchmark guest workloads, x86_64 (GNU as, Intel syntax). Assembled by bench/run with `gcc -c`;
 * the C and Python peers run the bytes of .text (objcopy -O binary), hvprobe loads the .o itself.
 * Both functions follow the SysV ABI and return with `ret`, so every side runs the same instruction
 * stream from the entry to the return sentinel.
 */
        .intel_syntax noprefix
        .text

/*
 * uint32_t hc_loop(uint64_t n): n VMware backdoor GETVERSION calls (`in eax, dx` on port 0x5658,
 * EAX = magic, ECX = command 10). The hypervisor answers EAX = 6, EBX = magic, ECX = 2.
 * Returns EAX of the last call (6). 7 instructions per call, 4 around the loop.
 */
        .globl  hc_loop
        .type   hc_loop, @function
hc_loop:
        push    rbx
        mov     r8, rdi
1:      mov     eax, 0x564D5868
        xor     ebx, ebx
        mov     ecx, 10
        mov     edx, 0x5658
        in      eax, dx
        dec     r8
        jnz     1b
        pop     rbx
        ret
        .size   hc_loop, . - hc_loop

/*
 * uint64_t trace_loop(uint64_t n): arithmetic that changes a few registers per instruction.
 * 5 instructions per iteration, 3 before and 2 after the loop: 5n + 5 instructions.
 */
        .globl  trace_loop
        .type   trace_loop, @function
trace_loop:
        mov     rcx, rdi
        xor     eax, eax
        xor     edx, edx
1:      add     rax, rcx
        xor     rdx, rax
        lea     rsi, [rax + rdx*2]
        dec     rcx
        jnz     1b
        mov     rax, rsi
        ret
        .size   trace_loop, . - trace_loop

/*
 * uint32_t work_then_hc(uint64_t n): n iterations of 3 instructions, then one GETVERSION call; returns its
 * EAX (6). 3n + 10 instructions: the path before the only trap grows with n (VerifyBenchmark).
 */
        .globl  work_then_hc
        .type   work_then_hc, @function
work_then_hc:
        push    rbx
        mov     rcx, rdi
        xor     eax, eax
1:      add     rax, rcx
        dec     rcx
        jnz     1b
        mov     eax, 0x564D5868
        xor     ebx, ebx
        mov     ecx, 10
        mov     edx, 0x5658
        in      eax, dx
        pop     rbx
        ret
        .size   work_then_hc, . - work_then_hc

        .section .note.GNU-stack, "", @progbits
