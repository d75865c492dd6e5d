package io.hvprobe.trap;

import io.hvprobe.arch.Arch;
import io.hvprobe.arch.GuestRegister;
import io.hvprobe.arch.RegisterSnapshot;
import io.hvprobe.arch.X86Register;
import io.hvprobe.guest.Fault;
import io.hvprobe.guest.GuestException;
import io.hvprobe.guest.GuestMachine;
import io.hvprobe.guest.Instrumentation;
import io.hvprobe.guest.KernelEvent;
import io.hvprobe.loader.Segment;
import io.hvprobe.run.HypercallLog;
import io.hvprobe.run.HypercallRecord;
import io.hvprobe.spi.HypervisorSession;
import io.hvprobe.spi.InstructionBytes;
import io.hvprobe.spi.MemoryWrite;
import io.hvprobe.spi.RegisterWrite;
import io.hvprobe.spi.TrapDetail;
import io.hvprobe.spi.TrapEvent;
import io.hvprobe.spi.TrapForm;
import io.hvprobe.spi.TrapOutcome;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Supplier;

/**
 * Routes every trap instruction a {@link GuestMachine} executes to hypervisor plugin sessions and applies
 * their answers.
 *
 * <p>Mechanism (see the measured Unicorn 2.0.1 behaviour): executable segments are pre-scanned for trap
 * sites and each site gets a code hook on its exact address ({@link Instrumentation#hookSite}: in the emulator only
 * while a call reaches it); the hook builds a {@link TrapEvent}, asks the
 * sessions in order, applies the first {@link TrapOutcome.Handled} (memory writes, then register writes)
 * and moves the program counter past the instruction, so the emulator never executes it. Safety nets catch
 * sites the scan could not know: invalid-instruction and interrupt exceptions are decoded at the program
 * counter; writes into writable+executable memory put a decoding code hook on the written page; IN/OUT
 * that still reach the emulator end the call with a fault naming the port.
 *
 * <p>CPUID leaves nobody claims are answered by a {@link CpuModel}. Port I/O nobody claims is a plain device
 * (SVGA registers, the PC speaker, a gameport): reads return {@link #setUnclaimedPortValue the unclaimed-port
 * value}, writes are dropped, and each access is a {@link KernelEvent.Kind#DEVICE_IO} event, not a hypercall and
 * not a finding. Any other unclaimed trap ends the call with an {@link Fault.Kind#UNHANDLED_TRAP} fault such as
 * {@code unhandled VMCALL at vmw_probe+0x1c}.
 */
public final class TrapInterceptor {

    /**
     * A plugin's per-run session with the plugin's name.
     *
     * @param plugin  the plugin's name, as findings and hypercall records name it
     * @param session the plugin's session; the interceptor asks it but does not close it
     */
    public record PluginSession(String plugin, HypervisorSession session) {
    }

    /**
     * Lets a run change the register writes applied after a plugin answered (the verifier's differential
     * runs add poison values for registers the contract lets the hypervisor change).
     */
    @FunctionalInterface
    public interface WriteAdjuster {
        /**
         * The writes to apply instead of {@code writes}.
         *
         * @param event   the trap, registers before
         * @param outcome the plugin's answer
         * @param writes  the writes the plugin's answer gives, in order
         * @return the writes to apply, in order
         */
        List<RegisterWrite> adjust(TrapEvent event, TrapOutcome.Handled outcome, List<RegisterWrite> writes);
    }

    /** Told about each hypercall after its effects were applied. */
    @FunctionalInterface
    public interface HypercallListener {
        /**
         * Called on the emulation thread.
         *
         * @param record the hypercall, its outcome and the registers after it
         */
        void onHypercall(HypercallRecord record);
    }

    /**
     * Asked before each trap is handled whether the call may go on (e.g. a verifier's work budget, which counts
     * hypercalls as well as instructions); a refusal ends the call with a budget fault at the trap.
     */
    @FunctionalInterface
    public interface TrapGate {
        /**
         * Why the call must end before its next trap, given the traps handled so far; empty to go on.
         *
         * @param handled traps handled so far in the call
         * @return the reason, one line, or empty to go on
         */
        Optional<String> refusal(long handled);
    }

    /** The gate that lets every trap through. */
    public static final TrapGate OPEN = handled -> Optional.empty();

