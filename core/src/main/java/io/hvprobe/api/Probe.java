package io.hvprobe.api;

import io.hvprobe.dwarf.SourceLine;
import io.hvprobe.guest.CallResult;
import io.hvprobe.guest.Fault;
import io.hvprobe.guest.GuestCall;
import io.hvprobe.guest.GuestMachine;
import io.hvprobe.guest.MachineSnapshot;
import io.hvprobe.guest.ProcessStack;
import io.hvprobe.guest.ResumePoint;
import io.hvprobe.guest.UnknownFunctionException;
import io.hvprobe.kernel.KernelEnvironment;
import io.hvprobe.kernel.KernelTable;
import io.hvprobe.loader.GuestImage;
import io.hvprobe.loader.GuestSymbol;
import io.hvprobe.loader.ImageLoader;
import io.hvprobe.loader.LoadException;
import io.hvprobe.run.CoreRule;
import io.hvprobe.run.FindingSite;
import io.hvprobe.run.SourceLocation;
import io.hvprobe.run.HypercallRecord;
import io.hvprobe.run.HypercallRecords;
import io.hvprobe.run.LocatedFinding;
import io.hvprobe.spi.Finding;
import io.hvprobe.spi.Hypervisor;
import io.hvprobe.spi.HypervisorSession;
import io.hvprobe.spi.Hypervisors;
import io.hvprobe.spi.SessionState;
import io.hvprobe.trap.TrapInterceptor;
import io.hvprobe.loader.IfuncSlot;
import io.hvprobe.trap.TrapSite;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.function.Consumer;

/**
 * The public entry point: load an object, run its functions against a hypervisor model, look at the
 * hypercall log and the findings.
 *
 * <pre>{@code
 * try (Probe probe = Probe.open(Path.of("vmw.o"), ProbeOptions.defaults())) {
 *     RunResult r = probe.run(GuestCall.of("hv_detect"));
 *     assertEquals(6, r.returnValue());
 *     assertEquals("GETVERSION", r.hypercalls().get(1).command());
 *     assertTrue(r.findings().isEmpty());
 * }
 * }</pre>
 *
 * Each {@link #run} starts from one whole machine state, at first the state the object was loaded in: every writable
 * guest page (.data, .bss, stub data, per-CPU area, heap, stack) and the CPU are restored from a snapshot, and the
 * plugin session is restored from a captured {@link SessionState} (at first a fresh session's: channels, cookies,
 * stores, clocks and queues start over). So a call's result does not depend on which calls ran before it, and a
 * verifier's baseline and reruns all see the same machine and hypervisor. To run calls that build on each other (an
 * init function, then one that uses what init set up) use {@link #runContinuing}, and {@link #startRunsFromHere} to
 * make what they left the state later runs start from. The emulator and the pre-scanned trap sites are reused. Not
 * thread-safe: one probe per thread.
 */
public final class Probe implements AutoCloseable {
    private final String object;
    private final ProbeOptions options;
    private final Hypervisor plugin;
    private final String profile;
    private final GuestMachine machine;
    private final TrapInterceptor interceptor;
    private final SessionSwitch sessions = new SessionSwitch();
    /** The other plugins, answering the traps they claim (a VMware backdoor call in a KVM run). */
    private final Companions companions;
    /** The guest machine every {@link #run} starts from. */
    private MachineSnapshot start;
    /** The hypervisor session every {@link #run} starts from. */
    private SessionState startSession;
    private TrapReach reach;
    private final List<String> startupNotes = new ArrayList<>();

    private Probe(String object, GuestImage image, ProbeOptions options) {
        this(object, new io.hvprobe.loader.LinkedProgram(image, List.of(), List.of(), List.of()), options);
    }

