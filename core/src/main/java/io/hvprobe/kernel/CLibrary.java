package io.hvprobe.kernel;

import io.hvprobe.arch.Arch;
import io.hvprobe.arch.Arm64Register;
import io.hvprobe.arch.GuestRegister;
import io.hvprobe.arch.RegisterSnapshot;
import io.hvprobe.arch.X86Register;
import io.hvprobe.guest.GuestMachine;
import io.hvprobe.guest.StubFrame;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.function.LongUnaryOperator;

/**
 * The C-library behaviours that act on the program rather than on one buffer: start-up and exit, setjmp/longjmp,
 * signal sets, number parsing, the environment and the character-class table. Installed with the rest of the
 * table by {@link KernelEnvironment}; {@code allocate} is its bounded heap.
 */
final class CLibrary {
    /** glibc's {@code struct sigaction} on x86_64 and aarch64: handler, 128-byte mask, flags, restorer. */
    private static final int SIGACTION_SIZE = 152;
    /** glibc's {@code sigset_t}: 1024 bits. */
    private static final int SIGSET_SIZE = 128;
    /** Offset of {@code sa_flags} in {@code struct sigaction}: after the handler and the mask. */
    private static final int SIGACTION_FLAGS = 8 + SIGSET_SIZE;
    private static final int SIGKILL = 9;
    private static final int SIGSTOP = 19;
    private static final int ERANGE = 34;
    /** glibc's {@code __ctype_b} table: indexable from -128 to 255. */
    private static final int CTYPE_ENTRIES = 384;

    private static final List<GuestRegister> X86_JMP = List.of(X86Register.RBX, X86Register.RBP, X86Register.R12,
            X86Register.R13, X86Register.R14, X86Register.R15);
    private static final List<GuestRegister> ARM64_JMP = List.of(Arm64Register.X19, Arm64Register.X20,
            Arm64Register.X21, Arm64Register.X22, Arm64Register.X23, Arm64Register.X24, Arm64Register.X25,
            Arm64Register.X26, Arm64Register.X27, Arm64Register.X28, Arm64Register.X29);

    private final GuestMachine machine;
    private final GuestMemory memory;
    private final LongUnaryOperator allocate;
    private final Map<String, String> environment;
    private final SignalDelivery signals;
    /** Exit handlers ({@code atexit}), the last registered first: function and argument. */
    private final java.util.Deque<long[]> exitHandlers = new java.util.ArrayDeque<>();
    /** The objects' destructors, run after the exit handlers in this order. */
    private List<Long> destructors = List.of();
    /** How many destructors this call's {@code exit} has started. */
    private int destructorsStarted;
    /** The status {@code exit} was called with, while its handlers run; null before. */
    private Long exitStatus;
    /** Whether {@code __libc_start_main} has entered main (so a return to it is main's). */
    private boolean mainEntered;
    /** The current call's character-class table pointer cell, 0 until the guest asks for it. */
    private long ctypeCell;

    CLibrary(GuestMachine machine, GuestMemory memory, LongUnaryOperator allocate, List<String> environment) {
        this.machine = machine;
        this.memory = memory;
        this.allocate = allocate;
        this.environment = new HashMap<>();
        this.signals = new SignalDelivery(machine, memory);
        for (String kv : environment) {
            int eq = kv.indexOf('=');
            this.environment.putIfAbsent(kv.substring(0, eq), kv.substring(eq + 1));
        }
    }

    void startCall() {
        ctypeCell = 0;
        signals.reset();
        exitHandlers.clear();
        exitStatus = null;
        destructorsStarted = 0;
        mainEntered = false;
    }

    void runAtExit(List<Long> functions) {
        destructors = List.copyOf(functions);
    }

    /**
     * {@code __libc_start_main}: on into {@code main(argc, argv, envp)}, which returns to this stub again: then
     * main's value goes to {@code exit} (as glibc's start-up does).
     */
    long startMain(StubEntry e, StubFrame f) {
        long stub = machine.image().address(e.symbol()).orElseThrow();
        if (exitStatus != null) {
            continueExit(stub); // an exit handler returned here
        } else if (mainEntered) {
            exit(machine.registers().get(machine.arch().returnRegister()) & 0xFFFF_FFFFL, stub);
        } else {
            mainEntered = true;
            long argc = arg(e, f, "argc");
            long argv = arg(e, f, "argv");
            callReturningTo(arg(e, f, "main"), stub, argc, argv, argv + 8 * ((argc & 0xFFFF_FFFFL) + 1));
        }
        return 0;
    }

