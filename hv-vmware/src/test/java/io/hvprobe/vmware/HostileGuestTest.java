package io.hvprobe.vmware;

import io.hvprobe.arch.Arch;
import io.hvprobe.arch.Arm64Register;
import io.hvprobe.arch.GuestRegister;
import io.hvprobe.arch.X86Register;
import io.hvprobe.spi.RegisterWrite;
import io.hvprobe.spi.TrapDetail;
import io.hvprobe.spi.TrapForm;
import io.hvprobe.spi.TrapOutcome;
import org.junit.jupiter.api.Test;

import java.util.SplittableRandom;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Random register contents on every entry form: the model never throws, and every answer writes
 * only registers its own contract declares written (seeded, so failures reproduce).
 */
class HostileGuestTest {

    @Test
    void randomCallsNeverThrowAndRespectTheirContracts() {
        SplittableRandom random = new SplittableRandom(42);
        int handled = 0;
        for (VmwareSession s : new VmwareSession[]{Sessions.vmware(), Sessions.qemu()}) {
            GuestCpu x86 = GuestCpu.x86(s);
            GuestCpu arm = GuestCpu.arm64(s);
            for (int i = 0; i < 3000; i++) {
                GuestCpu cpu = random.nextBoolean() ? x86 : arm;
                randomise(cpu, random);
                TrapOutcome o = cpu.arch == Arch.X86_64 ? x86Trap(cpu, random) : armTrap(cpu, random);
                if (o instanceof TrapOutcome.Handled h) {
                    handled++;
                    for (RegisterWrite w : h.registerWrites()) {
                        assertThat(h.contract().get().written()).as(h.command()).contains(w.register());
                    }
                }
            }
        }
        assertThat(handled).as("most random traps hit a VMware entry").isGreaterThan(3000);
    }

    private static void randomise(GuestCpu cpu, SplittableRandom r) {
        for (GuestRegister reg : cpu.arch.registers()) {
            cpu.set(reg, r.nextLong());
        }
        int arg0 = r.nextInt(4);
        GuestRegister magicReg = cpu.arch == Arch.X86_64 ? (r.nextInt(4) == 0 ? X86Register.R12
                : X86Register.RAX) : Arm64Register.X0;
        if (arg0 < 3) {
            cpu.set(magicReg, arg0 == 2 ? Backdoor.BALLOON_MAGIC : Backdoor.MAGIC);
        }
        GuestRegister cmd = cpu.arch == Arch.X86_64 ? X86Register.RCX : Arm64Register.X2;
        cpu.set(cmd, (long) r.nextInt(12) << 16 | r.nextInt(110));
        GuestRegister dx = cpu.arch == Arch.X86_64 ? X86Register.RDX : Arm64Register.X3;
        int[] ports = {0x5658, 0x5659, 0x565B, 0x5670, 0, 1, 3};
        cpu.set(dx, (cpu.get(dx) & 0x7FFF_0000L) | ports[r.nextInt(ports.length)]);
        if (cpu.arch == Arch.ARM64 && r.nextBoolean()) {
            long[] w7 = {0x0E, 0x1C, 0x18, 0x0F, 0x16, 0x06, 0x1_000E, r.nextInt()};
            cpu.set(Arm64Register.X7, 0x86L << 32 | (w7[r.nextInt(w7.length)] & 0xFFFF_FFFFL));
        }
        if (cpu.arch == Arch.X86_64 && r.nextBoolean()) {
            cpu.set(X86Register.RAX, 0).set(X86Register.R10, Backdoor.TDX_VENDOR_LEAF);
        }
    }

    private static TrapOutcome x86Trap(GuestCpu cpu, SplittableRandom r) {
        int port = (int) (cpu.get(X86Register.RDX) & 0xFFFF);
        int[] sizes = {1, 2, 4};
        boolean string = r.nextBoolean();
        TrapDetail.IoDirection dir = r.nextBoolean() ? TrapDetail.IoDirection.IN : TrapDetail.IoDirection.OUT;
        TrapDetail.Io access = new TrapDetail.Io(port, sizes[r.nextInt(3)], dir, false, string, string && r.nextBoolean(),
                cpu.get(X86Register.RCX), r.nextInt(8) == 0, r.nextBoolean() ? 64 : 32);
        return switch (r.nextInt(7)) {
            case 0 -> cpu.raw(string ? (dir == TrapDetail.IoDirection.IN ? TrapForm.INS : TrapForm.OUTS)
                    : (dir == TrapDetail.IoDirection.IN ? TrapForm.IN : TrapForm.OUT), access);
            case 1 -> cpu.raw(TrapForm.VMCALL, new TrapDetail.Hypercall());
            case 2 -> cpu.raw(TrapForm.VMMCALL, new TrapDetail.Hypercall());
            case 3 -> cpu.raw(TrapForm.TDCALL, new TrapDetail.Hypercall());
            case 4 -> cpu.raw(TrapForm.CPUID, new TrapDetail.Cpuid(0x4000_0000L + r.nextInt(0x120), 0));
            case 5 -> cpu.raw(TrapForm.RDPMC, new TrapDetail.PmcRead(0x10000 + r.nextInt(6)));
            default -> cpu.raw(TrapForm.IN, new TrapDetail.Io(0x5658, 4, TrapDetail.IoDirection.IN, false, false,
                    false, 1, false, 64));
        };
    }

    private static TrapOutcome armTrap(GuestCpu cpu, SplittableRandom r) {
        return switch (r.nextInt(3)) {
            case 0 -> cpu.raw(TrapForm.MRS, GuestCpu.MDCCSR);
            case 1 -> cpu.raw(TrapForm.HVC, new TrapDetail.ExceptionCall(r.nextBoolean() ? 0x86 : r.nextInt(0x10000)));
            default -> cpu.raw(TrapForm.BRK, new TrapDetail.ExceptionCall(0x86));
        };
    }
}