    private Probe(String object, io.hvprobe.loader.LinkedProgram program, ProbeOptions options) {
        GuestImage image = program.image();
        startupNotes.addAll(program.notes());
        this.object = object;
        this.options = options;
        this.plugin = Hypervisors.byName(options.hypervisor());
        this.profile = options.profileLabel(plugin.profiles());
        // Validate the profile before building the emulator, so a bad profile is one clear error.
        try (HypervisorSession fresh = plugin.openSession(options.hvOptions())) {
            this.startSession = fresh.capture();
        }
        this.companions = Companions.of(plugin, options.companions());
        KernelTable table = KernelTable.forImage(image.kind(), options.kernel().tables());
        this.machine = GuestMachine.create(image, options.machine());
        try {
            KernelEnvironment.install(machine, table, options.kernel().heapSize(), options.kernel().environment())
                    .runAtExit(program.destructors());
            List<TrapInterceptor.PluginSession> chain = new ArrayList<>(companions.pluginSessions());
            chain.add(new TrapInterceptor.PluginSession(plugin.name(), sessions));
            this.interceptor = TrapInterceptor.attach(machine, chain, options.cpu());
            interceptor.setUnclaimedPortValue(options.kernel().unclaimedPortValue());
            runStartup(image.got().ifuncs(), program.constructors());
            this.start = machine.snapshot();
        } catch (RuntimeException e) {
            machine.close();
            throw e;
        }
    }

    /**
     * Loads {@code object} and prepares it to run.
     *
     * @param object  the file: an ELF object, module, shared object, executable or raw blob
     * @param options hypervisor, machine, loader, kernel and CPU settings
     * @return the probe, owning an emulator instance: close it
     * @throws LoadException            for a file that cannot be loaded (one-line message)
     * @throws IllegalArgumentException for an unknown hypervisor, profile or setting
     */
    public static Probe open(Path object, ProbeOptions options) throws LoadException {
        return new Probe(object.toString(), ImageLoader.load(object, options.load()), options);
    }

    /**
     * Prepares an object loaded with the shared objects it needs ({@link ImageLoader#loadWith}): their constructors
     * run first, in order, and what they leave is the state every run starts from ({@link #startupNotes} says
     * which of them did not return).
     *
     * @param label   the object's name in findings
     * @param program the main object and the shared objects it needs, already loaded
     * @param options hypervisor, machine, loader, kernel and CPU settings
     * @return the probe, owning an emulator instance: close it
     */
    public static Probe open(String label, io.hvprobe.loader.LinkedProgram program, ProbeOptions options) {
        return new Probe(label, program, options);
    }

    /**
     * One line per thing at start-up that is not as a dynamic loader would have it: a needed library not given, a
     * constructor that faulted or ran out of budget (its effects up to there stay).
     *
     * @return the notes, empty when start-up went as a dynamic loader's would
     */
    public List<String> startupNotes() {
        return List.copyOf(startupNotes);
    }

    /**
     * Runs the ifunc resolvers (filling their slots) and then each constructor, each from the state the previous
     * one left, with a session that later runs do not see: as the dynamic loader relocates, then initialises.
     */
    private void runStartup(List<IfuncSlot> ifuncs, List<Long> constructors) {
        if (ifuncs.isEmpty() && constructors.isEmpty()) {
            return;
        }
        HypervisorSession session = plugin.openSession(options.hvOptions());
        try {
            session.restore(startSession);
            sessions.plug(session);
            for (IfuncSlot slot : ifuncs) {
                CallResult r = machine.call(slot.resolver(), IfuncResolverArguments.of(machine.arch()));
                long target = switch (r) {
                    case CallResult.Returned ret -> ret.value();
                    case CallResult.Faulted f -> {
                        startupNotes.add("ifunc resolver " + machine.symbolize(slot.resolver()) + " did not return: "
                                + f.fault().describe() + "; its slot at 0x" + Long.toHexString(slot.slot())
                                + " holds 0");
                        yield 0L;
                    }
                };
                machine.write(slot.slot(), java.nio.ByteBuffer.allocate(8).order(java.nio.ByteOrder.LITTLE_ENDIAN)
                        .putLong(target).array());
            }
            for (long c : constructors) {
                CallResult r = machine.call(c, List.of());
                if (r instanceof CallResult.Faulted f) {
                    startupNotes.add("constructor " + machine.symbolize(c) + " did not return: "
                            + f.fault().describe());
                }
            }
        } finally {
            sessions.plug(null); // closes it
        }
        interceptor.clearLog();
    }