    private static final String CPU_MODEL = "cpu-model";
    private static final String DEVICE = "device";
    /** Most bytes one unclaimed string I/O instruction moves before the call ends instead. */
    private static final long MAX_DEVICE_STRING = 1 << 20;
    /** arm64 exception numbers whose reported PC is the instruction after the one that raised them. */
    private static final int ARM64_EXCP_SVC = 2;
    private static final int ARM64_EXCP_HVC = 3;
    private static final int ARM64_EXCP_SMC = 13;
    private static final int MAX_MEMORY_READ = 1 << 20;

    private final GuestMachine machine;
    private final Instrumentation uc;
    private final List<PluginSession> sessions;
    private final CpuModel cpu;
    private final TrapSiteScanner scanner;
    private final List<TrapSite> sites = new ArrayList<>();
    private final BugTable bugs;
    private final Set<Long> watchedPages = new HashSet<>();
    /** Each site's function+offset, computed once: a trap in a loop would otherwise rebuild it per hit. */
    private final Map<Long, String> locations = new HashMap<>();
    private TrapSite lastLocated;
    /** The last hypercall record's plugin and answer, shared by the next record when they are the same. */
    private Optional<String> lastPlugin = Optional.empty();
    private Optional<TrapOutcome.Handled> lastOutcome = Optional.empty();
    private String lastLocation;
    /** Bound once: a method reference built in the trap path would be a new object per trap. */
    private final java.util.function.Function<Long, String> symbolize;
    private final HypercallLog log;
    private final List<HypercallListener> listeners = new ArrayList<>();
    private TrapGate gate = OPEN;
    private final EmulatorMemoryView memory;
    /** Scratch of {@link #handle}: the registers before a trap (snapshots copy it) and after it. */
    private final long[] registers;
    private final long[] afterValues;
    /** Scratch of {@link #writeRegisters}: the registers an answer wrote (and the PC), those whose value changed. */
    private final int[] touchedIndexes;
    private final int[] changedIndexes;
    private final long[] changedValues;
    /** The last site {@link #detailOf} built a detail for, the registers its detail reads, the values it had. */
    private TrapSite detailSite;
    private List<GuestRegister> detailInputs;
    private RegisterSnapshot detailRegisters;
    private TrapDetail lastDetail;
    private WriteAdjuster adjuster = (e, o, w) -> w;
    /** Absent ISA/PCI devices float the bus high. */
    private long unclaimedPortValue = 0xFFFF_FFFFL;

    private TrapInterceptor(GuestMachine machine, List<PluginSession> sessions, CpuModel cpu,
                            TrappedSystemRegisters trapped, HypercallLog log) {
        this.machine = machine;
        this.symbolize = machine::symbolize;
        this.log = log;
        this.uc = machine.instrumentation();
        this.sessions = List.copyOf(sessions);
        this.cpu = cpu;
        TrapDecoder decoder = new TrapDecoder(trapped);
        this.scanner = machine.arch() == Arch.X86_64 ? TrapSiteScanner.x86(machine.disassembler(), decoder)
                : TrapSiteScanner.arm64(decoder);
        this.memory = new EmulatorMemoryView(uc, MAX_MEMORY_READ);
        this.bugs = BugTable.of(machine.image());
        this.registers = new long[machine.arch().registers().size()];
        this.afterValues = new long[registers.length];
        this.touchedIndexes = new int[registers.length];
        this.changedIndexes = new int[registers.length];
        this.changedValues = new long[registers.length];
    }

    /**
     * Scans {@code machine}'s executable segments and installs the interception hooks.
     *
     * @param machine the machine holding the loaded image; the interceptor's hooks stay on it
     * @param sessions plugin sessions, asked in order
     * @param cpu      answers for unclaimed CPUID leaves
     * @return the interceptor, with an empty log of the default capacity and {@link TrappedSystemRegisters#defaults()}
     */
    public static TrapInterceptor attach(GuestMachine machine, List<PluginSession> sessions, CpuModel cpu) {
        return attach(machine, sessions, cpu, TrappedSystemRegisters.defaults());
    }

    /**
     * As {@link #attach(GuestMachine, List, CpuModel)}, with the set of arm64 system registers that trap.
     *
     * @param machine  the machine holding the loaded image; the interceptor's hooks stay on it
     * @param sessions plugin sessions, asked in order
     * @param cpu      answers for unclaimed CPUID leaves
     * @param trapped  the arm64 system registers whose accesses trap
     * @return the interceptor, with an empty log of the default capacity
     */
    public static TrapInterceptor attach(GuestMachine machine, List<PluginSession> sessions, CpuModel cpu,
                                         TrappedSystemRegisters trapped) {
        return attach(machine, sessions, cpu, trapped, new HypercallLog());
    }

