package io.hvprobe.verify;

import io.hvprobe.arch.Arch;
import io.hvprobe.arch.Arm64Register;
import io.hvprobe.spi.CommandDescriptor;
import io.hvprobe.spi.Dependency;
import io.hvprobe.spi.Finding;
import io.hvprobe.spi.Severity;
import io.hvprobe.spi.GuestMemoryView;
import io.hvprobe.spi.Hypervisor;
import io.hvprobe.spi.HypervisorOptions;
import io.hvprobe.spi.HypervisorSession;
import io.hvprobe.spi.RegisterContract;
import io.hvprobe.spi.RegisterWrite;
import io.hvprobe.spi.TrapDetail;
import io.hvprobe.spi.TrapEvent;
import io.hvprobe.spi.TrapOutcome;

import java.util.List;
import java.util.Optional;

import static io.hvprobe.arch.X86Register.RAX;
import static io.hvprobe.arch.X86Register.RBX;
import static io.hvprobe.arch.X86Register.RCX;
import static io.hvprobe.arch.X86Register.RDI;
import static io.hvprobe.arch.X86Register.RDX;
import static io.hvprobe.arch.X86Register.RFLAGS;
import static io.hvprobe.arch.X86Register.RSI;

/**
 * A tiny hypervisor for verifier tests: {@code in eax, dx} on port 0x5658 with the command in ECX.
 * Command 1 writes EAX = 0x11 and may change RSI and the flags; command 2 writes EAX = 0x22 and EDI = 0x33;
 * command 3 writes the byte 0x31 to the buffer RDI points at. Command 7 reports {@code test.value} about the value
 * in EBX (a finding that rests on input values), command 8 {@code test.state} (one that rests on protocol state
 * from before the session); both answer like command 1. Command 9 answers EAX = how many command-9 calls the session
 * answered before (session state that changes at every call, captured) and may change RSI. On arm64 {@code hvc #0}
 * with the magic in W0 and the command in X1: command 1 writes W0 = 0x11 and may change X2 and NZCV, command 9 writes
 * W0 = the count as on x86 and may change X2.
 */
public final class TestHypervisor implements Hypervisor {
    static final long MAGIC = 0x564D5868L;

    static final RegisterContract CMD1 = RegisterContract.builder("CMD1", Arch.X86_64)
            .written(RAX, 0xFFFF_FFFFL, 32, "magic / result")
            .input(RCX, 0xFFFF_FFFFL, "command")
            .input(RDX, 0xFFFFL, "port")
            .mayChange(RSI, 0, "scratch")
            .mayChange(RFLAGS, 0, "flags")
            .build();

    static final RegisterContract CMD2 = RegisterContract.builder("CMD2", Arch.X86_64)
            .written(RAX, 0xFFFF_FFFFL, 32, "magic / result")
            .input(RCX, 0xFFFF_FFFFL, "command")
            .input(RDX, 0xFFFFL, "port")
            .written(RDI, 0, 32, "out5")
            .build();

    static final RegisterContract CMD3 = RegisterContract.builder("CMD3", Arch.X86_64)
            .written(RAX, 0xFFFF_FFFFL, 32, "magic / status")
            .input(RCX, 0xFFFF_FFFFL, "command")
            .input(RDX, 0xFFFFL, "port")
            .input(RDI, -1L, "buffer")
            .build();

    static final RegisterContract CMD9 = RegisterContract.builder("CMD9", Arch.X86_64)
            .written(RAX, 0xFFFF_FFFFL, 32, "magic / count")
            .input(RCX, 0xFFFF_FFFFL, "command")
            .input(RDX, 0xFFFFL, "port")
            .mayChange(RSI, 0, "scratch")
            .build();

    static final RegisterContract ARM_CMD1 = RegisterContract.builder("CMD1", Arch.ARM64)
            .written(Arm64Register.X0, 0xFFFF_FFFFL, 32, "magic / result")
            .input(Arm64Register.X1, -1L, "command")
            .mayChange(Arm64Register.X2, 0, "scratch")
            .mayChange(Arm64Register.NZCV, 0, "flags")
            .build();

    static final RegisterContract ARM_CMD9 = RegisterContract.builder("CMD9", Arch.ARM64)
            .written(Arm64Register.X0, 0xFFFF_FFFFL, 32, "magic / count")
            .input(Arm64Register.X1, -1L, "command")
            .mayChange(Arm64Register.X2, 0, "scratch")
            .build();