    /**
     * Prepares an already loaded image; {@code label} names the object in findings.
     *
     * @param label   the object's name in findings
     * @param image   the loaded image
     * @param options hypervisor, machine, loader, kernel and CPU settings
     * @return the probe, owning an emulator instance: close it
     */
    public static Probe open(String label, GuestImage image, ProbeOptions options) {
        return new Probe(label, image, options);
    }

    /** {@return the loaded image} */
    public GuestImage image() {
        return machine.image();
    }

    /**
     * {@return the guest machine (for low-level use: tracing, memory inspection); owned by this probe, closed with it}
     */
    public GuestMachine machine() {
        return machine;
    }

    /** {@return the trap interceptor (for listeners and write adjusters); owned by this probe} */
    public TrapInterceptor interceptor() {
        return interceptor;
    }

    /** {@return the hypervisor plugin, found by {@link ProbeOptions#hypervisor()}} */
    public Hypervisor hypervisor() {
        return plugin;
    }

    /** {@return the profile label findings carry ({@link ProbeOptions#profileLabel})} */
    public String profile() {
        return profile;
    }

    /** {@return the options this probe was opened with} */
    public ProbeOptions options() {
        return options;
    }

    /** {@return the object label findings carry} */
    public String object() {
        return object;
    }

    /** {@return the trap sites the pre-scan found, in address order} */
    public List<TrapSite> sites() {
        return interceptor.sites();
    }

    /** {@return defined functions that contain at least one trap site, in address order} */
    public List<GuestSymbol> trapFunctions() {
        java.util.TreeSet<Long> at = new java.util.TreeSet<>();
        sites().forEach(t -> at.add(t.address()));
        return image().functions().stream().filter(f -> {
            Long first = at.ceiling(f.address());
            return first != null && f.covers(first);
        }).toList();
    }

    /**
     * Which functions reach a trap site through direct calls, and which of them a caller outside the object
     * starts from (computed on first use).
     *
     * @return the reachability, computed once and kept
     */
    public TrapReach trapReach() {
        if (reach == null) {
            reach = TrapReach.of(machine, sites());
        }
        return reach;
    }

    /**
     * Makes the current state the one every later {@link #run} (and so every verification, its baseline and its
     * reruns) starts from: the guest memory and CPU the last run left, and a capture of its plugin session
     * (channels it opened, a started balloon, stored guestinfo...). E.g. run a module's init function with
     * {@link #runContinuing}, call this, then verify the functions that use what init set up. Before any run this
     * changes nothing.
     */
    public void startRunsFromHere() {
        MachineSnapshot next = machine.snapshot();
        start.close();
        start = next;
        if (sessions.current() != null) {
            startSession = sessions.current().capture();
        }
        companions.startRunsFromHere();
    }

    /**
     * Runs {@code call} from the start state (at first the loaded one) with the start session.
     *
     * @param call the function and its arguments
     * @return the run: how it ended, its hypercalls and findings
     * @throws UnknownFunctionException if the function is not defined in the image
     */
    public RunResult run(GuestCall call) throws UnknownFunctionException {
        return run(call, s -> { });
    }

    /**
     * Runs {@code call} from the start state (memory and CPU as the object was loaded or as {@link #startRunsFromHere}
     * kept them, whatever ran since); {@code setup} gets the plugin session, restored to the start session, first
     * (e.g. to queue host events).
     *
     * @param call  the function and its arguments
     * @param setup called with the session before the call starts
     * @return the run: how it ended, its hypercalls and findings
     * @throws UnknownFunctionException if the function is not defined in the image
     */
    public RunResult run(GuestCall call, Consumer<HypervisorSession> setup) throws UnknownFunctionException {
        return run(call, setup, 0);
    }