    /**
     * As {@link #attach(GuestMachine, List, CpuModel, TrappedSystemRegisters)}, recording into {@code log}
     * (e.g. one with a small capacity for guests that trap millions of times).
     *
     * @param machine  the machine holding the loaded image; the interceptor's hooks stay on it
     * @param sessions plugin sessions, asked in order
     * @param cpu      answers for unclaimed CPUID leaves
     * @param trapped  the arm64 system registers whose accesses trap
     * @param log      where hypercalls are recorded; the interceptor writes it, the caller reads it
     * @return the interceptor
     */
    public static TrapInterceptor attach(GuestMachine machine, List<PluginSession> sessions, CpuModel cpu,
                                         TrappedSystemRegisters trapped, HypercallLog log) {
        TrapInterceptor t = new TrapInterceptor(machine, sessions, cpu, trapped, log);
        t.install();
        return t;
    }

    /** {@return the sites the pre-scan found, in address order} */
    public List<TrapSite> sites() {
        return List.copyOf(sites);
    }

    /** {@return the kernel's BUG()/WARN() sites ({@code __bug_table}): handled as the kernel does, never as traps} */
    public BugTable bugs() {
        return bugs;
    }

    /** {@return the hypercall log (cleared by {@link #clearLog()} between calls if wanted)} */
    public HypercallLog log() {
        return log;
    }

    /** Forgets logged hypercalls. */
    public void clearLog() {
        log.clear();
    }

    /**
     * Replaces the write adjuster (identity by default).
     *
     * @param adjuster the adjuster applied to every later trap
     */
    public void setWriteAdjuster(WriteAdjuster adjuster) {
        this.adjuster = adjuster;
    }

    /**
     * What reads from ports no plugin claims return (masked to the access size).
     *
     * @param value the value, 0 to {@code 0xFFFFFFFF}
     */
    public void setUnclaimedPortValue(long value) {
        this.unclaimedPortValue = value;
    }

    /**
     * Adds a listener.
     *
     * @param listener told about every later hypercall, on the emulation thread
     */
    public void addListener(HypercallListener listener) {
        listeners.add(listener);
    }

    /**
     * Removes a listener added before.
     *
     * @param listener a listener; nothing happens when it was not added
     */
    public void removeListener(HypercallListener listener) {
        listeners.remove(listener);
    }

    /** {@return the current trap gate} */
    public TrapGate gate() {
        return gate;
    }

    /**
     * Replaces the trap gate ({@link #OPEN} by default).
     *
     * @param gate asked before every later trap
     */
    public void setGate(TrapGate gate) {
        this.gate = gate;
    }

    /** {@return the current write adjuster} */
    public WriteAdjuster writeAdjuster() {
        return adjuster;
    }

    private void install() {
        for (Segment s : machine.image().segments()) {
            if (!s.permissions().execute() || s.size() == 0) {
                continue;
            }
            for (TrapSite site : scanner.scan(s.initialized(), s.address())) { // zero bytes never trap
                if (bugs.at(site.address()).isPresent()) {
                    continue; // arm64 brk #0x800 of BUG()/WARN(): hooked below
                }
                sites.add(site);
                KnownSite known = new KnownSite(site, !s.permissions().write());
                uc.hookSite(site.address(), (address, size) -> onKnownSite(known));
            }
            if (s.permissions().write()) {
                uc.hookMemoryWrite(s.address(), s.end() - 1, (address, size, value) -> onCodeWrite(address));
            }
        }
        for (BugSite bug : bugs.sites()) {
            uc.hookSite(bug.address(), (address, size) -> onBug(bug));
        }
        machine.addExceptionHandler(this::onException);
        if (machine.arch() == Arch.X86_64) {
            uc.hookIn((port, size) -> {
                unscannedIo("in", port);
                return 0xFFFF_FFFF;
            });
            uc.hookOut((port, size, value) -> unscannedIo("out", port));
            uc.hookCpuid(this::onUnscannedCpuid);
        }
    }

