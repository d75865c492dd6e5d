package io.hvprobe.trap;

import io.hvprobe.spi.TrapForm;

import java.util.Set;

/**
 * The trap instructions compilers emit for {@code __builtin_trap()} (the end of a failed assertion or of code the
 * compiler proved unreachable): arm64 {@code brk #0x3e8} (GCC) and {@code brk #0x1} (Clang). They trap like a
 * hypercall instruction but no hypervisor answers them (VMware's BRK hypercall is {@code brk #0x86}): the kernel
 * sends the program SIGTRAP. Like x86 {@code ud2}, they are not hypercall sites a run should reach.
 */
public final class CompilerTraps {
    /** The BRK immediates of {@code __builtin_trap()}: GCC 1000, Clang 1. */
    static final Set<Integer> BRK_IMMEDIATES = Set.of(0x3e8, 0x1);

    private CompilerTraps() {
    }

    /**
     * Whether {@code site} is a compiler's {@code __builtin_trap()}.
     *
     * @param site a trap site found in an object
     * @return true for a {@code brk} with GCC's or Clang's {@code __builtin_trap()} immediate
     */
    public static boolean isCompilerTrap(TrapSite site) {
        return site.form() == TrapForm.BRK && site.encoding() instanceof TrapEncoding.ExceptionCall e
                && BRK_IMMEDIATES.contains(e.immediate());
    }
}