    /**
     * Runs {@code call} from the loaded state with at most {@code instructionLimit} instructions (capped by the
     * machine's budget; 0 = the machine's budget), e.g. what is left of a budget shared by several runs.
     *
     * @param call             the function and its arguments
     * @param instructionLimit most instructions, 0 or more; 0 = the machine's budget
     * @return the run; {@code INSTRUCTION_LIMIT} when the limit ended it
     * @throws UnknownFunctionException if the function is not defined in the image
     */
    public RunResult run(GuestCall call, long instructionLimit) throws UnknownFunctionException {
        return run(call, s -> { }, instructionLimit);
    }

    private RunResult run(GuestCall call, Consumer<HypervisorSession> setup, long instructionLimit)
            throws UnknownFunctionException {
        machine.restore(start);
        HypervisorSession session = plugin.openSession(options.hvOptions());
        session.restore(startSession);
        sessions.plug(session);
        companions.plugFromStart();
        setup.accept(session);
        return execute(call, instructionLimit);
    }

    /**
     * Takes {@link TrapPoint}s during one run of this probe ({@link TrapPointSeeker}).
     */
    public interface TrapPointSeeker {
        /**
         * Whether to take a point at the trap the run reached now, where one can be taken.
         *
         * @param trap         the trap's sequence number: the hypercalls made before it
         * @param instructions the instructions the run has executed up to the trap (its translation block whole)
         * @return true to be given the point ({@link #take})
         */
        boolean wants(long trap, long instructions);

        /**
         * The point taken where {@link #wants} said so.
         *
         * @param point the state there; the seeker owns it (close it)
         */
        void take(TrapPoint point);

        /** No later trap of the run gets a point (see {@link io.hvprobe.guest.ResumeSeeker#refused}). */
        void refused();
    }

    /**
     * Lets {@code seeker} take {@link TrapPoint}s during the next {@link #run}: at each trap the run reaches, before
     * the trap is answered, as long as nothing but the guest's own instructions and the answers of the traps before it
     * ran since the call started ({@link GuestMachine#seekResumePoints}); a trap answered where no site hook saw it (an
     * exception) or a hypercall log that dropped records ends the points too. A rerun of the same call whose answers
     * are the run's up to such a trap may then start there ({@link #resume}).
     *
     * @param seeker  asked from inside the run; null forgets one not asked yet
     * @param written filled by the caller with every page the guest writes during the run (a memory-write hook on all
     *                memory, added before the run)
     */
    public void seekTrapPoints(TrapPointSeeker seeker, io.hvprobe.guest.WrittenPages written) {
        if (seeker == null) {
            machine.seekResumePoints(null, null);
            return;
        }
        machine.seekResumePoints(new io.hvprobe.guest.ResumeSeeker() {
            private boolean ended;

            @Override
            public boolean wants(long reach, long instructions) {
                if (ended) {
                    return false;
                }
                if (interceptor.log().count() != reach || interceptor.log().truncated()) {
                    // A trap answered without its site being reached (an exception, rewritten code), a site reached
                    // without an answer, or records dropped: the log cannot be carried from here on.
                    refused();
                    return false;
                }
                return seeker.wants(reach, instructions);
            }

            @Override
            public void take(ResumePoint point) {
                seeker.take(new TrapPoint(point, interceptor.log().prefix().orElseThrow(), sessions.capture(),
                        companions.capture()));
            }

            @Override
            public void refused() {
                if (!ended) {
                    ended = true;
                    seeker.refused();
                }
            }
        }, written);
    }