    /**
     * CPUID the scan did not find (a known site never gets here: its code hook skips the instruction). Unicorn
     * syncs RIP before CPUID, so the site is exact; the answer is written in place and the hook tells Unicorn to
     * skip its own CPUID.
     */
    private boolean onUnscannedCpuid() {
        long pc = uc.pc();
        Optional<TrapSite> site = scanner.siteAt(pc, machine.readCode(pc)).filter(s -> s.form() == TrapForm.CPUID);
        if (site.isEmpty()) {
            machine.stop(machine.faultHere(Fault.Kind.UNHANDLED_TRAP, pc,
                    "cpuid executed at a site the interceptor cannot locate"));
            return true;
        }
        handle(site.get(), Resume.IN_PLACE);
        return true;
    }

    /**
     * The kernel's WARN() logs and resumes after the trap; its BUG() ends the run (a kernel would oops there).
     * Neither is a hypercall.
     */
    private void onBug(BugSite bug) {
        String location = locations.computeIfAbsent(bug.address(), machine::symbolize);
        if (bug.warning()) {
            machine.record(new KernelEvent(KernelEvent.Kind.WARN, location, bug.describe() + " reached"));
            uc.regWrite(machine.arch().programCounter(),
                    bug.address() + bug.length());
            return;
        }
        machine.record(new KernelEvent(KernelEvent.Kind.BUG, location, bug.describe() + " reached"));
        GuestRegister pc = machine.arch().programCounter();
        machine.stop(new Fault(Fault.Kind.BUG, bug.address(), location, machine.disassembleAt(bug.address()),
                bug.address(), "BUG() reached" + bug.file().map(f -> " (" + bug.describe() + ")").orElse(""),
                uc.readSnapshot().with(pc, bug.address())));
    }

    /**
     * A site the pre-scan found, with what its hook keeps between hits.
     */
    private static final class KnownSite {
        final TrapSite site;
        /**
         * Whether the site lies in a segment the guest cannot write (no write permission), so that only the host's
         * {@link GuestMachine#write}s can change its bytes.
         */
        final boolean readOnly;
        /** {@link GuestMachine#codeWrites()} when the bytes were last found unchanged; -1 before. */
        long checkedAt = -1;
        /** The site's bytes as every event at it carries them: one object, not a copy per trap. */
        final InstructionBytes bytes;

        KnownSite(TrapSite site, boolean readOnly) {
            this.site = site;
            this.readOnly = readOnly;
            this.bytes = InstructionBytes.of(site.sharedBytes());
        }
    }

    private void onKnownSite(KnownSite known) {
        TrapSite site = known.site;
        // Read-only code nobody wrote since the last look is as it was: no re-read per hit of a trap in a loop.
        if (known.readOnly && known.checkedAt == machine.codeWrites()) {
            handle(site, Resume.SKIP, known.bytes);
            return;
        }
        // Code may have been rewritten since the scan: trust the bytes that are there now.
        byte[] now = machine.readCode(site.address());
        if (now.length >= site.length()
                && java.util.Arrays.equals(now, 0, site.length(), site.sharedBytes(), 0, site.length())) {
            known.checkedAt = machine.codeWrites();
            handle(site, Resume.SKIP, known.bytes);
        } else {
            known.checkedAt = -1;
            scanner.siteAt(site.address(), now).ifPresent(this::handle);
        }
    }

    private void onDynamicCode(long address) {
        scanner.siteAt(address, machine.readCode(address)).ifPresent(this::handle);
    }

    private void onCodeWrite(long address) {
        long page = address & -0x1000L;
        if (watchedPages.add(page)) {
            uc.hookCode(page, page + 0xFFF, (a, size) -> onDynamicCode(a));
        }
    }

    private void unscannedIo(String what, int port) {
        machine.stop(machine.faultHere(Fault.Kind.UNHANDLED_TRAP, uc.pc(), String.format(Locale.ROOT,
                "%s on port 0x%x executed at a site the pre-scan did not find (the IN/OUT hook cannot locate"
                        + " it; put such code in writable+executable memory so it is watched)", what, port)));
    }

    private boolean onException(GuestMachine m, GuestException e) {
        Optional<ExceptionSite> where = trapAddressOf(m.arch(), e);
        if (where.isEmpty()) {
            return false;
        }
        long pc = where.get().address();
        Optional<TrapSite> site = scanner.siteAt(pc, machine.readCode(pc));
        if (site.isEmpty() || where.get().form().map(f -> f != site.get().form()).orElse(false)) {
            return false;
        }
        handle(site.get());
        return true;
    }

    /** Where the trap that raised an exception starts, and the form it must have when only one form fits. */
    private record ExceptionSite(long address, Optional<TrapForm> form) {
    }

