package io.hvprobe.kvm.smccc;

import io.hvprobe.arch.Arch;
import io.hvprobe.arch.Arm64Register;
import io.hvprobe.kvm.profile.SmcccVersion;
import io.hvprobe.spi.RegisterContract;

/**
 * Register contracts of SMCCC calls under a calling-convention version: W0 is the function ID and X0 the first
 * result; X1..X3 carry arguments and results (those a function does not define may change); X4..X17 may change
 * under SMCCC 1.0 and are preserved from 1.1 on; X18..X30 and SP are always preserved.
 */
public final class SmcccContracts {
    /** The registers SMCCC 1.0 lets a call change without defining their value. */
    private static final int FIRST_SCRATCH = 4;
    private static final int LAST_SCRATCH = 17;

    private SmcccContracts() {
    }

    /** The contract of {@code function} on {@code path} ({@code hvc} or {@code smc}). */
    public static RegisterContract of(SmcccFunction function, String path, SmcccVersion version) {
        return build(function.name() + " (" + path + ")", function.id().argumentMask(), function.arguments().size(),
                function.results(), version, function);
    }

    /** The contract of a function ID the model does not implement: only W0 is read, NOT_SUPPORTED is written. */
    public static RegisterContract unknown(String path, SmcccVersion version) {
        return build("unknown SMCCC function (" + path + ")", 0, 0, 1, version, null);
    }

    private static RegisterContract build(String name, long argMask, int args, int results, SmcccVersion version,
                                          SmcccFunction function) {
        RegisterContract.Builder b = RegisterContract.builder(name, Arch.ARM64)
                .written(Arm64Register.X0, 0xFFFF_FFFFL, 64, "function ID; result");
        for (int n = 1; n <= LAST_SCRATCH; n++) {
            Arm64Register r = Arm64Register.x(n);
            long in = n <= args ? argMask : 0;
            String meaning = n <= args ? function.arguments().get(n - 1) : "";
            if (n < results) {
                b.written(r, in, 64, (meaning.isEmpty() ? "" : meaning + "; ") + "result " + n);
            } else if (n <= 3 || (n >= FIRST_SCRATCH && !version.preservesX4ToX17())) {
                b.mayChange(r, in, meaning.isEmpty() ? "unused result" : meaning);
            } else if (in != 0) {
                b.input(r, in, meaning);
            }
        }
        return b.build();
    }
}