    /**
     * Runs {@code call} again from {@code point}, taken in a {@link #run} of the same call from the current start
     * state: the machine, the hypercall log and the plugin sessions as they were at the point's trap. The same as
     * {@link #run(GuestCall, long)} as long as the hypervisor answers nothing differently before that trap (its answer
     * and everything after may differ). The result counts the instructions and holds the hypercalls from the entry, as
     * the run from the entry would.
     *
     * <p>One exception: a run the instruction limit ended may have ended up to one translation block earlier than the
     * run from the entry (see {@link GuestMachine#resume}); a caller that needs where such a run ends reruns it with
     * {@link #run(GuestCall, long)}.
     *
     * @param call             the call the point was taken in
     * @param point            its trap point
     * @param instructionLimit most instructions from the entry, 0 or more; 0 = the machine's budget
     * @return the run
     * @throws UnknownFunctionException if the function is not defined in the image
     * @throws IllegalArgumentException if the point was taken in a call of another function
     */
    public RunResult resume(GuestCall call, TrapPoint point, long instructionLimit) throws UnknownFunctionException {
        GuestSymbol fn = machine.image().symbol(call.function()).orElseThrow(() -> new UnknownFunctionException(
                machine.image().name(), call.function(),
                machine.image().functions().stream().map(GuestSymbol::name).toList()));
        ResumePoint at = point.machine();
        if (fn.address() != at.entry()) {
            throw new IllegalArgumentException("the resume point was taken in a call of "
                    + machine.symbolize(at.entry()) + ", not of " + call.function());
        }
        machine.restore(start);
        HypervisorSession session = plugin.openSession(options.hvOptions());
        session.restore(point.session());
        sessions.plug(session);
        companions.plugFrom(point.companions());
        return record(call.function(), () -> {
            interceptor.log().continueAfter(point.hypercalls());
            return machine.resume(at, instructionLimit);
        });
    }

    /**
     * Runs {@code call} on the guest memory the previous run left behind and with the same plugin session (its
     * channels and host state continue): for calls that build on each other, e.g. a module's init function and
     * then a function using what init set up. The first call of a probe continues from the loaded state with the
     * start session. Registers start as for every call.
     *
     * @param call the function and its arguments
     * @return the run: how it ended, its hypercalls and findings
     * @throws UnknownFunctionException if the function is not defined in the image
     */
    public RunResult runContinuing(GuestCall call) throws UnknownFunctionException {
        if (sessions.current() == null) {
            HypervisorSession session = plugin.openSession(options.hvOptions());
            session.restore(startSession);
            sessions.plug(session);
        }
        companions.plugIfAbsent();
        return execute(call, 0);
    }

    /**
     * Runs the object as a program from its ELF entry point, from the start state with the start session: the
     * initial stack holds {@code argv} ({@code argv[0]} included), the kernel options' environment and an
     * auxiliary vector; the C library's start-up calls {@code main}, and the run ends when main returns or the
     * program calls {@code exit}: the result's return value is the exit status (its low 8 bits are what a shell sees),
     * and the program's standard output and error are its {@code STDOUT}/{@code STDERR} events.
     *
     * @param argv the program's arguments, {@code argv[0]} first; not empty
     * @return the run, whose return value is the exit status
     * @throws IllegalArgumentException if the image has no entry point (a shared object without one, an object file)
     */
    public RunResult runProgram(List<String> argv) {
        long entry = machine.image().entryPoint().orElseThrow(() -> new IllegalArgumentException(
                machine.image().name() + " has no ELF entry point to start a program from"));
        ProcessStack stack = new ProcessStack(argv, options.kernel().environment(),
                machine.arch() == io.hvprobe.arch.Arch.X86_64 ? "x86_64" : "aarch64");
        machine.restore(start);
        HypervisorSession session = plugin.openSession(options.hvOptions());
        session.restore(startSession);
        sessions.plug(session);
        companions.plugFromStart();
        return record(ENTRY, () -> machine.start(entry, stack, 0));
    }

    /** The function name a {@link #runProgram} result carries. */
    public static final String ENTRY = "<entry>";