    /** {@code exit(status)}: the exit handlers first; {@code _exit}/{@code abort()} (level immediate): none. */
    long exit(StubEntry e, StubFrame f) {
        long status = e.role("status").isPresent() ? (int) arg(e, f, "status") : e.value();
        if (e.level().equals("immediate")) {
            machine.finish(status);
        } else if (exitStatus != null) {
            continueExit(machine.image().address(e.symbol()).orElseThrow()); // a handler returned here
        } else {
            exit(status, machine.image().address(e.symbol()).orElseThrow());
        }
        return 0;
    }

    /** {@code atexit(function)}, {@code __cxa_atexit(function, argument, dso)}: runs at exit. */
    long atexit(StubEntry e, StubFrame f) {
        long argument = e.role("argument").isPresent() ? arg(e, f, "argument") : 0;
        exitHandlers.push(new long[] {arg(e, f, "function"), argument});
        return 0;
    }

    private void exit(long status, long stub) {
        exitStatus = (long) (int) status;
        continueExit(stub);
    }

    /**
     * The next exit handler (last registered first), then the next destructor, returning to {@code stub}; after the
     * last, the end (glibc's exit runs the atexit list, then _dl_fini).
     */
    private void continueExit(long stub) {
        long[] handler = exitHandlers.poll();
        if (handler != null) {
            callReturningTo(handler[0], stub, handler[1]);
        } else if (destructorsStarted < destructors.size()) {
            callReturningTo(destructors.get(destructorsStarted++), stub);
        } else {
            machine.finish(exitStatus);
        }
    }

    /** The guest calls {@code function} on a fresh frame below the stack; its return goes to {@code returnTo}. */
    private void callReturningTo(long function, long returnTo, long... arguments) {
        boolean x86 = machine.arch() == Arch.X86_64;
        long sp = machine.registers().get(machine.arch().stackPointer());
        long frame = (sp - 0x100) & -16L;
        Map<GuestRegister, Long> regs = new HashMap<>();
        for (int i = 0; i < arguments.length; i++) {
            regs.put(machine.arch().argumentRegisters().get(i), arguments[i]);
        }
        if (x86) {
            frame -= 8; // as after a call: RSP % 16 == 8, the return address at [RSP]
            memory.write(frame, le64(returnTo));
        } else {
            regs.put(Arm64Register.X30, returnTo);
        }
        regs.put(machine.arch().stackPointer(), frame);
        machine.continueAt(function, regs);
    }

    long setjmp(StubEntry e, StubFrame f) {
        return setjmp(arg(e, f, "env"));
    }

    long longjmp(StubEntry e, StubFrame f) {
        longjmp(arg(e, f, "env"), (int) arg(e, f, "result"));
        return 0;
    }

    long getenv(StubEntry e, StubFrame f) {
        String name = new String(memory.cString(arg(e, f, "name"), GuestMemory.MAX_STRING), StandardCharsets.UTF_8);
        String value = environment.get(name);
        return value == null ? 0 : copy(terminated(value.getBytes(StandardCharsets.UTF_8)));
    }

    /**
     * {@code sigaction(signal, action, old)}, or {@code signal(signal, handler)} (level {@code handler}): installs
     * the action for delivery ({@link SignalDelivery}); {@code *old} gets the one replaced, {@code signal} returns
     * its handler.
     */
    long sigaction(StubEntry e, StubFrame f) {
        int signal = (int) arg(e, f, "signal");
        long act = e.role("action").isPresent() ? arg(e, f, "action") : 0;
        boolean plain = e.level().equals("handler");
        if (signal < 1 || signal > SIGSET_SIZE * 8 || signal == SIGKILL || signal == SIGSTOP) {
            setErrno(22); // EINVAL
            return -1; // SIG_ERR from signal(), -1 from sigaction()
        }
        SignalDelivery.Action old;
        if (plain) {
            old = signals.install(signal, new SignalDelivery.Action(act, 0));
            return old.handler();
        }
        old = act == 0 ? signals.current(signal) : signals.install(signal, new SignalDelivery.Action(
                memory.readLong(act), memory.readLong(act + SIGACTION_FLAGS) & 0xFFFF_FFFFL));
        long oldAt = e.role("old").isPresent() ? arg(e, f, "old") : 0;
        if (oldAt != 0) {
            ByteBuffer b = ByteBuffer.allocate(SIGACTION_SIZE).order(ByteOrder.LITTLE_ENDIAN);
            b.putLong(0, old.handler()).putInt(SIGACTION_FLAGS, (int) old.flags()); // empty mask
            memory.write(oldAt, b.array());
        }
        return 0;
    }