    /**
     * Which instruction raised {@code e}. Only exceptions a trap instruction raises are considered: an x86
     * software interrupt ({@code int3}, {@code int n}) or an arm64 {@code SVC} reports the address after
     * itself, and decoding there would swallow the interrupt and run whatever trap follows it instead.
     */
    private static Optional<ExceptionSite> trapAddressOf(Arch arch, GuestException e) {
        if (arch == Arch.X86_64) {
            // VMCALL, VMMCALL, TDCALL and RDPMC raise #UD at their own address; interrupts are never traps.
            return e.kind() == GuestException.Kind.INVALID_INSTRUCTION
                    ? Optional.of(new ExceptionSite(e.pc(), Optional.empty())) : Optional.empty();
        }
        if (e.kind() != GuestException.Kind.INTERRUPT) {
            return Optional.of(new ExceptionSite(e.pc(), Optional.empty()));
        }
        return switch (e.interrupt()) {
            case ARM64_EXCP_SVC -> Optional.empty();
            case ARM64_EXCP_SMC -> Optional.of(new ExceptionSite(e.pc() - 4, Optional.of(TrapForm.SMC)));
            case ARM64_EXCP_HVC -> Optional.of(new ExceptionSite(e.pc() - 4, Optional.of(TrapForm.HVC)));
            // UNDEF (HVC without EL2, trapped MRS/MSR) and BKPT (BRK) report the instruction itself.
            default -> Optional.of(new ExceptionSite(e.pc(), Optional.empty()));
        };
    }

    /** How the guest gets past a handled trap. */
    private enum Resume {
        /** The hook runs before the instruction: set the PC past it so the emulator never executes it. */
        SKIP,
        /**
         * The hook runs inside the instruction's own emulation, which moves the PC on by itself: write only
         * the registers that changed (writing the PC here would restart the instruction).
         */
        IN_PLACE
    }

    private void handle(TrapSite site) {
        handle(site, Resume.SKIP);
    }

    private void handle(TrapSite site, Resume resume) {
        handle(site, resume, InstructionBytes.of(site.sharedBytes()));
    }

    /** Handles a trap at {@code site}, whose bytes events carry as {@code bytes}. */
    private void handle(TrapSite site, Resume resume, InstructionBytes bytes) {
        Optional<String> refused = gate.refusal(log.count());
        if (refused.isPresent()) {
            stopAt(site, Fault.Kind.BUDGET_EXHAUSTED, site.address(), refused.get());
            return;
        }
        int pcIndex = machine.arch().programCounter().index();
        uc.readRegisters(registers);
        // Hooks see the PC of the trap; events always report the site itself.
        registers[pcIndex] = site.address();
        RegisterSnapshot before = RegisterSnapshot.of(machine.arch(), registers);
        TrapDetail detail = detailOf(site, before);
        TrapEvent event = new TrapEvent(log.nextSequence(), site.form(), site.address(), bytes,
                site.text(), locationOf(site), before, detail);

        String plugin = null;
        TrapOutcome.Handled outcome = null;
        for (int i = 0; i < sessions.size(); i++) { // by index: no iterator per trap
            PluginSession s = sessions.get(i);
            TrapOutcome answer;
            try {
                answer = s.session().handle(event, memory);
            } catch (RuntimeException e) {
                // A model bug must not unwind through the emulator: it ends the call like any other failure.
                log.add(new HypercallRecord(event, Optional.empty(), Optional.empty(), before, List.of()));
                stopAt(site, Fault.Kind.UNHANDLED_TRAP, site.address(),
                        s.plugin() + " failed on " + describe(event) + ": " + e);
                return;
            }
            if (answer instanceof TrapOutcome.Handled h) {
                plugin = s.plugin();
                outcome = h;
                break;
            }
        }
        if (outcome == null && detail instanceof TrapDetail.Cpuid c) {
            plugin = CPU_MODEL;
            outcome = cpuModelAnswer(c);
        }
        if (outcome == null && detail instanceof TrapDetail.Io io) {
            deviceAnswer(site, io, before).ifPresent(a -> answerDevice(site, resume, event, before, a));
            return;
        }
        if (outcome == null) {
            log.add(new HypercallRecord(event, Optional.empty(), Optional.empty(), before, List.of()));
            stopAt(site, Fault.Kind.UNHANDLED_TRAP, site.address(), "unhandled " + describe(event));
            return;
        }
        TrapOutcome.Handled handled = outcome;
        // Only an answer with memory writes pays for the supplier the shared helper takes.
        if (!outcome.memoryWrites().isEmpty()
                && !writeMemory(site, event, plugin, before, outcome.memoryWrites(), () -> handled)) {
            return;
        }
        List<RegisterWrite> writes = adjuster.adjust(event, outcome, outcome.registerWrites());
        long[] values = writeRegisters(site, resume, writes, outcome.returns());
        if (outcome != lastOutcome.orElse(null)) {
            lastOutcome = Optional.of(outcome); // a model answering a loop with one object: one Optional for it
        }
        if (!plugin.equals(lastPlugin.orElse(null))) {
            lastPlugin = Optional.of(plugin);
        }
        RegisterSnapshot after = null;
        if (listeners.isEmpty()) {
            log.add(event, lastPlugin, lastOutcome, writes, outcome.returns()); // no record nobody else would see
        } else {
            after = RegisterSnapshot.of(machine.arch(), values);
            HypercallRecord record = new HypercallRecord(event, lastPlugin, lastOutcome, after, writes);
            log.add(record);
            for (int i = 0; i < listeners.size(); i++) { // by index: no iterator per trap
                listeners.get(i).onHypercall(record);
            }
        }
        if (!outcome.returns()) {
            machine.stop(new Fault(Fault.Kind.NO_RETURN, site.address(), event.location(),
                    machine.disassembleAt(site.address()), site.address(),
                    plugin + " answered " + outcome.command() + ", which does not return",
                    after != null ? after : RegisterSnapshot.of(machine.arch(), values)));
        }
    }

