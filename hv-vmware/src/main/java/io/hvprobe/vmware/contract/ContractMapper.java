package io.hvprobe.vmware.contract;

import io.hvprobe.arch.Arch;
import io.hvprobe.arch.Arm64Register;
import io.hvprobe.arch.GuestRegister;
import io.hvprobe.arch.X86Register;
import io.hvprobe.spi.RegisterContract;
import io.hvprobe.spi.RegisterContract.Effect;
import io.hvprobe.spi.RegisterContract.Role;
import io.hvprobe.spi.RegisterWrite;
import io.hvprobe.vmware.entry.ArgRegisters;
import io.hvprobe.vmware.entry.Direction;
import io.hvprobe.vmware.entry.EntryPath;
import io.hvprobe.vmware.profile.HbSemantics;
import io.hvprobe.vmware.profile.MayChangePolicy;
import io.hvprobe.vmware.profile.OutputUpperHalf;
import io.hvprobe.vmware.profile.VmwareProfile;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Turns an {@link ArgContract} into the {@link RegisterContract} of one entry path: places each
 * argument in its register, adds the path's own registers (TDX R10..R15, arm64 X7, HB string
 * side effects) and applies the profile's may-change policy.
 */
public final class ContractMapper {
    private ContractMapper() {
    }

    /**
     * The register contract of {@code contract} on {@code path}.
     *
     * @param direction direction of an HB transfer (decides RSI vs RDI for architectural HB)
     * @param addr32    whether an HB string instruction used a 32-bit address size
     */
    public static RegisterContract map(ArgContract contract, EntryPath path, Direction direction,
                                       VmwareProfile profile, boolean addr32) {
        Map<GuestRegister, Role> roles = new LinkedHashMap<>();
        ArgRegisters regs = path.registers();
        boolean zeroExtended = profile.entry().outputUpperHalf() == OutputUpperHalf.ZERO_EXTENDED;
        contract.args().forEach((arg, role) -> regs.register(arg).ifPresent(r -> roles.put(r, role.written()
                ? new Role(role.inputMask(), Effect.WRITTEN, zeroExtended ? 64 : role.width(), role.meaning())
                : new Role(role.inputMask(), Effect.PRESERVED, 0, role.meaning()))));

        switch (path) {
            case TDCALL -> {
                roles.put(X86Register.RAX, new Role(-1L, Effect.WRITTEN, 64, "TDCALL leaf 0; out: TDCALL status 0"));
                roles.put(X86Register.RCX, new Role(-1L, Effect.PRESERVED, 0, "exposed-register bitmap"));
                roles.put(X86Register.R10, new Role(-1L, Effect.WRITTEN, 64, "vendor leaf; out: 0 (GHCI success)"));
                roles.put(X86Register.R11, new Role(-1L, Effect.PRESERVED, 0, "function 1"));
                roles.put(X86Register.R15, new Role(0xFFFF_FFFFL, Effect.PRESERVED, 0, "caller CPL"));
            }
            case ARM64_MRS, ARM64_HVC, ARM64_BRK ->
                    roles.put(Arm64Register.X7, new Role(-1L, Effect.PRESERVED, 0, "I/O descriptor; X7[63:32] magic 0x86"));
            default -> {
            }
        }
        // Flags: VMware has not modified EFLAGS/NZCV "so far" (spec §1.6, §2.4) - no guarantee, so may change.
        roles.putIfAbsent(path.arch().flags(), new Role(0, Effect.MAY_CHANGE, 0,
                "flags: not modified \"so far\", not guaranteed"));
        if (contract.bandwidth() == ArgContract.Kind.HB && path == EntryPath.IO_PORT
                && profile.entry().hbSemantics() == HbSemantics.ARCHITECTURAL) {
            int width = addr32 ? 32 : 64;
            writeOver(roles, X86Register.RCX, width, "0 (rep string side effect)");
            writeOver(roles, direction == Direction.OUT ? X86Register.RSI : X86Register.RDI, width,
                    "moved by the count, down when DF is set (rep string side effect)");
        }
        // The balloon table (spec §6) itself says EDX and ESI may change, whatever the MAY_CHANGE policy.
        boolean balloon = contract.bandwidth() == ArgContract.Kind.BALLOON && path.arch() == Arch.X86_64;
        if (profile.entry().mayChange() == MayChangePolicy.OPEN_VM_TOOLS || balloon) {
            for (GuestRegister r : mayChangeSet(contract.bandwidth(), path)) {
                Role old = roles.get(r);
                if (old == null) {
                    roles.put(r, new Role(0, Effect.MAY_CHANGE, 0, balloon ? "may change (spec §6)"
                            : "may change (open-vm-tools)"));
                } else if (old.effect() == Effect.PRESERVED) {
                    roles.put(r, new Role(old.inputMask(), Effect.MAY_CHANGE, 0, old.meaning() + "; may change"));
                }
            }
        }
        String name = contract.key() + " (" + path.label() + (contract.bandwidth() == ArgContract.Kind.HB ? " HB" : "")
                + ")";
        return new RegisterContract(name, path.arch(), roles);
    }

    private static void writeOver(Map<GuestRegister, Role> roles, GuestRegister r, int width, String meaning) {
        Role old = roles.get(r);
        roles.put(r, new Role(old == null ? 0 : old.inputMask(), Effect.WRITTEN, width,
                (old == null ? "" : old.meaning() + "; ") + "out: " + meaning));
    }

    private static List<GuestRegister> mayChangeSet(ArgContract.Kind kind, EntryPath path) {
        if (kind == ArgContract.Kind.BALLOON) {
            return List.of(X86Register.RDX, X86Register.RSI);
        }
        int n = kind == ArgContract.Kind.HB && path.arch() == Arch.ARM64 ? 7 : 6;
        return path.registers().all().subList(0, Math.min(n, path.registers().all().size()));
    }

    /** Contract of an answer given as an unclaimed port: at most the read result register is written. */
    public static RegisterContract unclaimed(String command, Arch arch, Optional<RegisterWrite> answer) {
        Map<GuestRegister, Role> roles = new LinkedHashMap<>();
        answer.ifPresent(w -> roles.put(w.register(), new Role(0, Effect.WRITTEN, w.width(), "all-ones read")));
        return new RegisterContract(command + " (unclaimed port)", arch, roles);
    }

    /** CPUID hypervisor leaves: EAX leaf and ECX subleaf in; EAX..EDX written. */
    public static RegisterContract cpuid() {
        return RegisterContract.builder("CPUID (hypervisor leaf)", Arch.X86_64)
                .written(X86Register.RAX, 0xFFFF_FFFFL, 32, "leaf; out: EAX")
                .written(X86Register.RBX, 0, 32, "out: EBX")
                .written(X86Register.RCX, 0xFFFF_FFFFL, 32, "subleaf; out: ECX")
                .written(X86Register.RDX, 0, 32, "out: EDX").build();
    }

    /** RDPMC pseudo-PMC: ECX index in; EDX:EAX written. */
    public static RegisterContract rdpmc() {
        return RegisterContract.builder("RDPMC (pseudo-PMC)", Arch.X86_64)
                .written(X86Register.RAX, 0, 32, "out: counter [31:0]")
                .input(X86Register.RCX, 0xFFFF_FFFFL, "pseudo-PMC index")
                .written(X86Register.RDX, 0, 32, "out: counter [63:32]").build();
    }
}
