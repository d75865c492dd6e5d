package io.hvprobe.kvm;

import io.hvprobe.arch.Arch;
import io.hvprobe.arch.GuestRegister;
import io.hvprobe.arch.RegisterSnapshot;
import io.hvprobe.spi.TrapDetail;
import io.hvprobe.spi.TrapEvent;
import io.hvprobe.spi.TrapForm;

import java.util.Map;

/** Trap events as the interceptor would build them, for driving the model through the SPI. */
final class Traps {
    private Traps() {
    }

    static RegisterSnapshot registers(Arch arch, Map<? extends GuestRegister, Long> values) {
        long[] v = new long[arch.registers().size()];
        values.forEach((r, x) -> v[r.index()] = x);
        return RegisterSnapshot.of(arch, v);
    }

    static TrapEvent vmcall(Map<? extends GuestRegister, Long> regs) {
        return new TrapEvent(0, TrapForm.VMCALL, 0x1000, new byte[] {0x0f, 0x01, (byte) 0xc1}, "vmcall", "t+0x0",
                registers(Arch.X86_64, regs), new TrapDetail.Hypercall());
    }

    static TrapEvent hvc(int immediate, Map<? extends GuestRegister, Long> regs) {
        return new TrapEvent(0, TrapForm.HVC, 0x1000, new byte[] {2, 0, 0, (byte) 0xd4}, "hvc #" + immediate, "t+0x0",
                registers(Arch.ARM64, regs), new TrapDetail.ExceptionCall(immediate));
    }

    static TrapEvent smc(Map<? extends GuestRegister, Long> regs) {
        return new TrapEvent(0, TrapForm.SMC, 0x1000, new byte[] {3, 0, 0, (byte) 0xd4}, "smc #0", "t+0x0",
                registers(Arch.ARM64, regs), new TrapDetail.ExceptionCall(0));
    }

    static TrapEvent cpuid(long leaf) {
        return new TrapEvent(0, TrapForm.CPUID, 0x1000, new byte[] {0x0f, (byte) 0xa2}, "cpuid", "t+0x0",
                registers(Arch.X86_64, Map.of(io.hvprobe.arch.X86Register.RAX, leaf)), new TrapDetail.Cpuid(leaf, 0));
    }
}