    /** The site's function+offset: the last one asked again (a trap in a loop) without a map lookup. */
    private String locationOf(TrapSite site) {
        if (site != lastLocated) {
            lastLocation = locations.computeIfAbsent(site.address(), symbolize);
            lastLocated = site;
        }
        return lastLocation;
    }

    /** Applies a plain-device answer: its memory and register writes, and the access as a kernel event. */
    private void answerDevice(TrapSite site, Resume resume, TrapEvent event, RegisterSnapshot before,
                              DeviceAnswer answer) {
        if (!writeMemory(site, event, DEVICE, before, answer.memoryWrites(), answer.outcome())) {
            return;
        }
        writeRegisters(site, resume, answer.registerWrites(), true);
        machine.record(KernelEvent.Kind.DEVICE_IO, event.location(), () -> answer.outcome().get().summary());
    }

    /**
     * Applies an answer's memory writes; false when one is not writable guest memory (the call then ends at the
     * trap, and the log holds the trap with {@code outcome}).
     */
    private boolean writeMemory(TrapSite site, TrapEvent event, String plugin, RegisterSnapshot before,
                                List<MemoryWrite> writes, Supplier<TrapOutcome.Handled> outcome) {
        for (MemoryWrite w : writes) {
            if (!memory.isWritable(w.address(), w.length())) {
                TrapOutcome.Handled o = outcome.get();
                log.add(new HypercallRecord(event, Optional.of(plugin), Optional.of(o), before, List.of()));
                stopAt(site, Fault.Kind.UNMAPPED_ACCESS, w.address(), String.format(Locale.ROOT,
                        "%s answered %s with a %d-byte write to 0x%x, which is not writable guest memory",
                        plugin, o.command(), w.length(), w.address()));
                return false;
            }
            uc.memWrite(w.address(), w.data());
        }
        return true;
    }

    /** {@code site}'s detail with {@code before}; shared while the same site traps with the same inputs. */
    private TrapDetail detailOf(TrapSite site, RegisterSnapshot before) {
        if (site == detailSite && sameInputs(before)) {
            return lastDetail;
        }
        lastDetail = TrapDetails.of(site, before);
        if (site != detailSite) {
            detailSite = site;
            detailInputs = TrapDetails.inputs(site);
        }
        detailRegisters = before;
        return lastDetail;
    }

    private boolean sameInputs(RegisterSnapshot before) {
        for (int i = 0; i < detailInputs.size(); i++) { // by index: no iterator per trap
            GuestRegister r = detailInputs.get(i);
            if (before.get(r) != detailRegisters.get(r)) {
                return false;
            }
        }
        return true;
    }

