package io.hvprobe.vmware;

import io.hvprobe.arch.Arm64Register;
import io.hvprobe.arch.GuestRegister;
import io.hvprobe.arch.X86Register;
import io.hvprobe.spi.TrapOutcome;
import io.hvprobe.vmware.abi.Backdoor;
import io.hvprobe.vmware.entry.ArgRegisters;

import java.util.function.Function;

/**
 * Issues backdoor calls over one entry path: arguments are set as arg0..arg6 and the transport
 * adds what its path needs (port or flags in DX[15:0], the arm64 W7 descriptor, TDX R10/R11/RCX).
 */
abstract class Transport {
    final GuestCpu cpu;
    private final String name;
    private final ArgRegisters registers;

    Transport(GuestCpu cpu, String name, ArgRegisters registers) {
        this.cpu = cpu;
        this.name = name;
        this.registers = registers;
    }

    GuestRegister reg(int arg) {
        return registers.require(arg);
    }

    Transport arg(int i, long v) {
        cpu.set(reg(i), v);
        return this;
    }

    long arg(int i) {
        return cpu.get(reg(i));
    }

    long arg32(int i) {
        return cpu.get32(reg(i));
    }

    /** Sets DX[15:0]-equivalent (port or flags) keeping DX[31:16]. */
    void lowWord(int value) {
        cpu.set(reg(3), (cpu.get(reg(3)) & ~0xFFFFL) | value);
    }

    abstract TrapOutcome.Handled lb();

    abstract TrapOutcome.Handled hbOut();

    abstract TrapOutcome.Handled hbIn();

    /** LB command {@code cmd} with EBX = {@code ebx}. */
    TrapOutcome.Handled call(long cmd, long ebx) {
        arg(0, Backdoor.MAGIC).arg(1, ebx).arg(2, cmd).arg(3, 0);
        return lb();
    }

    @Override
    public String toString() {
        return name;
    }

    static Transport port(GuestCpu cpu) {
        return new Transport(cpu, "port", ArgRegisters.X86) {
            TrapOutcome.Handled lb() {
                lowWord(Backdoor.LB_PORT);
                return cpu.in();
            }

            TrapOutcome.Handled hbOut() {
                lowWord(Backdoor.HB_PORT);
                return cpu.repOutsb();
            }

            TrapOutcome.Handled hbIn() {
                lowWord(Backdoor.HB_PORT);
                return cpu.repInsb();
            }
        };
    }

    static Transport hypercall(GuestCpu cpu, boolean amd) {
        return new Transport(cpu, amd ? "vmmcall" : "vmcall", ArgRegisters.X86) {
            TrapOutcome.Handled lb() {
                lowWord(0);
                return amd ? cpu.vmmcall() : cpu.vmcall();
            }

            TrapOutcome.Handled hbOut() {
                lowWord(3);
                return amd ? cpu.vmmcall() : cpu.vmcall();
            }

            TrapOutcome.Handled hbIn() {
                lowWord(1);
                return amd ? cpu.vmmcall() : cpu.vmcall();
            }
        };
    }

    static Transport tdcall(GuestCpu cpu) {
        return new Transport(cpu, "tdcall", ArgRegisters.TDX) {
            TrapOutcome.Handled lb() {
                lowWord(0);
                cpu.set(X86Register.RAX, 0).set(X86Register.R10, Backdoor.TDX_VENDOR_LEAF).set(X86Register.R11, 1)
                        .set(X86Register.RCX, 0xFFCC)
                        .set(X86Register.R15, 0);
                return cpu.tdcall();
            }

            TrapOutcome.Handled hbOut() {
                throw new UnsupportedOperationException("no HB over TDX");
            }

            TrapOutcome.Handled hbIn() {
                throw new UnsupportedOperationException("no HB over TDX");
            }
        };
    }

    static Transport arm64(GuestCpu cpu, String form) {
        Function<GuestCpu, TrapOutcome.Handled> trap = switch (form) {
            case "mrs" -> GuestCpu::mrs;
            case "hvc" -> GuestCpu::hvc;
            default -> GuestCpu::brk;
        };
        return new Transport(cpu, form, ArgRegisters.ARM64) {
            TrapOutcome.Handled lb() {
                lowWord(Backdoor.LB_PORT);
                cpu.set(Arm64Register.X7, 0x86L << 32 | 0x0E);
                return trap.apply(cpu);
            }

            TrapOutcome.Handled hbOut() {
                lowWord(Backdoor.HB_PORT);
                cpu.set(Arm64Register.X7, 0x86L << 32 | 0x18);
                return trap.apply(cpu);
            }

            TrapOutcome.Handled hbIn() {
                lowWord(Backdoor.HB_PORT);
                cpu.set(Arm64Register.X7, 0x86L << 32 | 0x1C);
                return trap.apply(cpu);
            }
        };
    }

    /** Every LB-capable transport on a fresh CPU of {@code session}. */
    static java.util.List<Transport> allLb(java.util.function.Supplier<VmwareSession> session) {
        return java.util.List.of(port(GuestCpu.x86(session.get())), hypercall(GuestCpu.x86(session.get()), false),
                hypercall(GuestCpu.x86(session.get()), true), tdcall(GuestCpu.x86(session.get())),
                arm64(GuestCpu.arm64(session.get()), "mrs"), arm64(GuestCpu.arm64(session.get()), "hvc"),
                arm64(GuestCpu.arm64(session.get()), "brk"));
    }
}
