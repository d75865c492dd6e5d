/**
 * A small typed binding over Unicorn 2 ({@code libunicorn.so.2}) written with the Foreign Function &amp; Memory API.
 * <p>
 * {@link io.hvprobe.unicorn.Unicorn} is the engine: memory, registers (single, batched, as a
 * {@link io.hvprobe.arch.RegisterSnapshot}), emulation and hooks. Register ids, hook types, permissions and x86
 * instruction ids are the {@code Uc*} constant classes, checked against the C headers by a test.
 * <p>
 * Intercepting a hypercall: put a {@link io.hvprobe.unicorn.CodeHook} on the trap instruction's exact address,
 * write the results, and set the program counter past the instruction; the instruction then never executes.
 * <pre>{@code
 * try (Unicorn uc = Unicorn.open(Arch.X86_64)) {
 *     uc.memMap(0x10000, 0x1000, UcProt.READ | UcProt.EXEC);
 *     uc.memWrite(0x10000, code);
 *     uc.hookCode(site, site, (u, address, size) -> {
 *         u.regWrite(UcX86Reg.RAX, 0x1234);
 *         u.setPc(address + 1);                 // skip "in eax, dx"
 *     });
 *     StopReason why = uc.emuStart(0x10000, 0x10000 + code.length, 0, 0);
 * }
 * }</pre>
 * Errors: failed Unicorn calls throw {@link io.hvprobe.unicorn.UnicornException} (typed
 * {@link io.hvprobe.unicorn.UcError}); exceptions thrown by hooks stop emulation and come back as
 * {@link io.hvprobe.unicorn.HookFailedException} from {@code emuStart}; a missing library is a
 * {@link io.hvprobe.unicorn.UnicornUnavailableException} with a one-line install hint.
 */
package io.hvprobe.unicorn;
