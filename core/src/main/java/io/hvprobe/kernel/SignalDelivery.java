package io.hvprobe.kernel;

import io.hvprobe.arch.Arch;
import io.hvprobe.arch.Arm64Register;
import io.hvprobe.arch.GuestRegister;
import io.hvprobe.arch.RegisterSnapshot;
import io.hvprobe.arch.X86Register;
import io.hvprobe.guest.GuestException;
import io.hvprobe.guest.GuestExceptionHandler;
import io.hvprobe.guest.GuestMachine;
import io.hvprobe.guest.KernelEvent;
import io.hvprobe.guest.MemoryLayout;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The signals Linux sends a program for its own faults — SIGILL for an instruction the CPU refuses (x86 {@code ud2}
 * or {@code #UD}, arm64 UNDEF), SIGTRAP for {@code int3}/{@code brk}, SIGSEGV for {@code #GP} — delivered to the
 * handler the program installed with {@code sigaction}/{@code signal}, as the kernel does: a signal frame below the
 * stack (x86_64 after the 128-byte red zone) holding the {@code siginfo_t} and the {@code ucontext_t} with the
 * faulting registers, the handler called with {@code (signal, &info, &context)} and returning into a trampoline
 * that restores the registers from the context ({@code rt_sigreturn}). A handler that leaves with
 * {@code siglongjmp} never returns; one that returns re-runs the faulting instruction, which faults again.
 *
 * <p>Without a handler (or with {@code SIG_DFL}/{@code SIG_IGN}, which the kernel overrides for a fault), the fault
 * ends the run as before. A fault of a signal whose handler is still running ends the run too (the kernel would
 * kill the process). Attached to the machine at the first installed handler, so every other exception handler
 * (the trap interceptor's) has its say first.
 */
final class SignalDelivery implements GuestExceptionHandler {
    static final int SIGILL = 4;
    static final int SIGTRAP = 5;
    static final int SIGSEGV = 11;
    /** {@code sa_flags}: one delivery, then the default action again. */
    static final long SA_RESETHAND = 0x8000_0000L;
    /** {@code sa_flags}: the signal is not blocked while its handler runs. */
    static final long SA_NODEFER = 0x4000_0000L;

    /** Where a handler returns to: an undefined instruction in the sentinel page that stands for rt_sigreturn. */
    static final long SIGRETURN = MemoryLayout.SENTINEL_PAGE + 0x100;

    /** glibc's {@code siginfo_t}. */
    private static final int SIGINFO_SIZE = 128;
    /** x86_64 {@code ucontext_t}: flags, link, stack (24), then {@code mcontext_t}'s 23 {@code gregs}. */
    private static final int X86_GREGS = 40;
    private static final List<X86Register> X86_GREG_ORDER = List.of(X86Register.R8, X86Register.R9,
            X86Register.R10, X86Register.R11, X86Register.R12, X86Register.R13, X86Register.R14, X86Register.R15,
            X86Register.RDI, X86Register.RSI, X86Register.RBP, X86Register.RBX, X86Register.RDX, X86Register.RAX,
            X86Register.RCX, X86Register.RSP, X86Register.RIP, X86Register.RFLAGS);
    /** x86_64 {@code ucontext_t} up to and including {@code uc_sigmask} and the FP save area. */
    private static final int X86_UCONTEXT_SIZE = 0x3C8;
    /** arm64 {@code ucontext_t}: flags, link, stack (24), sigmask (128), then the 16-aligned {@code mcontext_t}. */
    private static final int ARM64_MCONTEXT = 176;
    /** arm64 {@code mcontext_t}: fault_address, regs[31], sp, pc, pstate, then 4096 bytes of extension records. */
    private static final int ARM64_UCONTEXT_SIZE = ARM64_MCONTEXT + 288 + 4096;
    private static final int X86_RED_ZONE = 128;

    /** An installed action: the handler address ({@code 0} SIG_DFL, {@code 1} SIG_IGN) and {@code sa_flags}. */
    record Action(long handler, long flags) {
        static final Action DEFAULT = new Action(0, 0);
    }

    private final GuestMachine machine;
    private final GuestMemory memory;
    private final Map<Integer, Action> actions = new HashMap<>();
    /** Signals whose handler is running (blocked until it returns or jumps out). */
    private final Set<Integer> running = new HashSet<>();
    private boolean attached;

    SignalDelivery(GuestMachine machine, GuestMemory memory) {
        this.machine = machine;
        this.memory = memory;
    }

    /** A new call: a new process, with every signal at its default action. */
    void reset() {
        actions.clear();
        running.clear();
    }

    /** Installs {@code action} for {@code signal}; returns the one it replaces. */
    Action install(int signal, Action action) {
        if (action.handler() > 1 && !attached) {
            attached = true;
            machine.write(SIGRETURN, machine.arch() == Arch.X86_64 ? new byte[] {0x0F, 0x0B} : new byte[4]);
            machine.addExceptionHandler(this);
        }
        Action old = actions.put(signal, action);
        return old == null ? Action.DEFAULT : old;
    }

    /** The action installed for {@code signal}. */
    Action current(int signal) {
        return actions.getOrDefault(signal, Action.DEFAULT);
    }

    /** The program left its handlers with a non-local jump ({@code siglongjmp}): none is running any more. */
    void jumpedOut() {
        running.clear();
    }

    @Override
    public boolean handle(GuestMachine m, GuestException e) {
        long pc = faultPc(e);
        if (pc == SIGRETURN) {
            sigreturn();
            return true;
        }
        int signal = signalOf(e);
        Action action = actions.getOrDefault(signal, Action.DEFAULT);
        if (signal == 0 || action.handler() <= 1 || running.contains(signal)) {
            return false;
        }
        if ((action.flags() & SA_RESETHAND) != 0) {
            actions.put(signal, Action.DEFAULT);
        }
        if ((action.flags() & SA_NODEFER) == 0) {
            running.add(signal);
        }
        deliver(signal, action.handler(), pc);
        machine.record(new KernelEvent(KernelEvent.Kind.SIGNAL, machine.symbolize(pc), name(signal)
                + " delivered to the handler at " + machine.symbolize(action.handler())));
        return true;
    }

    /** The instruction that faulted (Unicorn reports arm64 SMC with the PC after it). */
    private long faultPc(GuestException e) {
        boolean smc = machine.arch() == Arch.ARM64 && e.kind() == GuestException.Kind.INTERRUPT && e.interrupt() == 13;
        return smc ? e.pc() - 4 : e.pc();
    }

    /** The signal Linux sends a user program for {@code e}, or 0 when it sends none this class delivers. */
    private int signalOf(GuestException e) {
        if (e.kind() == GuestException.Kind.INVALID_INSTRUCTION) {
            return SIGILL;
        }
        return switch (machine.arch()) {
            case X86_64 -> switch (e.interrupt()) {
                case 6 -> SIGILL;
                case 3 -> SIGTRAP;
                case 13 -> SIGSEGV;
                default -> 0;
            };
            // UNDEF, and HVC/SMC, which are undefined at EL0; BRK is a breakpoint.
            case ARM64 -> switch (e.interrupt()) {
                case 1, 3, 13 -> SIGILL;
                case 7 -> SIGTRAP;
                default -> 0;
            };
        };
    }

    private static String name(int signal) {
        return switch (signal) {
            case SIGILL -> "SIGILL";
            case SIGTRAP -> "SIGTRAP";
            case SIGSEGV -> "SIGSEGV";
            default -> "signal " + signal;
        };
    }

    private void deliver(int signal, long handler, long pc) {
        RegisterSnapshot r = machine.registers().with(machine.arch() == Arch.X86_64 ? X86Register.RIP
                : Arm64Register.PC, pc);
        ByteBuffer info = buffer(SIGINFO_SIZE);
        info.putInt(0, signal).putInt(8, signal == SIGTRAP ? 1 : 2); // si_code TRAP_BRKPT / ILL_ILLOPN
        info.putLong(16, pc); // si_addr
        Map<GuestRegister, Long> regs = new HashMap<>();
        if (machine.arch() == Arch.X86_64) {
            long sp = r.get(X86Register.RSP) - X86_RED_ZONE;
            long infoAt = (sp - SIGINFO_SIZE) & -16L;
            long contextAt = (infoAt - X86_UCONTEXT_SIZE) & -16L;
            long frame = contextAt - 8; // the return address, as after a call
            ByteBuffer context = buffer(X86_UCONTEXT_SIZE);
            for (int i = 0; i < X86_GREG_ORDER.size(); i++) {
                context.putLong(X86_GREGS + 8 * i, r.get(X86_GREG_ORDER.get(i)));
            }
            context.putLong(X86_GREGS + 8 * 20, signal == SIGSEGV ? 13 : signal == SIGTRAP ? 3 : 6); // trapno
            memory.write(infoAt, info.array());
            memory.write(contextAt, context.array());
            memory.write(frame, le64(SIGRETURN));
            regs.put(X86Register.RSP, frame);
            regs.put(X86Register.RDI, (long) signal);
            regs.put(X86Register.RSI, infoAt);
            regs.put(X86Register.RDX, contextAt);
            regs.put(X86Register.RAX, 0L);
        } else {
            long sp = r.get(Arm64Register.SP);
            long contextAt = (sp - ARM64_UCONTEXT_SIZE) & -16L;
            long infoAt = (contextAt - SIGINFO_SIZE) & -16L;
            long record = infoAt - 16; // the frame record {x29, x30} the kernel links for unwinders
            ByteBuffer context = buffer(ARM64_UCONTEXT_SIZE);
            context.putLong(ARM64_MCONTEXT, pc); // fault_address
            for (int i = 0; i <= 30; i++) {
                context.putLong(ARM64_MCONTEXT + 8 + 8 * i, r.get(Arm64Register.values()[i]));
            }
            context.putLong(ARM64_MCONTEXT + 256, sp).putLong(ARM64_MCONTEXT + 264, pc)
                    .putLong(ARM64_MCONTEXT + 272, r.get(Arm64Register.NZCV));
            memory.write(contextAt, context.array());
            memory.write(infoAt, info.array());
            memory.write(record, ByteBuffer.allocate(16).order(ByteOrder.LITTLE_ENDIAN)
                    .putLong(r.get(Arm64Register.X29)).putLong(pc).array());
            regs.put(Arm64Register.SP, record);
            regs.put(Arm64Register.X29, record);
            regs.put(Arm64Register.X0, (long) signal);
            regs.put(Arm64Register.X1, infoAt);
            regs.put(Arm64Register.X2, contextAt);
            regs.put(Arm64Register.X30, SIGRETURN);
        }
        machine.continueAt(handler, regs);
    }

    /** rt_sigreturn: the registers (and PC) the signal context holds now; the handler's signal unblocked. */
    private void sigreturn() {
        Map<GuestRegister, Long> regs = new HashMap<>();
        long pc;
        RegisterSnapshot now = machine.registers();
        if (machine.arch() == Arch.X86_64) {
            long contextAt = now.get(X86Register.RSP); // the handler's ret popped the return address
            ByteBuffer c = ByteBuffer.wrap(memory.read(contextAt, X86_GREGS + 8L * X86_GREG_ORDER.size()))
                    .order(ByteOrder.LITTLE_ENDIAN);
            for (int i = 0; i < X86_GREG_ORDER.size(); i++) {
                regs.put(X86_GREG_ORDER.get(i), c.getLong(X86_GREGS + 8 * i));
            }
            pc = regs.remove(X86Register.RIP);
        } else {
            long contextAt = now.get(Arm64Register.SP) + 16 + SIGINFO_SIZE;
            contextAt = (contextAt + 15) & -16L;
            ByteBuffer c = ByteBuffer.wrap(memory.read(contextAt, ARM64_MCONTEXT + 280L))
                    .order(ByteOrder.LITTLE_ENDIAN);
            for (int i = 0; i <= 30; i++) {
                regs.put(Arm64Register.values()[i], c.getLong(ARM64_MCONTEXT + 8 + 8 * i));
            }
            regs.put(Arm64Register.SP, c.getLong(ARM64_MCONTEXT + 256));
            regs.put(Arm64Register.NZCV, c.getLong(ARM64_MCONTEXT + 272));
            pc = c.getLong(ARM64_MCONTEXT + 264);
        }
        running.clear();
        machine.continueAt(pc, regs);
    }

    private static ByteBuffer buffer(int size) {
        return ByteBuffer.allocate(size).order(ByteOrder.LITTLE_ENDIAN);
    }

    private static byte[] le64(long v) {
        return buffer(8).putLong(v).array();
    }
}
