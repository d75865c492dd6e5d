package io.hvprobe.vmware;

import io.hvprobe.arch.Arch;
import io.hvprobe.arch.Arm64Register;
import io.hvprobe.arch.GuestRegister;
import io.hvprobe.arch.X86Register;
import io.hvprobe.spi.RegisterWrite;
import io.hvprobe.spi.TrapDetail;
import io.hvprobe.spi.TrapForm;
import io.hvprobe.spi.TrapOutcome;
import io.hvprobe.vmware.abi.Backdoor;
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

    /**
     * Random GuestRPC traffic on open channels (random sizes up to far past the limit, payloads out of order,
     * HB transfers with random counts and buffers, mapped or not): no exception, and the model never holds more
     * than the announced-and-accepted bytes.
     */
    @Test
    void randomGuestRpcTrafficNeverThrowsAndStaysBounded() {
        SplittableRandom random = new SplittableRandom(7);
        VmwareSession s = Sessions.vmware(java.util.Map.of("rpc-max-channels", "4", "rpc-max-message", "4096"));
        GuestCpu cpu = GuestCpu.x86(s);
        Transport port = Transport.port(cpu);
        long[] buffers = {RpcClient.SEND_BUFFER, RpcClient.RECV_BUFFER, 0, 0xFFFF_FFFF_FFFF_F000L, 0x2FFF0};
        int sequenceFindings = 0;
        for (int i = 0; i < 20_000; i++) {
            RpcClient rpc = new RpcClient(port);
            rpc.channel = random.nextInt(5);
            if (random.nextInt(20) == 0) {
                rpc.open(random.nextBoolean() ? RpcClient.RPCI : RpcClient.TCLO, random.nextBoolean());
                continue;
            }
            int op = 1 + random.nextInt(7);
            long ebx = switch (op) {
                case 1 -> random.nextBoolean() ? random.nextInt(5000) : random.nextLong() & 0xFFFF_FFFFL;
                default -> random.nextLong() & 0xFFFF_FFFFL;
            };
            TrapOutcome.Handled h;
            if (op == 7) {
                long count = random.nextBoolean() ? random.nextInt(5000) : random.nextLong();
                long buffer = buffers[random.nextInt(buffers.length)];
                cpu.set(X86Register.RAX, Backdoor.MAGIC).set(X86Register.RBX, 0x0001_0000L)
                        .set(X86Register.RCX, count).set(X86Register.RDX, (long) rpc.channel << 16)
                        .set(X86Register.RSI, buffer).set(X86Register.RDI, buffer).set(X86Register.RBP, 0);
                h = random.nextBoolean() ? port.hbOut() : port.hbIn();
            } else {
                h = rpc.lb(op, ebx);
            }
            sequenceFindings += (int) h.findings().stream().filter(f -> f.ruleId().startsWith("vmware.rpc-")).count();
            assertThat(s.rpcBufferedBytes()).isLessThanOrEqualTo(4L * 2 * (4096 + 2));
        }
        assertThat(sequenceFindings).as("the random traffic did exercise the misuse paths").isGreaterThan(1000);
        assertThat(s.openRpcChannels()).isLessThanOrEqualTo(4);
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