    /** A session's state: how many command-9 calls it answered. */
    private record Count(long calls) implements io.hvprobe.spi.SessionState {
    }

    @Override
    public String name() {
        return "test-hv";
    }

    @Override
    public String description() {
        return "verifier test model";
    }

    @Override
    public List<String> profiles() {
        return List.of("test");
    }

    @Override
    public HypervisorSession openSession(HypervisorOptions options) {
        return new HypervisorSession() {
            private long calls;

            @Override
            public String profile() {
                return "test";
            }

            /** Every answer but command 9's follows from the trap's registers alone. */
            @Override
            public io.hvprobe.spi.SessionState capture() {
                return new Count(calls);
            }

            @Override
            public void restore(io.hvprobe.spi.SessionState state) {
                calls = ((Count) state).calls();
            }

            @Override
            public TrapOutcome handle(TrapEvent event, GuestMemoryView memory) {
                if (event.arch() == Arch.ARM64) {
                    return arm64(event);
                }
                if (!(event.detail() instanceof TrapDetail.Io io) || io.port() != 0x5658
                        || event.registers().get32(RAX) != MAGIC) {
                    return TrapOutcome.NOT_MINE;
                }
                long cmd = event.registers().get32(RCX);
                if (cmd == 1) {
                    return new TrapOutcome.Handled("CMD1", List.of(RegisterWrite.w32(RAX, 0x11)), List.of(), List.of(),
                            Optional.of(CMD1), "");
                }
                if (cmd == 2) {
                    return new TrapOutcome.Handled("CMD2",
                            List.of(RegisterWrite.w32(RAX, 0x22), RegisterWrite.w32(RDI, 0x33)), List.of(), List.of(),
                            Optional.of(CMD2), "");
                }
                if (cmd == 3) {
                    long buffer = event.registers().get(RDI);
                    return new TrapOutcome.Handled("CMD3", List.of(RegisterWrite.w32(RAX, 0)),
                            List.of(new io.hvprobe.spi.MemoryWrite(buffer, new byte[] {0x31})), List.of(),
                            Optional.of(CMD3), "");
                }
                if (cmd == 9) {
                    return new TrapOutcome.Handled("CMD9", List.of(RegisterWrite.w32(RAX, calls++)), List.of(),
                            List.of(), Optional.of(CMD9), "");
                }
                if (cmd == 7 || cmd == 8) {
                    Finding f = cmd == 7
                            ? new Finding("test.value", Severity.ERROR, "EBX holds " + event.registers().get32(RBX),
                                    java.util.Map.of("register", "rbx")).dependingOn(Dependency.INPUT_VALUES)
                            : Finding.of("test.state", Severity.ERROR, "no OPEN in this session")
                                    .dependingOn(Dependency.PROTOCOL_STATE);
                    return new TrapOutcome.Handled("CMD" + cmd, List.of(RegisterWrite.w32(RAX, 0x11)), List.of(),
                            List.of(f), Optional.of(CMD1), "");
                }
                return TrapOutcome.NOT_MINE;
            }

            private TrapOutcome arm64(TrapEvent event) {
                if (event.form() != io.hvprobe.spi.TrapForm.HVC
                        || event.registers().get32(Arm64Register.X0) != MAGIC) {
                    return TrapOutcome.NOT_MINE;
                }
                long cmd = event.registers().get(Arm64Register.X1);
                if (cmd == 1) {
                    return new TrapOutcome.Handled("CMD1", List.of(RegisterWrite.w32(Arm64Register.X0, 0x11)),
                            List.of(), List.of(), Optional.of(ARM_CMD1), "");
                }
                if (cmd == 9) {
                    return new TrapOutcome.Handled("CMD9", List.of(RegisterWrite.w32(Arm64Register.X0, calls++)),
                            List.of(), List.of(), Optional.of(ARM_CMD9), "");
                }
                return TrapOutcome.NOT_MINE;
            }
        };
    }

    @Override
    public List<CommandDescriptor> catalog(HypervisorOptions options) {
        return List.of(new CommandDescriptor(1, "CMD1", "test", List.of(CMD1)),
                new CommandDescriptor(2, "CMD2", "test", List.of(CMD2)));
    }
}