    long strchr(StubEntry e, StubFrame f) {
        long s = arg(e, f, "string");
        byte[] text = terminated(memory.cString(s, GuestMemory.MAX_STRING));
        byte c = (byte) arg(e, f, "fill");
        int at = -1;
        for (int i = 0; i < text.length; i++) {
            if (text[i] == c) {
                at = i;
                if (!e.level().equals("last")) {
                    break;
                }
            }
        }
        return at < 0 ? 0 : s + at;
    }

    long memchr(StubEntry e, StubFrame f) {
        long s = arg(e, f, "source");
        byte[] bytes = memory.read(s, arg(e, f, "size"));
        byte c = (byte) arg(e, f, "fill");
        for (int i = 0; i < bytes.length; i++) {
            if (bytes[i] == c) {
                return s + i;
            }
        }
        return 0;
    }

    long strstr(StubEntry e, StubFrame f) {
        long s = arg(e, f, "first");
        String hay = new String(memory.cString(s, GuestMemory.MAX_STRING), StandardCharsets.ISO_8859_1);
        String needle = new String(memory.cString(arg(e, f, "second"), GuestMemory.MAX_STRING),
                StandardCharsets.ISO_8859_1);
        int at = hay.indexOf(needle);
        return at < 0 ? 0 : s + at;
    }

    long strcpy(StubEntry e, StubFrame f) {
        long dest = arg(e, f, "dest");
        long limit = e.role("limit").isPresent() ? arg(e, f, "limit") : GuestMemory.MAX_STRING;
        byte[] source = memory.cString(arg(e, f, "source"), limit);
        long at = e.level().equals("append") ? dest + memory.cString(dest, GuestMemory.MAX_STRING).length : dest;
        memory.write(at, terminated(source));
        return dest;
    }

    private long setjmp(long env) {
        RegisterSnapshot r = machine.registers();
        ByteBuffer b = ByteBuffer.allocate(8 * 13).order(ByteOrder.LITTLE_ENDIAN);
        if (machine.arch() == Arch.X86_64) {
            long sp = r.get(X86Register.RSP);
            X86_JMP.forEach(g -> b.putLong(r.get(g)));
            b.putLong(sp + 8).putLong(memory.readLong(sp)); // the stack and the place after setjmp's return
        } else {
            ARM64_JMP.forEach(g -> b.putLong(r.get(g)));
            b.putLong(r.get(Arm64Register.SP)).putLong(r.get(Arm64Register.X30));
        }
        memory.write(env, Arrays.copyOf(b.array(), b.position()));
        return 0;
    }

    private void longjmp(long env, int value) {
        boolean x86 = machine.arch() == Arch.X86_64;
        List<GuestRegister> saved = x86 ? X86_JMP : ARM64_JMP;
        ByteBuffer b = ByteBuffer.wrap(memory.read(env, 8L * (saved.size() + 2))).order(ByteOrder.LITTLE_ENDIAN);
        Map<GuestRegister, Long> regs = new HashMap<>();
        saved.forEach(g -> regs.put(g, b.getLong()));
        regs.put(machine.arch().stackPointer(), b.getLong());
        long pc = b.getLong();
        if (!x86) {
            regs.put(Arm64Register.X30, pc);
        }
        regs.put(machine.arch().returnRegister(), (long) (value == 0 ? 1 : value));
        signals.jumpedOut();
        machine.continueAt(pc, regs);
    }

    long strtol(StubEntry e, StubFrame f) {
        long s = arg(e, f, "string");
        byte[] text = memory.cString(s, GuestMemory.MAX_STRING);
        int base = e.role("base").isPresent() ? (int) arg(e, f, "base") : 10;
        boolean unsigned = e.level().equals("unsigned");
        int i = 0;
        while (i < text.length && (text[i] == ' ' || (text[i] >= '\t' && text[i] <= '\r'))) {
            i++;
        }
        boolean negative = false;
        if (i < text.length && (text[i] == '+' || text[i] == '-')) {
            negative = text[i] == '-';
            i++;
        }
        boolean hexPrefix = i + 1 < text.length && text[i] == '0' && (text[i + 1] | 0x20) == 'x'
                && i + 2 < text.length && digit(text[i + 2]) < 16;
        if ((base == 0 || base == 16) && hexPrefix) {
            base = 16;
            i += 2;
        } else if (base == 0) {
            base = i < text.length && text[i] == '0' ? 8 : 10;
        }
        java.math.BigInteger value = java.math.BigInteger.ZERO;
        int start = i;
        if (base >= 2 && base <= 36) {
            while (i < text.length && digit(text[i]) < base) {
                value = value.multiply(java.math.BigInteger.valueOf(base)).add(java.math.BigInteger.valueOf(digit(text[i])));
                i++;
            }
        }
        long end = i == start ? s : s + i;
        if (e.role("end").isPresent() && arg(e, f, "end") != 0) {
            memory.write(arg(e, f, "end"), le64(end));
        }
        java.math.BigInteger max = unsigned ? java.math.BigInteger.ONE.shiftLeft(64).subtract(java.math.BigInteger.ONE)
                : java.math.BigInteger.valueOf(negative ? Long.MIN_VALUE : Long.MAX_VALUE).abs();
        if (value.compareTo(max) > 0) {
            setErrno(ERANGE);
            return unsigned ? -1 : negative ? Long.MIN_VALUE : Long.MAX_VALUE;
        }
        long v = value.longValue();
        return negative ? -v : v;
    }