    /**
     * Applies {@code writes} to the registers before the trap (still in {@code registers}) and moves the PC past it
     * (or keeps it at the trap, for a call that does not return); returns the registers after, in a scratch array
     * the next trap reuses.
     */
    private long[] writeRegisters(TrapSite site, Resume resume, List<RegisterWrite> writes, boolean returns) {
        int pcIndex = machine.arch().programCounter().index();
        long[] values = afterValues;
        System.arraycopy(registers, 0, values, 0, values.length); // registers keeps the values before
        int touched = 0;
        for (int i = 0; i < writes.size(); i++) { // by index: no iterator per trap
            int r = writes.get(i).register().index();
            values[r] = writes.get(i).applyTo(values[r]);
            touched = touch(r, touched);
        }
        // A call that does not return keeps the PC at the trap: the run ends there (see stopAt on PC writes).
        values[pcIndex] = returns ? site.address() + site.length() : site.address();
        touched = touch(pcIndex, touched);
        if (resume == Resume.SKIP) {
            // Only the registers written and the PC can differ: write those that do (the PC past the trap).
            int changed = 0;
            for (int k = 0; k < touched; k++) {
                int r = touchedIndexes[k];
                if (values[r] != registers[r]) {
                    changedIndexes[changed] = r;
                    changedValues[changed++] = values[r];
                }
            }
            uc.writeRegisters(changedIndexes, changedValues, changed);
        } else {
            for (int i = 0; i < values.length; i++) {
                if (i != pcIndex && values[i] != registers[i]) {
                    uc.regWrite(machine.arch().registers().get(i), values[i]);
                }
            }
        }
        return values;
    }

    /** Adds register {@code r} to the first {@code touched} of {@link #touchedIndexes} unless it is there. */
    private int touch(int r, int touched) {
        for (int k = 0; k < touched; k++) {
            if (touchedIndexes[k] == r) {
                return touched;
            }
        }
        touchedIndexes[touched] = r;
        return touched + 1;
    }

    /**
     * Ends the call with a fault located at the trap itself, even where the exception reported another PC
     * (SMC reports the address after it). The PC register is deliberately not written: in Unicorn 2.0.1 a PC
     * write from a hook requests a restart that cancels {@code uc_emu_stop}, and the guest would re-execute
     * the trap forever.
     */
    private void stopAt(TrapSite site, Fault.Kind kind, long address, String detail) {
        GuestRegister pc = machine.arch().programCounter();
        machine.stop(new Fault(kind, site.address(), machine.symbolize(site.address()),
                machine.disassembleAt(site.address()), address, detail,
                uc.readSnapshot().with(pc, site.address())));
    }

    private TrapOutcome.Handled cpuModelAnswer(TrapDetail.Cpuid c) {
        long[] v = cpu.answer(c.leaf());
        List<RegisterWrite> writes = List.of(RegisterWrite.w32(X86Register.RAX, v[0]),
                RegisterWrite.w32(X86Register.RBX, v[1]), RegisterWrite.w32(X86Register.RCX, v[2]),
                RegisterWrite.w32(X86Register.RDX, v[3]));
        return new TrapOutcome.Handled(String.format(Locale.ROOT, "CPUID.%xh", c.leaf()), writes, List.of(),
                List.of(), Optional.empty(), "answered by the CPU model");
    }

    /**
     * A plain device's answer to port I/O no plugin claimed: its writes, and the outcome with its texts, made only
     * when asked for (a kept kernel event, a failed write): a driver polling a port in a loop makes hundreds of
     * thousands of accesses, most past the kernel log's cap, and formatting their texts was a large part of its
     * run.
     */
    private record DeviceAnswer(List<RegisterWrite> registerWrites, List<MemoryWrite> memoryWrites,
                                Supplier<TrapOutcome.Handled> outcome) {
    }

