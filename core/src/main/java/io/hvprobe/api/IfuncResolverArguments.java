package io.hvprobe.api;

import io.hvprobe.arch.Arch;
import io.hvprobe.guest.Argument;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.List;

/**
 * What the dynamic loader passes an ifunc resolver. x86_64: nothing (glibc calls resolvers without arguments; they
 * ask CPUID, which the CPU model answers). arm64: {@code AT_HWCAP | _IFUNC_ARG_HWCAP} and a pointer to
 * {@code __ifunc_arg_t {size, hwcap, hwcap2}}, with the features every ARMv8-A CPU and the emulated one have: FP and
 * ASIMD. Fewer features than a real CPU may report only make a resolver choose a more generic implementation.
 */
final class IfuncResolverArguments {
    /** {@code HWCAP_FP | HWCAP_ASIMD}. */
    static final long ARM64_HWCAP = 0b11;
    /** glibc's {@code _IFUNC_ARG_HWCAP}: the second argument is valid. */
    static final long IFUNC_ARG_HWCAP = 1L << 62;
    /** {@code sizeof(__ifunc_arg_t)}. */
    private static final int ARG_SIZE = 24;

    private IfuncResolverArguments() {
    }

    static List<Argument> of(Arch arch) {
        return switch (arch) {
            case X86_64 -> List.of();
            case ARM64 -> List.of(new Argument.Value(ARM64_HWCAP | IFUNC_ARG_HWCAP), new Argument.Buffer(ARG_SIZE,
                    ByteBuffer.allocate(ARG_SIZE).order(ByteOrder.LITTLE_ENDIAN).putLong(ARG_SIZE)
                            .putLong(ARM64_HWCAP).putLong(0).array(), 16));
        };
    }
}