    private static int digit(byte c) {
        if (c >= '0' && c <= '9') {
            return c - '0';
        }
        int lower = c | 0x20;
        return lower >= 'a' && lower <= 'z' ? lower - 'a' + 10 : 99;
    }

    long sigset(StubEntry e, StubFrame f) {
        long set = arg(e, f, "set");
        switch (e.level()) {
            case "empty" -> memory.write(set, new byte[SIGSET_SIZE]);
            case "fill" -> {
                byte[] all = new byte[SIGSET_SIZE];
                Arrays.fill(all, (byte) 0xFF);
                memory.write(set, all);
            }
            case "add", "del" -> {
                long signal = arg(e, f, "signal");
                if (signal < 1 || signal > SIGSET_SIZE * 8) {
                    setErrno(22); // EINVAL
                    return -1;
                }
                long bit = signal - 1;
                long at = set + bit / 8;
                byte old = memory.read(at, 1)[0];
                int mask = 1 << (bit % 8);
                memory.write(at, new byte[] {(byte) (e.level().equals("add") ? old | mask : old & ~mask)});
            }
            default -> throw new IllegalStateException(e.symbol() + ": sigset level must be empty, fill, add or del");
        }
        return 0;
    }

    /** The C locale's class table, built on first use in the call's heap; returns the cell pointing into it. */
    long ctype() {
        if (ctypeCell != 0) {
            return ctypeCell;
        }
        ByteBuffer t = ByteBuffer.allocate(8 + 2 * CTYPE_ENTRIES).order(ByteOrder.LITTLE_ENDIAN);
        t.position(8);
        for (int c = -128; c < 256; c++) {
            t.putShort((short) classes(c));
        }
        long block = copy(t.array());
        if (block == 0) {
            return 0;
        }
        memory.write(block, le64(block + 8 + 2 * 128)); // the pointer indexes from -128
        ctypeCell = block;
        return block;
    }

    /** glibc's class bits for {@code c} in the C locale (little-endian layout of {@code _ISbit}). */
    private static int classes(int c) {
        if (c < 0 || c > 127) {
            return 0;
        }
        boolean upper = c >= 'A' && c <= 'Z';
        boolean lower = c >= 'a' && c <= 'z';
        boolean digit = c >= '0' && c <= '9';
        boolean xdigit = digit || (c | 0x20) >= 'a' && (c | 0x20) <= 'f';
        boolean space = c == ' ' || (c >= '\t' && c <= '\r');
        boolean print = c >= 0x20 && c < 0x7F;
        boolean graph = print && c != ' ';
        boolean blank = c == ' ' || c == '\t';
        boolean cntrl = c < 0x20 || c == 0x7F;
        boolean alpha = upper || lower;
        boolean punct = graph && !alpha && !digit;
        return (upper ? 0x100 : 0) | (lower ? 0x200 : 0) | (alpha ? 0x400 : 0) | (digit ? 0x800 : 0)
                | (xdigit ? 0x1000 : 0) | (space ? 0x2000 : 0) | (print ? 0x4000 : 0) | (graph ? 0x8000 : 0)
                | (blank ? 0x1 : 0) | (cntrl ? 0x2 : 0) | (punct ? 0x4 : 0) | (alpha || digit ? 0x8 : 0);
    }

    private void setErrno(int value) {
        OptionalLong at = machine.image().address(KernelEnvironment.ERRNO_SYMBOL);
        if (at.isPresent()) {
            memory.write(at.getAsLong(), ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN).putInt(value).array());
        }
    }

    private long copy(byte[] bytes) {
        long at = allocate.applyAsLong(bytes.length);
        if (at != 0) {
            memory.write(at, bytes);
        }
        return at;
    }

    private static long arg(StubEntry e, StubFrame f, String role) {
        return f.argument(e.required(role));
    }

    private static byte[] terminated(byte[] s) {
        return Arrays.copyOf(s, s.length + 1);
    }

    private static byte[] le64(long v) {
        return ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putLong(v).array();
    }
}