    /**
     * The plain-device answer to port I/O no plugin claimed; empty when the call was ended instead (a string
     * instruction moving more than {@value #MAX_DEVICE_STRING} bytes, or OUTS from unreadable memory).
     */
    private Optional<DeviceAnswer> deviceAnswer(TrapSite site, TrapDetail.Io io, RegisterSnapshot before) {
        long elements = io.string() ? io.count() : 1;
        long bytes = elements * io.accessSize();
        if (elements < 0 || bytes > MAX_DEVICE_STRING) {
            stopAt(site, Fault.Kind.BUDGET_EXHAUSTED, site.address(), String.format(Locale.ROOT,
                    "%s on unclaimed port 0x%x moves %s elements; more than the %d bytes a device access may move",
                    site.text(), io.port(), Long.toUnsignedString(elements), MAX_DEVICE_STRING));
            return Optional.empty();
        }
        long value = unclaimedPortValue & (io.accessSize() == 4 ? 0xFFFF_FFFFL : (1L << (8 * io.accessSize())) - 1);
        boolean in = io.direction() == TrapDetail.IoDirection.IN;
        if (!io.string()) {
            if (in) {
                List<RegisterWrite> writes = List.of(new RegisterWrite(X86Register.RAX, io.accessSize() * 8, value));
                return Optional.of(new DeviceAnswer(writes, List.of(), () -> deviceOutcome(io, writes, List.of(),
                        ": read 0x" + Long.toHexString(value) + " (no device model)")));
            }
            long written = before.get(X86Register.RAX) & (io.accessSize() == 4 ? 0xFFFF_FFFFL
                    : (1L << (8 * io.accessSize())) - 1);
            return Optional.of(new DeviceAnswer(List.of(), List.of(), () -> deviceOutcome(io, List.of(), List.of(),
                    ": wrote 0x" + Long.toHexString(written) + " (dropped)")));
        }
        X86Register pointer = in ? X86Register.RDI : X86Register.RSI;
        long start = before.get(pointer);
        long step = io.descending() ? -bytes : bytes;
        long low = io.descending() ? start - bytes + io.accessSize() : start;
        List<MemoryWrite> memoryWrites = new ArrayList<>();
        if (in && bytes > 0) {
            byte[] fill = new byte[(int) bytes];
            for (int i = 0; i < fill.length; i++) {
                fill[i] = (byte) (value >>> (8 * (i % io.accessSize())));
            }
            memoryWrites.add(new MemoryWrite(low, fill));
        } else if (bytes > 0 && !readable(low, (int) bytes)) {
            stopAt(site, Fault.Kind.UNMAPPED_ACCESS, low, String.format(Locale.ROOT,
                    "%s reads %d bytes at 0x%x, which is not readable guest memory", site.text(), bytes, low));
            return Optional.empty();
        }
        int width = io.addressSize() == 32 ? 32 : 64;
        List<RegisterWrite> writes = new ArrayList<>();
        writes.add(new RegisterWrite(pointer, width, start + step));
        if (io.rep()) {
            writes.add(new RegisterWrite(X86Register.RCX, width, 0));
        }
        return Optional.of(new DeviceAnswer(writes, memoryWrites, () -> deviceOutcome(io, writes, memoryWrites,
                ", " + elements + " element(s) " + (in ? "read as 0x" + Long.toHexString(value)
                        : "written (dropped)") + " (no device model)")));
    }

    /** The outcome a plain-device answer stands for: {@code DEVICE IN port 0x..., 1 byte}, and what it did. */
    private static TrapOutcome.Handled deviceOutcome(TrapDetail.Io io, List<RegisterWrite> writes,
                                                     List<MemoryWrite> memoryWrites, String what) {
        String access = String.format(Locale.ROOT, "%s port 0x%x, %d byte%s",
                io.direction() == TrapDetail.IoDirection.IN ? "IN" : "OUT", io.port(), io.accessSize(),
                io.accessSize() == 1 ? "" : "s");
        return new TrapOutcome.Handled("DEVICE " + access, writes, memoryWrites, List.of(), Optional.empty(),
                access + what);
    }

    private boolean readable(long address, int length) {
        try {
            memory.read(address, length);
            return true;
        } catch (io.hvprobe.spi.GuestMemoryView.GuestMemoryException e) {
            return false;
        }
    }

    /** {@code VMCALL at vmw_probe+0x1c (vmcall), rax=0x564d5868 rbx=0x0 rcx=0xa rdx=0x0}. */
    static String describe(TrapEvent e) {
        StringBuilder b = new StringBuilder(e.form().name()).append(" at ").append(e.location()).append(" (")
                .append(e.disassembly()).append(')');
        List<? extends GuestRegister> shown = e.arch() == Arch.X86_64
                ? List.of(X86Register.RAX, X86Register.RBX, X86Register.RCX, X86Register.RDX, X86Register.RSI,
                X86Register.RDI)
                : e.arch().registers().subList(0, 8);
        String sep = ", ";
        for (GuestRegister r : shown) {
            b.append(sep).append(r.displayName()).append("=0x").append(Long.toHexString(e.registers().get(r)));
            sep = " ";
        }
        return b.toString();
    }
}
