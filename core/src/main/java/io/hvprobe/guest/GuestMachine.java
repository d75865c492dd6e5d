package io.hvprobe.guest;

import io.hvprobe.arch.Arch;
import io.hvprobe.arch.Arm64Register;
import io.hvprobe.arch.GuestRegister;
import io.hvprobe.arch.RegisterSnapshot;
import io.hvprobe.arch.X86Register;
import io.hvprobe.disasm.Disassembler;
import io.hvprobe.loader.GuestImage;
import io.hvprobe.loader.GuestSymbol;
import io.hvprobe.loader.Permissions;
import io.hvprobe.loader.Segment;
import io.hvprobe.loader.Stub;
import io.hvprobe.loader.StubKind;
import io.hvprobe.unicorn.GuestRegisterIds;
import io.hvprobe.unicorn.StopReason;
import io.hvprobe.unicorn.UcArm64Reg;
import io.hvprobe.unicorn.UcMemType;
import io.hvprobe.unicorn.UcProt;
import io.hvprobe.unicorn.UcX86Reg;
import io.hvprobe.unicorn.Unicorn;
import io.hvprobe.unicorn.UnicornException;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * A loaded {@link GuestImage} inside an emulator, ready to call its functions.
 *
 * <p>Memory map ({@link MemoryLayout}): the image's segments where the loader placed them, a return
 * sentinel page, a per-CPU area (x86_64 GS base with the stack-protector canary at {@code %gs:40};
 * arm64 {@code TPIDR_EL1}, and {@code SP_EL0} pointing at a page filled with the canary, so
 * {@code sp_el0}-relative canaries work at any offset), a scratch heap for pointer arguments and a
 * stack with an unmapped guard page below it. arm64 code runs at EL1 (Unicorn's reset state) with
 * FP/SIMD enabled in {@code CPACR_EL1}.
 *
 * <p>Calls of undefined external functions land on loader stubs: the machine records each call with
 * its argument registers and returns the stub's value. {@code __stack_chk_fail} ends the call with a
 * {@link Fault.Kind#STACK_PROTECTOR} fault.
 *
 * <p>Not thread-safe: one machine per thread.
 */
public final class GuestMachine implements AutoCloseable {
    private static final long CALLEE_PATTERN = 0x5EED_0000_0000_0000L;
    private static final int MAX_RESUMES = 1_000_000;

    private final GuestImage image;
    private final MachineOptions options;
    private final Unicorn uc;
    private final EngineInstrumentation instrumentation;
    private final WallClockGuard guard;
    private final Disassembler disassembler;
    private final List<GuestExceptionHandler> exceptionHandlers = new ArrayList<>();
    private final List<Long> lenientPages = new ArrayList<>();
    private final List<StubCall> stubCalls = new ArrayList<>();
    /** The function stubs with their return overrides, handlers and last calls. */
    private final StubSlots stubSlots;
    /** Stub callers by return address ({@link #callerOf}); symbolizing one per call was a tenth of a driver loop. */
    private final Map<Long, String> callers = new HashMap<>();
    private static final int MAX_CALLERS = 1 << 16;
    private final List<Runnable> callStartListeners = new ArrayList<>();
    private final List<KernelEvent> events = new ArrayList<>();
    private long droppedEvents;
    private Fault pendingFault;
    /** The value the current call ends with when a stub handler {@link #finish}ed it (a program's exit). */
    private Long finishedWith;
    /** Set when the current stub's handler moved the guest elsewhere ({@link #continueAt}): keep its registers. */
    private boolean redirected;
    /** The registers {@link #onStub} reads: the arguments, then RSP (x86) or X30 and SP (arm64). */
    private final int[] stubRegisterIds;
    private final long[] stubRegisterValues;
    /** Per translation-block start: its size in bytes and its instruction count. */
    private final BlockCounts blockCounts = new BlockCounts();
    private long executed;
    /** Bytes of guest memory {@link #snapshot} and {@link #restore} read at a time (a multiple of the page size). */
    private static final int CHUNK = 256 * 1024;
    /** Reused by {@link #snapshot} and {@link #restore} for the current contents of a chunk. */
    private byte[] restoreScratch = new byte[0];

    /**
     * The snapshot the machine was last put into ({@link #restore}) while every write since is known: those of the
     * machine, the hooks and the host ({@link #hostWrite}) and, while a caller notes them ({@link #noteGuestWrites}),
     * the guest's, all in {@link #writtenSinceRestore}; null when a call ran without the guest's writes noted.
     */
    private MachineSnapshot restoredTo;
    private WrittenPages writtenSinceRestore = new WrittenPages();
    private boolean guestWritesNoted;

    /** Actions from outside the guest (stub calls, handled exceptions, events, lenient pages, direct writes). */
    private long effects;
    /** {@link #write}s that reached an executable segment (see {@link #codeWrites()}). */
    private long codeWrites;
    private final LoopWatch loopWatch;
    /** Who takes the next call's resume points ({@link #seekResumePoints}); null when none is asked for. */
    private ResumeSeeker nextSeeker;
    private WrittenPages nextSeekerWrites;
    /** The current call's seeker while it may still take points, the pages written, and the sites reached. */
    private ResumeSeeker seeker;
    private WrittenPages seekerWrites;
    private long reaches;
    /** The hook writes counted when the last site's hook returned: every later one but a site's is refused. */
    private long hookWritesAfterSite;
    /** The pages of the last point taken: an unchanged page is shared with the next point. */
    private Map<Long, byte[]> lastPointPages = Map.of();
    /** Tells the seeker at each site reached, before and after its hook. */
    private final SiteHooks.Reached reachTeller = new SiteHooks.Reached() {
        @Override
        public void before(long site) {
            atSite(site);
        }

        @Override
        public void after(long site) {
            hookWritesAfterSite = instrumentation.writes();
            if (seeker != null) {
                instrumentation.tellNextSiteReach(this);
            }
        }
    };
    /** The current call's entry and arguments, and the outside actions counted when it started running. */
    private long callEntry;
    private List<Argument> callArguments = List.of();
    private long effectsAtStart;
    private long hookWritesAtStart;
    private int lenientPagesAtStart;
    /** Set by {@link #resume}: the first block entered is the trap's, counted and watched when the point was taken. */
    private boolean enteringResumedBlock;

    private GuestMachine(GuestImage image, MachineOptions options) {
        this.image = image;
        this.options = options;
        this.stubSlots = new StubSlots(image.stubs());
        this.uc = Unicorn.open(image.arch());
        this.instrumentation = new EngineInstrumentation(uc, image.arch(), this::noteHostWrite);
        this.guard = new WallClockGuard(uc);
        this.loopWatch = new LoopWatch(new LoopWatch.State() {
            @Override
            public void readRegisters(long[] out) {
                instrumentation.readRegisters(out);
            }

            @Override
            public long readRegister(int index) {
                return instrumentation.readRegister(index);
            }

            @Override
            public long effects() {
                return outsideActions();
            }

            @Override
            public MachineSnapshot capture() {
                return snapshot();
            }

            @Override
            public boolean isIn(MachineSnapshot snapshot) {
                return isInState(snapshot);
            }
        }, image.arch().registers().size());
        List<GuestRegister> stubRegisters = new ArrayList<>(image.arch().argumentRegisters());
        stubRegisters.addAll(image.arch() == Arch.X86_64 ? List.of(X86Register.RSP)
                : List.of(Arm64Register.X30, Arm64Register.SP));
        this.stubRegisterIds = stubRegisters.stream().mapToInt(GuestRegisterIds::of).toArray();
        this.stubRegisterValues = new long[stubRegisterIds.length];
        Disassembler opened = null;
        try {
            opened = Disassembler.open(image.arch());
            this.disassembler = opened;
            checkImageClearsRuntimeAreas();
            mapImage();
            mapRuntimeAreas();
            installHooks();
        } catch (RuntimeException e) {
            if (opened != null) {
                opened.close();
            }
            uc.close();
            throw e;
        }
    }

    /**
     * Maps {@code image} into a fresh emulator.
     *
     * @param image   the loaded image
     * @param options budgets, stack and heap sizes, memory mode
     * @return the machine, owning native emulator memory: close it
     * @throws io.hvprobe.unicorn.UnicornUnavailableException if libunicorn is missing
     * @throws IllegalArgumentException if a segment of the image overlaps the machine's own areas
     *                                  ({@link MemoryLayout}: return sentinel, per-CPU area, heap, stack)
     */
    public static GuestMachine create(GuestImage image, MachineOptions options) {
        return new GuestMachine(image, options);
    }

    /** {@return the loaded image} */
    public GuestImage image() {
        return image;
    }

    /** {@return the guest architecture} */
    public Arch arch() {
        return image.arch();
    }

    /** {@return the options this machine runs with} */
    public MachineOptions options() {
        return options;
    }

    /** The emulator underneath: for this package (and its tests) only; others use {@link #instrumentation()}. */
    Unicorn engine() {
        return uc;
    }

    /** {@return hooks, register batches and memory access for the trap interceptor, the verifier and tracers} */
    public Instrumentation instrumentation() {
        return instrumentation;
    }

    /**
     * Maps {@code size} bytes at {@code address} readable and writable (zero-filled), e.g. the kernel heap.
     *
     * @param address a page-aligned guest address
     * @param size    bytes, a multiple of the page size
     */
    public void mapReadWrite(long address, long size) {
        uc.memMap(address, size, UcProt.READ | UcProt.WRITE);
    }

    /** {@return this machine's disassembler (shared by interceptor and tracers; single-threaded)} */
    public Disassembler disassembler() {
        return disassembler;
    }

    /**
     * Adds a handler that gets the first say on invalid instructions and interrupts.
     *
     * @param handler asked after the handlers added earlier, before the machine treats the exception as a fault
     */
    public void addExceptionHandler(GuestExceptionHandler handler) {
        exceptionHandlers.add(handler);
    }

    /**
     * Makes the stub for external function {@code name} return {@code value} from now on.
     *
     * @param name  an external function's name
     * @param value the value the stub returns in RAX or X0
     * @throws IllegalArgumentException when the image has no function stub of that name
     */
    public void setStubReturn(String name, long value) {
        List<Stub> stubs = image.stubs().stream().filter(s -> s.name().equals(name) && s.kind() == StubKind.FUNCTION)
                .toList();
        if (stubs.isEmpty()) {
            throw new IllegalArgumentException("no function stub named '" + name + "' in " + image.name());
        }
        stubs.forEach(s -> stubSlots.setReturn(s.address(), value));
    }

    /**
     * Gives the stub for external function {@code name} Java behaviour: the handler's value is returned instead of
     * the stub's fixed value. Returns false (and does nothing) when the image has no function stub of that name.
     *
     * @param name    an external function's name
     * @param handler called on the emulation thread at each call of the stub
     * @return whether the image has a function stub called {@code name}
     */
    public boolean setStubHandler(String name, StubHandler handler) {
        // Every stub of that name: objects loaded together each have their own.
        List<Stub> stubs = image.stubs().stream().filter(s -> s.name().equals(name) && s.kind() == StubKind.FUNCTION)
                .toList();
        stubs.forEach(s -> stubSlots.setHandler(s.address(), handler));
        return !stubs.isEmpty();
    }

    /**
     * Runs {@code listener} at the start of every call, before the guest executes (to reset per-call state).
     *
     * @param listener run on the calling thread, in the order added
     */
    public void addCallStartListener(Runnable listener) {
        callStartListeners.add(listener);
    }

    /** Most kernel events one call keeps; later ones are counted in {@link #droppedEvents()}. */
    public static final int MAX_EVENTS = 2_000;

    /**
     * Adds a kernel event to the current call's log (bounded by {@link #MAX_EVENTS}).
     *
     * @param event the event; dropped but counted past {@link #MAX_EVENTS}
     */
    public void record(KernelEvent event) {
        if (keepsNextEvent()) {
            events.add(event);
        }
    }

    /**
     * Adds a kernel event whose text is made only when the log keeps it (bounded by {@link #MAX_EVENTS}): a driver
     * that polls a device in a loop raises hundreds of thousands of events, past the cap only counted.
     *
     * @param kind     what happened
     * @param location symbol+offset of the code that caused it
     * @param text     makes the event's text; not called when the event is dropped
     */
    public void record(KernelEvent.Kind kind, String location, Supplier<String> text) {
        if (keepsNextEvent()) {
            events.add(new KernelEvent(kind, location, text.get()));
        }
    }

    /** Counts an event as an outside action; true if the log has room for it, else counts it as dropped. */
    private boolean keepsNextEvent() {
        effects++;
        if (events.size() < MAX_EVENTS) {
            return true;
        }
        droppedEvents++;
        return false;
    }

    /** {@return the kernel events of the last call, in order} */
    public List<KernelEvent> events() {
        return List.copyOf(events);
    }

    /** {@return how many kernel events of the last call came beyond {@link #MAX_EVENTS} and were not kept} */
    public long droppedEvents() {
        return droppedEvents;
    }

    /** {@return the pages mapped on demand in lenient mode, in order} */
    public List<Long> lenientPages() {
        return List.copyOf(lenientPages);
    }

    /**
     * {@code symbol+0xNN} for a guest address.
     *
     * @param address a guest address
     * @return the name, or the address in hex when no symbol covers it
     */
    public String symbolize(long address) {
        if (address == MemoryLayout.RETURN_SENTINEL) {
            return "<return>";
        }
        return image.symbolize(address);
    }

    /**
     * Reads guest memory (throws {@link UnicornException} if unmapped).
     *
     * @param address the first guest address
     * @param length   how many bytes, 0 or more
     * @return a new array
     */
    public byte[] read(long address, int length) {
        return uc.memRead(address, length);
    }

    /**
     * {@code length} bytes of guest memory, or empty when any of them is not mapped.
     *
     * @param address the first guest address
     * @param length  how many bytes, 0 or more
     * @return a new array, or empty
     */
    public Optional<byte[]> tryRead(long address, int length) {
        return instrumentation.tryRead(address, length);
    }

    /** Writes guest memory from outside the guest (the machine, a hook, the host), noting the pages written. */
    private void hostWrite(long address, byte[] data) {
        uc.memWrite(address, data);
        noteHostWrite(address, data.length);
    }

    /** Notes a write made from outside the guest: for the next restore, and for the resume point being sought. */
    private void noteHostWrite(long address, int length) {
        if (length <= 0) {
            return;
        }
        if (restoredTo != null) {
            writtenSinceRestore.add(address, length);
        }
        if (seekerWrites != null) {
            seekerWrites.add(address, length);
        }
    }

    /**
     * Declares that, from the next call on, the caller tells the machine every write the guest's own instructions make
     * ({@link #noteGuestWrite}, from a memory-write hook over all memory) until it says otherwise; while every call
     * since the last {@link #restore} of a snapshot was noted so, a restore of that snapshot made while the writes are
     * noted compares and writes back only the pages written since, instead of all writable memory.
     *
     * @param noted whether the guest's writes are told from now on
     */
    public void noteGuestWrites(boolean noted) {
        guestWritesNoted = noted;
    }

    /**
     * Notes a write by the guest's own instructions (see {@link #noteGuestWrites}).
     *
     * @param address the first byte written
     * @param size    bytes written
     */
    public void noteGuestWrite(long address, int size) {
        if (restoredTo != null) {
            writtenSinceRestore.add(address, size);
        }
    }

    /**
     * Writes guest memory (throws {@link UnicornException} if unmapped).
     *
     * @param address the first guest address
     * @param data    the bytes to write
     */
    public void write(long address, byte[] data) {
        effects++;
        if (touchesCode(address, data.length)) {
            codeWrites++;
        }
        hostWrite(address, data);
    }

    /**
     * How many {@link #write}s so far reached an executable segment of the image. Together with the mapping (a
     * segment without write permission cannot be written by the guest) this tells a reader of code whether the bytes
     * it saw before may have changed since.
     *
     * @return the count, never decreasing
     */
    public long codeWrites() {
        return codeWrites;
    }

    private boolean touchesCode(long address, int length) {
        for (Segment s : image.segments()) {
            if (s.permissions().execute() && address < s.end() && address + length > s.address()) {
                return true;
            }
        }
        return false;
    }

    /**
     * Ends the current call with {@code fault} (from a hook: the emulator stops after the hook returns).
     *
     * @param fault why the call ends; a fault already pending wins
     */
    public void stop(Fault fault) {
        if (pendingFault == null) {
            pendingFault = fault;
        }
        uc.emuStop();
    }

    /**
     * Ends the current call as if the called function had returned {@code value} (from a stub handler: a C
     * program's {@code exit(status)}, which never returns to its caller). A fault already pending wins.
     *
     * @param value the call's return value
     */
    public void finish(long value) {
        if (pendingFault == null && finishedWith == null) {
            finishedWith = value;
        }
        uc.emuStop();
    }

    /** {@return the registers now (from a stub handler: as the stub was entered)} */
    public RegisterSnapshot registers() {
        return uc.readSnapshot();
    }

    /**
     * From a stub handler: the stub does not return to its caller; the guest goes on at {@code pc} with
     * {@code registers} set (the others keep their values), e.g. {@code longjmp} back to its {@code setjmp}.
     *
     * @param pc        the guest address to go on at
     * @param registers registers to set first, by register
     */
    public void continueAt(long pc, Map<GuestRegister, Long> registers) {
        registers.forEach((r, v) -> uc.regWrite(GuestRegisterIds.of(r), v));
        uc.setPc(pc);
        redirected = true;
    }

    /**
     * From a stub handler: the stub does not return; the guest calls {@code function} with {@code arguments} on a
     * fresh frame below the current stack, and the call ends when that function returns (with its return value),
     * e.g. the C library's start-up calling {@code main(argc, argv, envp)}.
     *
     * @param function  the guest address of the function to call
     * @param arguments its integer arguments
     */
    public void enter(long function, long... arguments) {
        boolean x86 = arch() == Arch.X86_64;
        long sp = uc.regRead(GuestRegisterIds.of(arch().stackPointer()));
        long frame = (sp - 0x100) & -16L;
        Map<GuestRegister, Long> regs = new HashMap<>();
        for (int i = 0; i < arguments.length; i++) {
            regs.put(arch().argumentRegisters().get(i), arguments[i]);
        }
        if (x86) {
            frame -= 8; // as after a call: RSP % 16 == 8, the return address at [RSP]
            hostWrite(frame, le64(MemoryLayout.RETURN_SENTINEL));
        } else {
            regs.put(Arm64Register.X30, MemoryLayout.RETURN_SENTINEL);
        }
        regs.put(arch().stackPointer(), frame);
        continueAt(function, regs);
    }

    /**
     * Builds a {@link Fault} at the current program counter.
     *
     * @param kind    the kind of fault
     * @param address the address the fault is about (the accessed address, or the program counter)
     * @param detail  one line, or {@code ""}
     * @return the fault, with the program counter's symbol and instruction
     */
    public Fault faultHere(Fault.Kind kind, long address, String detail) {
        long pc = uc.pc();
        return new Fault(kind, pc, symbolize(pc), disassembleAt(pc), address, detail, uc.readSnapshot());
    }

    /**
     * The instruction text at {@code pc}, or {@code "?"} when unreadable.
     *
     * @param pc a guest address
     * @return the instruction text
     */
    public String disassembleAt(long pc) {
        byte[] bytes = readCode(pc);
        return bytes.length == 0 ? "?" : disassembler.decode(pc, bytes).text();
    }

    /**
     * Up to 16 bytes of code at {@code address} (enough for any instruction): fewer near the end of a mapping,
     * none when the address is unmapped.
     *
     * @param address a guest address
     * @return a new array of 0 to 16 bytes
     */
    public byte[] readCode(long address) {
        for (int n = 16; n > 0; n -= n > 4 ? 4 : 1) {
            try {
                return uc.memRead(address, n);
            } catch (UnicornException nearTheEnd) {
                // Read less.
            }
        }
        return new byte[0];
    }

    /**
     * Calls a function and runs it to its return, a fault, the budget or the timeout.
     *
     * @param call the function and its arguments
     * @return how the call ended
     * @throws UnknownFunctionException if {@code call.function()} is not a defined symbol of the image
     */
    public CallResult call(GuestCall call) throws UnknownFunctionException {
        return call(call, options.instructionBudget());
    }

    /**
     * Calls a function with at most {@code instructionLimit} instructions (capped by the options' budget; 0 = the
     * options' budget), e.g. what is left of a larger budget shared by several calls.
     *
     * @param call             the function and its arguments
     * @param instructionLimit most instructions, 0 or more; 0 = the options' budget
     * @return how the call ended
     * @throws UnknownFunctionException if {@code call.function()} is not a defined symbol of the image
     */
    public CallResult call(GuestCall call, long instructionLimit) throws UnknownFunctionException {
        GuestSymbol fn = image.symbol(call.function()).orElseThrow(() -> new UnknownFunctionException(
                image.name(), call.function(), image.functions().stream().map(GuestSymbol::name).toList()));
        return call(fn.address(), call.arguments(), instructionLimit);
    }

    /**
     * Calls the code at {@code entry} with {@code arguments}.
     *
     * @param entry     the guest address to call
     * @param arguments the arguments, at most {@link GuestCall#MAX_ARGUMENTS}
     * @return how the call ended
     */
    public CallResult call(long entry, List<Argument> arguments) {
        return call(entry, arguments, options.instructionBudget());
    }

    /**
     * Instructions the last call executed, counted across the restarts a handled invalid instruction causes (a
     * translation-block hook adds each entered block's instructions, so the count is deterministic; a block left
     * early by a skipped trap or a handled fault counts whole).
     *
     * @return the count
     */
    public long instructionsExecuted() {
        return executed;
    }

    /**
     * Starts a program at its ELF entry point {@code entry} with {@code stack} as the process's initial stack
     * (argc, argv, envp, auxv at the stack pointer, as the kernel leaves them), and runs it until it returns
     * through the start-up code, calls {@code exit} ({@link #finish}), faults, or runs out of budget or time.
     *
     * @param entry the program's entry point
     * @param stack the initial stack's contents
     * @param instructionLimit at most this many instructions (capped by the options' budget; 0 = the budget)
     * @return how the program ended; its return value is the exit status
     */
    public CallResult start(long entry, ProcessStack stack, long instructionLimit) {
        nextSeeker = null; // asked of calls only
        beginCall();
        ProcessStack.Layout layout = stack.layout(MemoryLayout.STACK_TOP - MemoryLayout.PAGE);
        hostWrite(layout.address(), layout.bytes());
        long sp = layout.stackPointer();
        long[] regs = initialSnapshot().toArray();
        if (arch() == Arch.X86_64) {
            regs[X86Register.RSP.index()] = sp;
            regs[X86Register.RDX.index()] = 0; // no rtld_fini: nothing registered by a dynamic loader
            regs[X86Register.RIP.index()] = entry;
            regs[X86Register.RFLAGS.index()] = 0x202;
        } else {
            regs[Arm64Register.SP.index()] = sp;
            regs[Arm64Register.X0.index()] = 0;
            regs[Arm64Register.X30.index()] = MemoryLayout.RETURN_SENTINEL;
            regs[Arm64Register.PC.index()] = entry;
            regs[Arm64Register.NZCV.index()] = 0;
        }
        uc.writeSnapshot(RegisterSnapshot.of(arch(), regs));
        long budget = options.instructionBudget();
        run(entry, budget == 0 ? instructionLimit : instructionLimit == 0 ? budget : Math.min(budget, instructionLimit));
        return result(List.of(), List.of());
    }

    private void beginCall() {
        if (!guestWritesNoted) {
            restoredTo = null; // the guest's writes in this call will not be known
        }
        instrumentation.uninstallSites();
        pendingFault = null;
        finishedWith = null;
        redirected = false;
        stubCalls.clear();
        stubSlots.forgetLastCalls();
        events.clear();
        droppedEvents = 0;
        callStartListeners.forEach(Runnable::run);
    }

    private CallResult result(List<Argument> arguments, List<Long> bufferAddresses) {
        RegisterSnapshot regs = uc.readSnapshot();
        List<byte[]> buffers = new ArrayList<>();
        for (int i = 0; i < arguments.size(); i++) {
            Long addr = bufferAddresses.get(i);
            buffers.add(addr == null ? null : uc.memRead(addr, ((Argument.Buffer) arguments.get(i)).size()));
        }
        if (pendingFault != null) {
            return new CallResult.Faulted(pendingFault, regs, stubCalls, buffers);
        }
        return new CallResult.Returned(finishedWith != null ? finishedWith : regs.get(arch().returnRegister()), regs,
                stubCalls, buffers);
    }

    /**
     * Calls the code at {@code entry} with at most {@code instructionLimit} instructions (0 = the options' budget).
     *
     * @param entry            the guest address to call
     * @param arguments        the arguments, at most {@link GuestCall#MAX_ARGUMENTS}
     * @param instructionLimit most instructions, 0 or more
     * @return how the call ended
     */
    public CallResult call(long entry, List<Argument> arguments, long instructionLimit) {
        ResumeSeeker asked = nextSeeker;
        WrittenPages written = nextSeekerWrites;
        nextSeeker = null;
        nextSeekerWrites = null;
        List<Long> bufferAddresses = prepareCall(entry, arguments);
        if (asked != null) {
            seeker = asked;
            seekerWrites = written;
            reaches = 0;
            hookWritesAfterSite = hookWritesAtStart;
            lastPointPages = Map.of();
            instrumentation.tellNextSiteReach(reachTeller);
        }
        try {
            run(entry, capped(instructionLimit));
        } finally {
            instrumentation.tellNextSiteReach(null);
            seeker = null;
            seekerWrites = null;
            lastPointPages = Map.of();
        }
        return result(arguments, bufferAddresses);
    }

    /**
     * Starts a call: the call-start listeners, the arguments (buffers written to the heap) and the registers at
     * {@code entry}; returns the buffers' addresses.
     */
    private List<Long> prepareCall(long entry, List<Argument> arguments) {
        if (arguments.size() > GuestCall.MAX_ARGUMENTS) {
            throw new IllegalArgumentException("at most " + GuestCall.MAX_ARGUMENTS + " arguments, got "
                    + arguments.size());
        }
        beginCall();
        List<Long> bufferAddresses = bufferAddresses(arguments, options.heapSize());
        long[] values = new long[arguments.size()];
        for (int i = 0; i < arguments.size(); i++) {
            switch (arguments.get(i)) {
                case Argument.Value v -> values[i] = v.value();
                case Argument.Buffer b -> {
                    long addr = bufferAddresses.get(i);
                    byte[] init = Arrays.copyOf(b.initial(), b.size());
                    if (init.length > 0) {
                        hostWrite(addr, init);
                    }
                    values[i] = addr;
                }
            }
        }
        setUpRegisters(entry, values);
        callEntry = entry;
        callArguments = arguments;
        effectsAtStart = effects;
        hookWritesAtStart = instrumentation.writes();
        lenientPagesAtStart = lenientPages.size();
        return bufferAddresses;
    }

    private long capped(long instructionLimit) {
        long budget = options.instructionBudget();
        return budget == 0 ? instructionLimit : instructionLimit == 0 ? budget : Math.min(budget, instructionLimit);
    }

    /**
     * How many outside actions (stub calls, handled exceptions, kernel events, lenient pages, writes through {@link
     * #write} or the instrumentation: trap answers, steering) the machine has counted so far: between two guest
     * instructions with the same count, only the first of them changed registers.
     *
     * @return the count, never decreasing
     */
    public long outsideActions() {
        return effects + instrumentation.writes();
    }

    /**
     * Lets {@code seeker} take {@link ResumePoint}s during the next {@link #call(long, List, long)}: at each trap or BUG
     * site it reaches, before the site's hook runs, it is asked whether it wants one, as long as nothing but the
     * guest's own instructions and the hooks of the sites reached before (the traps' answers) ran since the call
     * started; else it is told {@link ResumeSeeker#refused} once and asked no more. Only that call is asked.
     *
     * @param seeker  asked on the emulation thread, from inside the hooks; null forgets a seeker not asked yet
     * @param written filled by the caller with every page the guest writes during that call (a memory-write hook on
     *                all memory, in place before the call starts); the machine adds the pages the sites' hooks write
     *                (a trap's answer), and each point keeps the pages written up to it
     */
    public void seekResumePoints(ResumeSeeker seeker, WrittenPages written) {
        nextSeeker = seeker;
        nextSeekerWrites = seeker == null ? null : written;
    }

    /** At a site the current call reached, before its hook: asks the seeker, or tells it that no point can come. */
    private void atSite(long site) {
        long reach = reaches++;
        if (seeker == null) {
            return;
        }
        boolean onlyGuestAndSites = effects == effectsAtStart && instrumentation.writes() == hookWritesAfterSite
                && lenientPages.size() == lenientPagesAtStart && stubCalls.isEmpty() && events.isEmpty()
                && droppedEvents == 0 && pendingFault == null && finishedWith == null;
        if (!onlyGuestAndSites) {
            ResumeSeeker told = seeker;
            seeker = null; // what acted stays acted: no later site of the call can be resumed either
            told.refused();
            return;
        }
        Optional<LoopWatch.Mark> watch = loopWatch.mark();
        if (watch.isPresent() && seeker.wants(reach, executed)) {
            seeker.take(pointAt(site, watch.get()));
        }
    }

    /** The current call's state at {@code site}, before its hook: CPU, the pages written so far, the count, the watch. */
    private ResumePoint pointAt(long site, LoopWatch.Mark watch) {
        Map<Long, byte[]> pages = new HashMap<>();
        for (long page : seekerWrites.pages()) {
            byte[] now = uc.memRead(page, (int) MemoryLayout.PAGE);
            byte[] before = lastPointPages.get(page);
            pages.put(page, before != null && Arrays.equals(before, now) ? before : now);
        }
        lastPointPages = pages;
        return new ResumePoint(callEntry, site, uc.saveContext(), uc.readSnapshot(), pages, executed, watch,
                callArguments);
    }

    /**
     * Runs the call {@code point} was taken in again from there (memory, CPU, instruction count and loop watch as they
     * were; site hooks installed again as they are reached), with at most {@code instructionLimit} instructions counted
     * from the call's entry as {@link #call(long, List, long)} counts them. What the hooks do from the point on (the
     * trap's answer) may differ from the captured call's; everything before it is the captured call's, and what lives
     * outside the machine (the hypervisor session, the hypercall log) must be as the captured call had it there.
     *
     * <p>A run that ends on the instruction limit may stop a few instructions earlier than the run from the entry would
     * have (the limit is counted from the trap's whole block): the caller runs from the entry to learn where it ends.
     *
     * @param point            a point this machine captured; the machine must be in the state the captured call
     *                         started from (its memory is that state with the point's pages written over it), and
     *                         what lives outside the machine (the hypervisor session) as the captured call had it
     * @param instructionLimit most instructions, 0 or more; 0 = the options' budget
     * @return how the call ended
     */
    public CallResult resume(ResumePoint point, long instructionLimit) {
        List<Long> bufferAddresses = prepareCall(point.entry(), point.arguments());
        point.pages().forEach((page, bytes) -> hostWrite(page, bytes));
        uc.restoreContext(point.cpu());
        uc.writeSnapshot(point.registers());
        executed = point.instructionsExecuted();
        loopWatch.resume(point.watch());
        enteringResumedBlock = true;
        try {
            loop(point.site(), capped(instructionLimit));
        } finally {
            enteringResumedBlock = false;
        }
        return result(point.arguments(), bufferAddresses);
    }

    /**
     * Captures the machine's whole state for {@link #restore}: every writable page that is not all zero, and the CPU
     * context. Memory is read in bounded chunks, so the cost is one pass over the writable memory and one copy of
     * its non-zero pages.
     *
     * @return the snapshot, holding native memory until closed or the machine is closed
     */
    public MachineSnapshot snapshot() {
        List<MachineSnapshot.Region> regions = new ArrayList<>();
        int page = (int) MemoryLayout.PAGE;
        for (io.hvprobe.unicorn.MemoryRegion r : uc.memRegions()) {
            if ((r.perms() & UcProt.WRITE) == 0) {
                continue;
            }
            long size = r.end() - r.begin() + 1;
            java.util.Map<Integer, byte[]> pages = new java.util.HashMap<>();
            forEachChunk(r.begin(), size, (chunkStart, chunk, length) -> {
                for (int off = 0; off < length; off += page) {
                    if (!allZero(chunk, off, page)) {
                        pages.put((int) ((chunkStart - r.begin() + off) / page), Arrays.copyOfRange(chunk, off, off + page));
                    }
                }
            });
            regions.add(new MachineSnapshot.Region(r.begin(), size, pages));
        }
        return new MachineSnapshot(regions, uc.saveContext(), lenientPages.size());
    }

    /**
     * Puts the machine back into the state {@code snapshot} captured: the CPU context, and of every writable page
     * only those whose bytes differ now (compare and write back); lenient pages mapped since are unmapped again.
     *
     * @param snapshot a snapshot of this machine, not closed
     * @return how many pages were written back
     * @throws IllegalArgumentException if the snapshot was taken on another machine
     */
    public int restore(MachineSnapshot snapshot) {
        for (int i = snapshot.lenientPages(); i < lenientPages.size(); i++) {
            uc.memUnmap(lenientPages.get(i), MemoryLayout.PAGE);
        }
        lenientPages.subList(snapshot.lenientPages(), lenientPages.size()).clear();
        // Only for a call whose writes are noted in turn: a plain run's restore stays the same whatever ran before.
        int written = snapshot == restoredTo && guestWritesNoted ? restoreWritten(snapshot) : restoreAll(snapshot);
        uc.restoreContext(snapshot.cpu());
        pendingFault = null;
        restoredTo = snapshot;
        writtenSinceRestore = new WrittenPages();
        return written;
    }

    /** Compares every writable page with the snapshot and writes back those that differ. */
    private int restoreAll(MachineSnapshot snapshot) {
        int page = (int) MemoryLayout.PAGE;
        byte[] zero = new byte[page];
        int[] written = {0};
        for (MachineSnapshot.Region r : snapshot.regions()) {
            forEachChunk(r.address(), r.size(), (chunkStart, chunk, length) -> {
                for (int off = 0; off < length; off += page) {
                    byte[] saved = r.nonZeroPages().getOrDefault((int) ((chunkStart - r.address() + off) / page), zero);
                    if (Arrays.mismatch(saved, 0, page, chunk, off, off + page) >= 0) {
                        uc.memWrite(chunkStart + off, java.lang.foreign.MemorySegment.ofArray(saved));
                        written[0]++;
                    }
                }
            });
        }
        return written[0];
    }

    /**
     * The machine was in {@code snapshot}'s state when the writes since were first noted: compares only the pages
     * written since (those in the snapshot's regions; a lenient page is gone) and writes back those that differ.
     */
    private int restoreWritten(MachineSnapshot snapshot) {
        int page = (int) MemoryLayout.PAGE;
        byte[] zero = new byte[page];
        byte[] now = new byte[page];
        int written = 0;
        for (long address : writtenSinceRestore.pages()) {
            for (MachineSnapshot.Region r : snapshot.regions()) {
                long offset = address - r.address();
                if (offset < 0 || offset >= r.size()) {
                    continue;
                }
                byte[] saved = r.nonZeroPages().getOrDefault((int) (offset / page), zero);
                uc.memRead(address, java.lang.foreign.MemorySegment.ofArray(now));
                if (Arrays.mismatch(saved, now) >= 0) {
                    uc.memWrite(address, java.lang.foreign.MemorySegment.ofArray(saved));
                    written++;
                }
                break;
            }
        }
        return written;
    }

    /** Whether the machine is exactly in {@code snapshot}'s state: CPU context and every writable page. */
    private boolean isInState(MachineSnapshot snapshot) {
        if (snapshot.lenientPages() != lenientPages.size() || !uc.isInContext(snapshot.cpu())) {
            return false;
        }
        int page = (int) MemoryLayout.PAGE;
        byte[] zero = new byte[page];
        boolean[] same = {true};
        for (MachineSnapshot.Region r : snapshot.regions()) {
            forEachChunk(r.address(), r.size(), (chunkStart, chunk, length) -> {
                for (int off = 0; off < length && same[0]; off += page) {
                    byte[] saved = r.nonZeroPages().getOrDefault((int) ((chunkStart - r.address() + off) / page), zero);
                    same[0] = Arrays.mismatch(saved, 0, page, chunk, off, off + page) < 0;
                }
            });
            if (!same[0]) {
                return false;
            }
        }
        return true;
    }

    /** What {@link #forEachChunk} hands over: {@code length} bytes of guest memory from {@code start}. */
    private interface ChunkVisitor {
        void visit(long start, byte[] chunk, int length);
    }

    /** Reads {@code size} bytes from {@code begin} through one reused buffer of at most {@link #CHUNK} bytes. */
    private void forEachChunk(long begin, long size, ChunkVisitor visitor) {
        if (restoreScratch.length < CHUNK) {
            restoreScratch = new byte[CHUNK];
        }
        for (long done = 0; done < size; done += CHUNK) {
            int length = (int) Math.min(CHUNK, size - done);
            uc.memRead(begin + done, java.lang.foreign.MemorySegment.ofArray(restoreScratch).asSlice(0, length));
            visitor.visit(begin + done, restoreScratch, length);
        }
    }

    /** A page of zeros to compare with: {@link Arrays#mismatch} compares 8 bytes a step, even interpreted. */
    private static final byte[] ZERO_PAGE = new byte[(int) MemoryLayout.PAGE];

    private static boolean allZero(byte[] b, int from, int length) {
        // A snapshot at start-up scans every writable page before this method is compiled: a byte loop was 7 % of
        // a small object's whole `check` (JFR).
        for (int done = 0; done < length; done += ZERO_PAGE.length) {
            int n = Math.min(ZERO_PAGE.length, length - done);
            if (Arrays.mismatch(b, from + done, from + done + n, ZERO_PAGE, 0, n) >= 0) {
                return false;
            }
        }
        return true;
    }

    /**
     * The register values a call starts with, except arguments, SP, return address and PC.
     *
     * @param r a register
     * @return its initial value: a fixed pattern with the register's index in bits 15:8, the same for every call
     */
    public static long initialValue(GuestRegister r) {
        return CALLEE_PATTERN | ((long) r.index() << 8);
    }

    /**
     * The run loop. The instruction limit is Unicorn's count, restarted with what is left after each handled trap,
     * so the cut is exact. Enforcing it in the block hook instead (a stop there still lets the stopped block's
     * instructions reach code hooks) meant retranslating the cut block each time; measured with Unicorn 2.0.1,
     * every dropped translation's space in the 1 GiB code buffer stays used and resident until the buffer is full,
     * so such a check grew to over 1 GB of RSS. (Adding a code hook still drops the translations of its range:
     * code translated before a hook exists never calls it, count or not.)
     */
    private void run(long entry, long limit) {
        executed = 0;
        loopWatch.reset();
        loop(entry, limit);
    }

    /** The run loop from {@code entry} with the instruction count and loop watch as they are. */
    private void loop(long entry, long limit) {
        long begin = entry;
        // One deadline for the whole call: each resume after a handled trap gets only the time that is left. The
        // clock is a last-resort guard; the instruction limit, counted across resumes, ends a long call.
        long deadline = System.nanoTime() + saturatedNanos(options.timeout());
        for (int resumes = 0; resumes < MAX_RESUMES; resumes++) {
            long leftNanos = deadline - System.nanoTime();
            if (leftNanos <= 0) {
                pendingFault = timeoutFault();
                return;
            }
            long count = limit == 0 ? 0 : limit - executed;
            if (limit != 0 && count <= 0) {
                pendingFault = budgetFault(limit);
                return;
            }
            StopReason reason;
            guard.arm(leftNanos);
            try {
                reason = uc.emuStart(begin, MemoryLayout.RETURN_SENTINEL, 0, count);
            } catch (UnicornException e) {
                if (pendingFault == null) {
                    pendingFault = faultHere(Fault.Kind.EMULATOR_ERROR, uc.pc(), e.description());
                }
                return;
            } finally {
                guard.disarm();
            }
            if (pendingFault != null || finishedWith != null) {
                return;
            }
            if (guard.fired()) {
                reason = StopReason.TIMEOUT;
            }
            switch (reason) {
                case REACHED_END -> {
                    return;
                }
                case INVALID_INSTRUCTION_HANDLED -> begin = uc.pc();
                case TIMEOUT -> {
                    // A call that got to its return before the guard stopped it has ended by itself.
                    if (uc.pc() != MemoryLayout.RETURN_SENTINEL) {
                        pendingFault = timeoutFault();
                    }
                    return;
                }
                case COUNT_EXHAUSTED -> {
                    executed = limit;
                    pendingFault = budgetFault(limit);
                    return;
                }
                case STOP_REQUESTED, OTHER -> {
                    long pc = uc.pc();
                    boolean halted = reason == StopReason.OTHER && arch() == Arch.X86_64 && followsHlt(pc);
                    pendingFault = faultHere(Fault.Kind.EMULATOR_ERROR, pc, halted
                            ? "hlt at " + symbolize(pc - 1) + " halted the CPU before the function returned"
                            : "emulation stopped before the function returned");
                    return;
                }
            }
        }
        pendingFault = faultHere(Fault.Kind.BUDGET_EXHAUSTED, uc.pc(),
                "more than " + MAX_RESUMES + " run-time traps in one call");
    }

    private Fault budgetFault(long limit) {
        return faultHere(Fault.Kind.BUDGET_EXHAUSTED, uc.pc(), "instruction budget of " + limit + " exhausted");
    }

    /** Instructions in the translation block at {@code address} of {@code size} bytes (cached per block). */
    private long instructionsIn(long address, int size) {
        long known = blockCounts.get(address, size);
        if (known < 0) {
            if (arch() == Arch.ARM64) {
                known = Math.max(1, size / 4);
            } else {
                long[] c = {0};
                try {
                    disassembler.sweep(uc.memRead(address, Math.max(size, 1)), address, i -> c[0]++);
                } catch (UnicornException unreadable) {
                    c[0] = 1;
                }
                known = Math.max(1, c[0]);
            }
            blockCounts.put(address, size, known);
        }
        return known;
    }

    /** At each translation block: counts its instructions and watches for endless loops. */
    private void onBlock(long address, int size) {
        if (instrumentation.enterBlock(address, size)) {
            // Site hooks were just installed in this block: leave its old translation unrun and enter it again.
            uc.setPc(address);
            return;
        }
        if (enteringResumedBlock) {
            enteringResumedBlock = false;
            return; // the trap's block of a resumed call: counted and watched in the call the point was taken in
        }
        long known = instructionsIn(address, size);
        long round = loopWatch.atBlock(address, executed);
        if (round > 0) {
            stop(faultHere(Fault.Kind.ENDLESS_LOOP, address, "the call never ends: every " + round
                    + " instructions it is back in the same state here (registers and memory), with no kernel call,"
                    + " trap or other outside action in between"));
            return;
        }
        executed += known;
    }

    private boolean followsHlt(long pc) {
        try {
            return uc.memRead(pc - 1, 1)[0] == (byte) 0xF4;
        } catch (UnicornException unreadable) {
            return false;
        }
    }

    private Fault timeoutFault() {
        return faultHere(Fault.Kind.TIMEOUT, uc.pc(), "wall-clock guard of " + options.timeout().toMillis()
                + " ms elapsed before the call ended (inconclusive: the run has no verdict)");
    }

    /** The duration in nanoseconds, capped at about 146 years instead of overflowing. */
    private static long saturatedNanos(java.time.Duration d) {
        return d.compareTo(java.time.Duration.ofNanos(Long.MAX_VALUE / 2)) > 0 ? Long.MAX_VALUE / 2 : d.toNanos();
    }

    private void setUpRegisters(long entry, long[] args) {
        RegisterSnapshot base = initialSnapshot();
        long[] regs = base.toArray();
        if (arch() == Arch.X86_64) {
            // At entry RSP % 16 == 8 (the call pushed the return address); stack args follow it.
            long sp = MemoryLayout.STACK_TOP - 0x100 - 8;
            List<GuestRegister> argRegs = arch().argumentRegisters();
            for (int i = 0; i < args.length; i++) {
                if (i < argRegs.size()) {
                    regs[argRegs.get(i).index()] = args[i];
                } else {
                    hostWrite(sp + 8L * (i - argRegs.size() + 1), le64(args[i]));
                }
            }
            hostWrite(sp, le64(MemoryLayout.RETURN_SENTINEL));
            regs[X86Register.RSP.index()] = sp;
            regs[X86Register.RIP.index()] = entry;
            regs[X86Register.RFLAGS.index()] = 0x202;
        } else {
            for (int i = 0; i < args.length; i++) {
                regs[arch().argumentRegisters().get(i).index()] = args[i];
            }
            regs[Arm64Register.SP.index()] = MemoryLayout.STACK_TOP - 0x100;
            regs[Arm64Register.X30.index()] = MemoryLayout.RETURN_SENTINEL;
            regs[Arm64Register.PC.index()] = entry;
            regs[Arm64Register.NZCV.index()] = 0;
        }
        uc.writeSnapshot(RegisterSnapshot.of(arch(), regs));
    }

    private RegisterSnapshot initialSnapshot() {
        long[] v = new long[arch().registers().size()];
        for (GuestRegister r : arch().registers()) {
            v[r.index()] = initialValue(r);
        }
        return RegisterSnapshot.of(arch(), v);
    }

    /**
     * The guest addresses a call gives its {@link Argument.Buffer} arguments (null for values): laid out in
     * order from the heap base, each at its alignment. Deterministic, so expectations can name them.
     *
     * @param arguments the call's arguments
     * @param heapSize  the scratch heap's size in bytes
     * @return one guest address per argument, in order
     * @throws IllegalArgumentException if the buffers do not fit in {@code heapSize} bytes
     */
    public static List<Long> bufferAddresses(List<Argument> arguments, long heapSize) {
        List<Long> out = new ArrayList<>();
        long next = MemoryLayout.HEAP_BASE;
        for (Argument a : arguments) {
            if (!(a instanceof Argument.Buffer b)) {
                out.add(null);
                continue;
            }
            long addr = (next + b.alignment() - 1) & -(long) b.alignment();
            next = addr + Math.max(b.size(), 1);
            if (next > MemoryLayout.HEAP_BASE + heapSize) {
                throw new IllegalArgumentException("pointer arguments need more than the " + heapSize
                        + "-byte scratch heap");
            }
            out.add(addr);
        }
        return out;
    }

    /** One area the machine maps for itself. */
    private record RuntimeArea(String name, long start, long size) {
    }

    private void checkImageClearsRuntimeAreas() {
        long guard = MemoryLayout.STACK_TOP - options.stackSize() - MemoryLayout.PAGE;
        List<RuntimeArea> areas = List.of(
                new RuntimeArea("return sentinel page", MemoryLayout.SENTINEL_PAGE, MemoryLayout.PAGE),
                new RuntimeArea("per-CPU area", MemoryLayout.PERCPU_BASE, MemoryLayout.PERCPU_SIZE),
                new RuntimeArea("scratch heap", MemoryLayout.HEAP_BASE, options.heapSize()),
                new RuntimeArea("stack (with its guard page)", guard, MemoryLayout.STACK_TOP - guard));
        for (Segment s : image.segments()) {
            for (RuntimeArea a : areas) {
                if (s.size() > 0 && Long.compareUnsigned(s.address(), a.start() + a.size()) < 0
                        && Long.compareUnsigned(a.start(), s.address() + s.size()) < 0) {
                    throw new IllegalArgumentException(String.format(
                            "%s: segment %s at 0x%x-0x%x overlaps the machine's %s at 0x%x-0x%x;"
                                    + " load the image at another base address",
                            image.name(), s.name(), s.address(), s.end() - 1, a.name(), a.start(),
                            a.start() + a.size() - 1));
                }
            }
        }
    }

    private void mapImage() {
        for (Segment s : image.segments()) {
            if (s.size() == 0) {
                continue;
            }
            uc.memMap(s.address(), s.size(), prot(s.permissions()));
            uc.memWrite(s.address(), s.initialized()); // freshly mapped memory is zero: the rest is in place
        }
    }

    /** Where x86_64 user space keeps its stack guard relative to the thread pointer ({@code %fs:0x28}). */
    private static final long USER_CANARY_OFFSET = 0x28;
    /** Where a user-space image without TLS gets its thread control block in the per-CPU area. */
    private static final long USER_TCB_OFFSET = 0xC000;

    private void mapRuntimeAreas() {
        // Sentinel page: emulation stops before executing it; the bytes are a trap just in case.
        uc.memMap(MemoryLayout.SENTINEL_PAGE, MemoryLayout.PAGE, UcProt.READ | UcProt.EXEC);
        uc.memWrite(MemoryLayout.SENTINEL_PAGE, arch() == Arch.X86_64 ? new byte[] {(byte) 0xF4}
                : new byte[] {0x00, 0x00, 0x20, (byte) 0xD4});
        uc.memMap(MemoryLayout.PERCPU_BASE, MemoryLayout.PERCPU_SIZE, UcProt.READ | UcProt.WRITE);
        uc.memWrite(MemoryLayout.PERCPU_BASE + MemoryLayout.CANARY_OFFSET, le64(options.stackCanary()));
        // A page of canaries for sp_el0-relative (arm64 kernel) stack protectors at any offset.
        ByteBuffer canaries = ByteBuffer.allocate((int) MemoryLayout.PAGE).order(ByteOrder.LITTLE_ENDIAN);
        while (canaries.hasRemaining()) {
            canaries.putLong(options.stackCanary());
        }
        long canaryPage = MemoryLayout.PERCPU_BASE + MemoryLayout.PAGE;
        uc.memWrite(canaryPage, canaries.array());
        uc.memMap(MemoryLayout.HEAP_BASE, options.heapSize(), UcProt.READ | UcProt.WRITE);
        uc.memMap(MemoryLayout.STACK_TOP - options.stackSize(), options.stackSize(), UcProt.READ | UcProt.WRITE);
        if (arch() == Arch.X86_64) {
            uc.regWrite(UcX86Reg.GS_BASE, MemoryLayout.PERCPU_BASE);
        } else {
            uc.regWrite(UcArm64Reg.TPIDR_EL1, MemoryLayout.PERCPU_BASE);
            uc.regWrite(UcArm64Reg.SP_EL0, canaryPage);
            uc.regWrite(UcArm64Reg.CPACR_EL1, uc.regRead(UcArm64Reg.CPACR_EL1) | (3L << 20));
        }
        // Thread-local storage: the thread pointer the image's TLS area was laid out for; x86_64 user code reads
        // its stack guard at %fs:0x28 (glibc's tcbhead_t), arm64 user code a global __stack_chk_guard (below).
        image.threadPointer().ifPresent(tp -> {
            if (arch() == Arch.X86_64) {
                uc.regWrite(UcX86Reg.FS_BASE, tp);
                uc.memWrite(tp + USER_CANARY_OFFSET, le64(options.stackCanary()));
            } else {
                uc.regWrite(UcArm64Reg.TPIDR_EL0, tp);
            }
        });
        // User-space x86_64 code without thread-local storage still reads its stack guard at %fs:0x28: give it a
        // thread control block (self pointers at 0 and 0x10, as glibc's) in the per-CPU area.
        boolean userSpace = image.kind() == io.hvprobe.loader.ImageKind.EXECUTABLE
                || image.kind() == io.hvprobe.loader.ImageKind.SHARED_OBJECT;
        if (image.threadPointer().isEmpty() && userSpace && arch() == Arch.X86_64) {
            long tcb = MemoryLayout.PERCPU_BASE + USER_TCB_OFFSET;
            uc.regWrite(UcX86Reg.FS_BASE, tcb);
            uc.memWrite(tcb, le64(tcb));
            uc.memWrite(tcb + 0x10, le64(tcb));
            uc.memWrite(tcb + USER_CANARY_OFFSET, le64(options.stackCanary()));
        }
        // A global __stack_chk_guard (user-space style stack protector) holds the same canary.
        image.address("__stack_chk_guard").ifPresent(a -> {
            try {
                uc.memWrite(a, le64(options.stackCanary()));
            } catch (UnicornException ignored) {
                // Not writable memory: leave it; the protector then compares against what is there.
            }
        });
    }

    /** Stubs further apart than this belong to different objects' stub areas (each gets its own hook). */
    private static final long STUB_AREA_GAP = 1L << 20;

    private void installHooks() {
        // One code hook over the function stubs' range, not one per stub: while an instruction limit is set,
        // Unicorn walks every code hook for every instruction it executes, and a module imports hundreds of
        // kernel functions (vmwgfx: 375).
        // One hook per stub area (objects loaded together each have one), not one over the code between them.
        long[] addresses = stubSlots.addresses();
        for (int i = 0; i < addresses.length; ) {
            int j = i;
            while (j + 1 < addresses.length && addresses[j + 1] - addresses[j] < STUB_AREA_GAP) {
                j++;
            }
            uc.hookCode(addresses[i], addresses[j], (u, address, size) -> {
                StubSlots.Slot slot = stubSlots.at(address);
                if (slot != null) {
                    onStub(slot);
                }
            });
            i = j + 1;
        }
        uc.hookBlock(1, 0, (u, address, size) -> onBlock(address, size));
        uc.hookMemoryFault(io.hvprobe.unicorn.UcHookType.MEM_INVALID, this::onMemoryFault);
        uc.hookInterrupt((u, intno) -> onException(new GuestException(GuestException.Kind.INTERRUPT, intno, u.pc())));
        uc.hookInvalidInstruction(u -> onException(
                new GuestException(GuestException.Kind.INVALID_INSTRUCTION, -1, u.pc())));
    }

    private void onStub(StubSlots.Slot slot) {
        Stub stub = slot.stub();
        effects++;
        boolean x86 = arch() == Arch.X86_64;
        // Only the registers a stub call needs (arguments, stack pointer, arm64 link register), in one batch:
        // drivers call kernel functions often, and a whole snapshot per call was a tenth of a module's check.
        uc.regReadBatch(stubRegisterIds, stubRegisterValues);
        int n = arch().argumentRegisters().size();
        StubCall last = slot.last();
        List<Long> args = last != null && sameArguments(last.arguments(), stubRegisterValues)
                ? last.arguments() : boxedArguments(n);
        long stackPointer = stubRegisterValues[x86 ? n : n + 1];
        long returnAddress = x86 ? readLong(stackPointer) : stubRegisterValues[n];
        String caller = callerOf(returnAddress);
        Long override = slot.returnOverride();
        StubHandler handler = slot.handler();
        long value;
        redirected = false;
        if (override != null || handler == null) {
            value = override != null ? override : stub.returnValue();
        } else {
            long stackArgument = x86 ? stackPointer + 8 : stackPointer;
            value = handler.call(this, new StubFrame(stub.name(), caller, args, stackArgument));
        }
        // A call like the stub's last one (a driver polling in a loop) is that record again: the call log of a
        // long run holds hundreds of thousands of calls, and a record per call was most of the run's garbage.
        StubCall made = last != null && last.arguments() == args && last.caller().equals(caller)
                && last.returned() == value ? last : new StubCall(stub.name(), caller, args, value);
        slot.last(made);
        stubCalls.add(made);
        if (redirected || finishedWith != null) {
            return; // the handler placed the guest elsewhere (or ended the call): the stub does not return
        }
        if (stub.name().equals("__stack_chk_fail")) {
            stop(faultHere(Fault.Kind.STACK_PROTECTOR, stub.address(),
                    "stack protector tripped: __stack_chk_fail called from " + caller));
            return;
        }
        uc.regWrite(GuestRegisterIds.of(x86 ? X86Register.RAX : Arm64Register.X0), value);
    }

    private List<Long> boxedArguments(int n) {
        Long[] boxed = new Long[n];
        for (int i = 0; i < n; i++) {
            boxed[i] = stubRegisterValues[i];
        }
        return List.of(boxed);
    }

    private static boolean sameArguments(List<Long> arguments, long[] values) {
        for (int i = 0; i < arguments.size(); i++) {
            if (arguments.get(i) != values[i]) {
                return false;
            }
        }
        return true;
    }

    /** {@code symbol+0xNN} of a stub call's return address, computed once per address (bounded). */
    private String callerOf(long returnAddress) {
        if (returnAddress == MemoryLayout.RETURN_SENTINEL) {
            return "<return>";
        }
        String known = callers.get(returnAddress);
        if (known == null) {
            if (callers.size() >= MAX_CALLERS) {
                callers.clear(); // a guest calling stubs with garbage on its stack: stay bounded
            }
            known = image.symbolizeReturn(returnAddress);
            callers.put(returnAddress, known);
        }
        return known;
    }

    private long readLong(long address) {
        try {
            return ByteBuffer.wrap(uc.memRead(address, 8)).order(ByteOrder.LITTLE_ENDIAN).getLong();
        } catch (UnicornException e) {
            return 0;
        }
    }

    private boolean onMemoryFault(Unicorn u, UcMemType type, long address, int size, long value) {
        boolean data = type == UcMemType.READ_UNMAPPED || type == UcMemType.WRITE_UNMAPPED;
        if (options.lenient() && data && lenientPages.size() < options.maxLenientPages()
                && !inStackGuard(address)) {
            long page = MemoryLayout.pageDown(address);
            try {
                u.memMap(page, MemoryLayout.PAGE, UcProt.READ | UcProt.WRITE);
                lenientPages.add(page);
                effects++;
                return true;
            } catch (UnicornException e) {
                // Not mappable (e.g. the access straddles into a mapped page): report the access as it is.
            }
        }
        // The hook is registered for invalid accesses only: READ, WRITE, FETCH and READ_AFTER never arrive here.
        Fault.Kind kind = switch (type) {
            case READ_UNMAPPED, WRITE_UNMAPPED, FETCH_UNMAPPED -> Fault.Kind.UNMAPPED_ACCESS;
            case READ_PROT, WRITE_PROT, FETCH_PROT, READ, WRITE, FETCH, READ_AFTER -> Fault.Kind.PROTECTION;
        };
        String what = switch (type) {
            case READ_UNMAPPED, READ_PROT -> "read of";
            case WRITE_UNMAPPED, WRITE_PROT -> "write of";
            case FETCH_UNMAPPED, FETCH_PROT, READ, WRITE, FETCH, READ_AFTER -> "instruction fetch from";
        };
        String detail = what + " " + size + " byte(s) at 0x" + Long.toHexString(address)
                + (inStackGuard(address) ? " (stack guard page: stack overflow)"
                : options.lenient() && data ? " (lenient page limit " + options.maxLenientPages() + " reached)" : "");
        if (pendingFault == null) {
            pendingFault = faultHere(kind, address, detail);
        }
        return false;
    }

    private boolean inStackGuard(long address) {
        long guard = MemoryLayout.STACK_TOP - options.stackSize() - MemoryLayout.PAGE;
        return address >= guard && address < guard + MemoryLayout.PAGE;
    }

    private boolean onException(GuestException e) {
        effects++;
        for (GuestExceptionHandler h : exceptionHandlers) {
            if (h.handle(this, e)) {
                return true;
            }
        }
        if (pendingFault == null) {
            pendingFault = e.kind() == GuestException.Kind.INVALID_INSTRUCTION
                    ? faultHere(Fault.Kind.INVALID_INSTRUCTION, e.pc(), "the emulator cannot execute this instruction")
                    : faultHere(Fault.Kind.UNEXPECTED_INTERRUPT, e.pc(), interruptName(e.interrupt()));
        }
        uc.emuStop();
        return false;
    }

    private String interruptName(int intno) {
        if (arch() == Arch.ARM64) {
            return switch (intno) {
                case 1 -> "exception 1 (UNDEF: undefined or trapped instruction)";
                case 2 -> "exception 2 (SVC)";
                case 3 -> "exception 3 (HVC)";
                case 7 -> "exception 7 (BKPT/BRK)";
                case 13 -> "exception 13 (SMC)";
                default -> "exception " + intno;
            };
        }
        return switch (intno) {
            case 1 -> "interrupt 1 (#DB)";
            case 3 -> "interrupt 3 (#BP, int3)";
            case 6 -> "interrupt 6 (#UD)";
            case 13 -> "interrupt 13 (#GP)";
            case 14 -> "interrupt 14 (#PF)";
            default -> "interrupt " + intno;
        };
    }

    private static int prot(Permissions p) {
        return (p.read() ? UcProt.READ : 0) | (p.write() ? UcProt.WRITE : 0) | (p.execute() ? UcProt.EXEC : 0);
    }

    private static byte[] le64(long v) {
        return ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putLong(v).array();
    }

    /**
     * The defined function containing {@code address}, if any.
     *
     * @param address a guest address
     * @return the function, or empty when no sized function covers {@code address}
     */
    public Optional<GuestSymbol> functionAt(long address) {
        return image.functions().stream().filter(f -> f.covers(address)).findFirst();
    }

    @Override
    public void close() {
        try {
            disassembler.close();
        } finally {
            uc.close();
        }
    }
}