    private RunResult execute(GuestCall call, long instructionLimit) throws UnknownFunctionException {
        GuestSymbol fn = machine.image().symbol(call.function()).orElseThrow(() -> new UnknownFunctionException(
                machine.image().name(), call.function(),
                machine.image().functions().stream().map(GuestSymbol::name).toList()));
        return record(call.function(), () -> machine.call(fn.address(), call.arguments(), instructionLimit));
    }

    private RunResult record(String function, java.util.function.Supplier<CallResult> run) {
        interceptor.clearLog();
        CallResult result = run.get();
        HypercallRecords records = interceptor.log().records();
        List<LocatedFinding> findings = new ArrayList<>();
        for (HypercallRecord r : records.withFindings()) {
            for (Finding f : r.findings()) {
                findings.add(new LocatedFinding(f, siteOf(r.event().pc())));
            }
        }
        if (result instanceof CallResult.Faulted faulted) {
            faultFinding(faulted.fault()).ifPresent(findings::add);
        }
        return new RunResult(function, result, records, interceptor.log().count(), findings, machine.events());
    }

    /**
     * The source line and inline chain of {@code pc}, from the object's debug information: the one place a
     * finding's address becomes a source position (for {@link FindingSite}'s source location).
     *
     * @param pc a guest address in the image
     * @return the source line, or empty when the object has no debug information covering {@code pc}
     */
    public Optional<SourceLine> sourceOf(long pc) {
        return machine.image().source(pc);
    }

    /**
     * Where {@code pc} is, for a finding.
     *
     * @param pc a guest address
     * @return the object, function, offset, profile, variant and source location of {@code pc}
     */
    public FindingSite siteOf(long pc) {
        FindingSite site = machine.functionAt(pc)
                .map(f -> new FindingSite(object, f.name(), pc - f.address(), machine.arch(), options.variant(), profile))
                .orElse(new FindingSite(object, "", pc, machine.arch(), options.variant(), profile));
        return sourceOf(pc).flatMap(SourceLocation::from).map(site::withSource).orElse(site);
    }

    /** The finding of a run that ended without returning; none for a call that does not return by its nature. */
    private Optional<LocatedFinding> faultFinding(Fault fault) {
        // BUG() is the code's own assertion: reaching it with invented inputs is worth knowing, not a defect. The
        // wall clock decides nothing about the guest: a run it ended is inconclusive. Both rules are notes.
        CoreRule rule = switch (fault.kind()) {
            case NO_RETURN -> null;
            case UNHANDLED_TRAP -> CoreRule.UNHANDLED_TRAP;
            case BUDGET_EXHAUSTED -> CoreRule.BUDGET;
            case ENDLESS_LOOP -> CoreRule.ENDLESS_LOOP;
            case TIMEOUT -> CoreRule.INCONCLUSIVE;
            case BUG -> CoreRule.BUG;
            case UNMAPPED_ACCESS, PROTECTION, INVALID_INSTRUCTION, UNEXPECTED_INTERRUPT, STACK_PROTECTOR,
                 EMULATOR_ERROR -> CoreRule.FAULT;
        };
        if (rule == null) {
            return Optional.empty();
        }
        Map<String, String> evidence = new TreeMap<>();
        evidence.put("pc", "0x" + Long.toHexString(fault.pc()));
        evidence.put("instruction", fault.instruction());
        evidence.put("kind", fault.kind().name().toLowerCase(java.util.Locale.ROOT));
        if (fault.address() != fault.pc()) {
            evidence.put("address", "0x" + Long.toHexString(fault.address()));
        }
        // Where the run went, and so where it faulted, looped or reached a trap no plugin claims (a kernel BUG()'s
        // BRK, an OUT to an I/O port read from memory), follows from the arguments and the state it started from:
        // invented ones make this at most a note (docs/verifier.md, "Invented inputs"; CoreRule's "rests on").
        return Optional.of(new LocatedFinding(rule.finding(fault.describe(), evidence), siteOf(fault.pc())));
    }

    @Override
    public void close() {
        try {
            sessions.close();
            companions.close();
        } finally {
            machine.close();
        }
    }
}
