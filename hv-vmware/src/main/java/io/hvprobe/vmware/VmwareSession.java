package io.hvprobe.vmware;

import io.hvprobe.arch.X86Register;
import io.hvprobe.spi.CommandDescriptor;
import io.hvprobe.spi.Finding;
import io.hvprobe.spi.GuestMemoryView;
import io.hvprobe.spi.HypervisorSession;
import io.hvprobe.spi.MemoryWrite;
import io.hvprobe.spi.RegisterContract;
import io.hvprobe.spi.RegisterWrite;
import io.hvprobe.spi.SessionState;
import io.hvprobe.spi.TrapDetail;
import io.hvprobe.spi.TrapEvent;
import io.hvprobe.spi.TrapOutcome;
import io.hvprobe.vmware.balloon.Balloon;
import io.hvprobe.vmware.balloon.BalloonCommands;
import io.hvprobe.vmware.command.CommandTable;
import io.hvprobe.vmware.contract.ContractMapper;
import io.hvprobe.vmware.entry.Entry;
import io.hvprobe.vmware.entry.EntryDecoder;
import io.hvprobe.vmware.host.GuiCommands;
import io.hvprobe.vmware.host.HostEvents;
import io.hvprobe.vmware.host.HostGui;
import io.hvprobe.vmware.host.HostInfoCommands;
import io.hvprobe.vmware.mouse.AbsPointerCommands;
import io.hvprobe.vmware.mouse.VmMouse;
import io.hvprobe.vmware.platform.CpuidLeaves;
import io.hvprobe.vmware.platform.PseudoPmc;
import io.hvprobe.vmware.profile.Flavor;
import io.hvprobe.vmware.profile.VmwareProfile;
import io.hvprobe.vmware.rpc.GuestRpc;
import io.hvprobe.vmware.rpc.RpcHostState;
import io.hvprobe.vmware.rpc.RpciHandler;
import io.hvprobe.vmware.rpc.RpciRegistry;
import io.hvprobe.vmware.rpc.TcloQueue;
import io.hvprobe.vmware.time.GuestClock;
import io.hvprobe.vmware.time.PrecisionClock;
import io.hvprobe.vmware.time.StealClock;
import io.hvprobe.vmware.time.TimeCommands;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * One run of the VMware model. {@link #handle} answers traps; the other public methods are the
 * scripting API for tests (queue TCLO commands, feed mouse events, move clocks, inspect state).
 * Not thread-safe: called on the emulation thread, one trap at a time.
 */
final class VmwareSession implements HypervisorSession {
    private static final int MAX_KEPT_FINDINGS = 10_000;

    private final VmwareProfile profile;
    private final EntryDecoder decoder;
    private final OutcomeAssembler assembler;
    private final BackdoorDispatcher dispatcher;
    private final CommandTable table = new CommandTable();
    private final CpuidLeaves cpuid;
    private final PseudoPmc pmc;
    private final GuestClock clock;
    private final StealClock steal = new StealClock();
    private final PrecisionClock ptp;
    private final HostEvents events = new HostEvents();
    private final HostGui gui;
    private final HostInfoCommands hostInfo;
    private final VmMouse mouse;
    private final RpciRegistry rpciRegistry = new RpciRegistry();
    private final RpcHostState rpcHost;
    private final TcloQueue tclo;
    private final GuestRpc rpc;
    private final Balloon balloon;
    private final Deque<Finding> findings = new ArrayDeque<>();
    /** Handlers added through {@link #registerRpci}, in order: a restored session registers them again. */
    private final Map<String, RpciHandler> scriptedRpci = new java.util.LinkedHashMap<>();

    /** A captured session: a detached copy that nothing runs on, so restoring from it never changes it. */
    private record Captured(VmwareSession copy) implements SessionState {
    }

    /**
     * A session in its initial state.
     *
     * @param profile the resolved profile the session answers traps with
     */
    public VmwareSession(VmwareProfile profile) {
        this.profile = profile;
        this.decoder = new EntryDecoder(profile);
        this.assembler = new OutcomeAssembler(profile);
        this.clock = new GuestClock(profile.time());
        this.ptp = new PrecisionClock(clock);
        this.cpuid = new CpuidLeaves(profile);
        this.pmc = new PseudoPmc(clock);
        this.gui = GuiCommands.newState(profile.identity().guiOptions());
        this.hostInfo = new HostInfoCommands(profile, events);
        this.mouse = new VmMouse(profile.limits().mouseQueueWords());
        this.rpcHost = new RpcHostState(profile.limits().guestInfoMaxKeys(), profile.limits().logMaxEntries(),
                profile.limits().rpcStoreMaxBytes());
        this.tclo = new TcloQueue(profile.limits().rpcStoreMaxBytes());
        rpcHost.registerStandardHandlers(rpciRegistry);
        profile.rpc().guestInfo().forEach(rpcHost::setGuestInfo);
        this.rpc = new GuestRpc(profile.rpc(), rpciRegistry, tclo);
        this.balloon = BalloonCommands.newState(profile);
        AbsPointerCommands absPointer = new AbsPointerCommands(mouse, profile.mouseAbsolutePackets());
        if (profile.flavor() == Flavor.QEMU) {
            hostInfo.registerQemu(table);
            absPointer.registerQemu(table);
        } else {
            hostInfo.registerVmware(table);
            absPointer.registerVmware(table);
            new GuiCommands(gui, profile.limits().clipboardMax()).register(table);
            new TimeCommands(clock, steal, ptp, profile.time()).register(table);
        }
        if (profile.rpc().enabled()) {
            rpc.register(table);
        }
        this.dispatcher = new BackdoorDispatcher(profile, table, rpc, new BalloonCommands(profile, balloon));
    }

    @Override
    public String profile() {
        return profile.name();
    }

    /** {@return the full configuration} */
    public VmwareProfile configuration() {
        return profile;
    }

    @Override
    public TrapOutcome handle(TrapEvent event, GuestMemoryView memory) {
        TrapOutcome outcome = switch (event.form()) {
            case CPUID -> cpuid(event);
            case RDPMC -> rdpmc(event);
            case IN, OUT, INS, OUTS, VMCALL, VMMCALL, TDCALL, HVC, SMC, BRK, MRS, MSR -> backdoor(event, memory);
        };
        if (outcome instanceof TrapOutcome.Handled h && !h.findings().isEmpty()) { // no iterator for the usual none
            for (Finding f : h.findings()) {
                if (findings.size() == MAX_KEPT_FINDINGS) {
                    findings.removeFirst();
                }
                findings.addLast(f);
            }
        }
        return outcome;
    }

    /**
     * {@inheritDoc} A trap the entry decoder takes for a backdoor call: I/O on the backdoor or balloon ports,
     * VMCALL/VMMCALL with the magic in EAX, VMware's TDCALL leaf, arm64 {@code hvc #0x86}/{@code brk #0x86} and the
     * trapped {@code mdccsr_el0} read. CPUID and RDPMC stay with the primary model.
     */
    @Override
    public boolean claims(TrapEvent event) {
        return switch (event.form().category()) {
            case CPU_QUERY -> false;
            case PORT_IO, HYPERCALL, EXCEPTION_CALL, SYSTEM_REGISTER -> !(decoder.decode(event) instanceof Entry.NotMine);
        };
    }

    /**
     * {@inheritDoc} Every piece of state is copied: GuestRPC channels with their cookies and half-sent or
     * half-received messages, the cookie generator, guestinfo/log/capability stores, TCLO queue and exchanges, the
     * balloon (started, capabilities, locked pages, doorbell), the vmmouse queue and mode, GUI state, clocks (moved
     * time, PTP offset, steal clock), host events, MKS pages, the kept findings and RPCI handlers added by
     * {@link #registerRpci} (their own state, if any, is theirs).
     */
    @Override
    public SessionState capture() {
        VmwareSession copy = new VmwareSession(profile);
        copy.copyFrom(this);
        return new Captured(copy);
    }

    @Override
    public void restore(SessionState state) {
        if (!(state instanceof Captured(VmwareSession from)) || !from.profile.equals(profile)) {
            throw new IllegalArgumentException("session state captured by another model or profile");
        }
        copyFrom(from);
    }

    private void copyFrom(VmwareSession other) {
        clock.copyFrom(other.clock);
        steal.copyFrom(other.steal);
        ptp.copyFrom(other.ptp);
        events.copyFrom(other.events);
        gui.copyFrom(other.gui);
        hostInfo.copyFrom(other.hostInfo);
        mouse.copyFrom(other.mouse);
        rpcHost.copyFrom(other.rpcHost);
        tclo.copyFrom(other.tclo);
        rpc.copyFrom(other.rpc);
        balloon.copyFrom(other.balloon);
        findings.clear();
        findings.addAll(other.findings);
        // The standard handlers answer from this session's stores; scripted ones are the caller's objects.
        rpciRegistry.clear();
        rpcHost.registerStandardHandlers(rpciRegistry);
        scriptedRpci.clear();
        other.scriptedRpci.forEach(this::registerRpci);
    }

    private TrapOutcome backdoor(TrapEvent event, GuestMemoryView memory) {
        Entry entry = decoder.decode(event);
        return switch (entry) {
            case Entry.NotMine n -> TrapOutcome.NOT_MINE;
            case Entry.Refused r -> {
                RegisterContract contract = ContractMapper.unclaimed(r.command(), r.arch(), r.answer());
                List<RegisterWrite> writes = r.answer().map(List::of).orElse(List.of());
                yield new TrapOutcome.Handled(r.command(), writes, List.of(), assembler.withSeverities(r.findings()),
                        Optional.of(contract), r.summary());
            }
            case Entry.Call c -> {
                var reply = dispatcher.dispatch(c.call(), memory);
                List<MemoryWrite> extra = steal.takePendingUpdate().map(List::of).orElse(List.of());
                yield assembler.assemble(c.call(), reply, c.findings(), extra);
            }
        };
    }

    private TrapOutcome cpuid(TrapEvent event) {
        if (!(event.detail() instanceof TrapDetail.Cpuid c)) {
            return TrapOutcome.NOT_MINE;
        }
        Optional<long[]> answer = cpuid.answer(c.leaf() & 0xFFFF_FFFFL);
        if (answer.isEmpty()) {
            return TrapOutcome.NOT_MINE;
        }
        long[] v = answer.get();
        List<RegisterWrite> writes = List.of(RegisterWrite.w32(X86Register.RAX, v[0]), RegisterWrite.w32(X86Register.RBX, v[1]),
                RegisterWrite.w32(X86Register.RCX, v[2]), RegisterWrite.w32(X86Register.RDX, v[3]));
        return new TrapOutcome.Handled("CPUID 0x" + Long.toHexString(c.leaf() & 0xFFFF_FFFFL), writes, List.of(),
                List.of(), Optional.of(ContractMapper.cpuid()), "eax=0x" + Long.toHexString(v[0]));
    }

    private TrapOutcome rdpmc(TrapEvent event) {
        if (!profile.entry().pseudoPmc() || !(event.detail() instanceof TrapDetail.PmcRead p)) {
            return TrapOutcome.NOT_MINE;
        }
        OptionalLong value = pmc.read(p.index() & 0xFFFF_FFFFL);
        if (value.isEmpty()) {
            return TrapOutcome.NOT_MINE;
        }
        long v = value.getAsLong();
        return new TrapOutcome.Handled("RDPMC " + PseudoPmc.name(p.index()),
                List.of(RegisterWrite.w32(X86Register.RAX, v), RegisterWrite.w32(X86Register.RDX, v >>> 32)), List.of(),
                List.of(), Optional.of(ContractMapper.rdpmc()), "value=" + v);
    }

    // ---- catalogue ---------------------------------------------------------------------------------

    /** {@return the command catalogue of this session's profile with contracts per entry path} */
    public List<CommandDescriptor> catalog() {
        return CatalogBuilder.build(profile, table);
    }

    // ---- scripting API -----------------------------------------------------------------------------

    /**
     * Queues a host-to-guest TCLO command for the tools loop to fetch.
     *
     * @param command the command text, e.g. {@code reset} or {@code ping}
     */
    public void queueTclo(String command) {
        tclo.queue(command);
    }

    /** {@return TCLO commands the guest has not fetched yet} */
    public List<String> pendingTclo() {
        return tclo.pending();
    }

    /** {@return completed TCLO exchanges (command, guest reply)} */
    public List<TcloQueue.Exchange> tcloExchanges() {
        return tclo.exchanges();
    }

    /**
     * Registers an RPCI handler, so a test can answer guest-to-host commands the model does not know.
     *
     * @param prefix  a command word, or a prefix ending in {@code .} that matches every command starting with it
     * @param handler what answers the matching commands
     */
    public void registerRpci(String prefix, RpciHandler handler) {
        rpciRegistry.register(prefix, handler);
        scriptedRpci.put(prefix, handler);
    }

    /** {@return the guestinfo store} */
    public Map<String, String> guestInfo() {
        return rpcHost.guestInfo();
    }

    /**
     * Sets a guestinfo value the guest can read with {@code info-get}.
     *
     * @param key   the key, as the guest names it
     * @param value the value
     */
    public void setGuestInfo(String key, String value) {
        rpcHost.setGuestInfo(key, value);
    }

    /** {@return lines the guest sent with RPCI {@code log}} */
    public List<String> rpcLog() {
        return rpcHost.log();
    }

    /** {@return tools version from {@code tools.set.version}/{@code tools.set.versiontype}} */
    public Optional<String> toolsVersion() {
        return rpcHost.toolsVersion();
    }

    /** {@return capabilities registered with {@code tools.capability.*}} */
    public List<String> toolsCapabilities() {
        return rpcHost.capabilities();
    }

    /** {@return number of open GuestRPC channels} */
    public int openRpcChannels() {
        return rpc.openChannels();
    }

    /** {@return bytes the session holds for GuestRPC messages and replies (bounded by the profile limit)} */
    public long rpcBufferedBytes() {
        return rpc.bufferedBytes();
    }

    /** {@return the vmmouse device: queue events with {@link VmMouse#queueAbsolute}/{@link VmMouse#queueRelative}} */
    public VmMouse mouse() {
        return mouse;
    }

    /** {@return pointer, clipboards, GUI options and removable devices} */
    public HostGui gui() {
        return gui;
    }

    /** {@return the balloon device state (set the target here)} */
    public Balloon balloon() {
        return balloon;
    }

    /**
     * Moves the model's clocks forward: wall clock, uptime, TSC and pseudo-PMCs.
     *
     * @param d how far
     */
    public void advanceClock(Duration d) {
        clock.advance(d);
    }

    /** {@return the model's clock} */
    public GuestClock clock() {
        return clock;
    }

    /** {@return the PTP clock behind PRECISIONCLOCK} */
    public PrecisionClock precisionClock() {
        return ptp;
    }

    /**
     * Sets the stolen time, published into an enabled STEALCLOCK area with the next handled call.
     *
     * @param cycles the stolen time in TSC cycles
     */
    public void setStolenTime(long cycles) {
        steal.setStolenCycles(cycles);
    }

    /** {@return the enabled STEALCLOCK area's address, if any} */
    public OptionalLong stealClockArea() {
        return steal.area();
    }

    /** {@return notifications the guest sent (OSNOTFOUND, STOPCATCHUP, REPORTGUESTCRASH)} */
    public List<String> hostEvents() {
        return events.all();
    }

    /** {@return pages registered with MKS_GUEST_STATS} */
    public java.util.Set<Long> mksGuestStatsPages() {
        return hostInfo.mksPages();
    }

    /** {@return every finding this session produced so far (the last 10000)} */
    public List<Finding> findings() {
        return List.copyOf(findings);
    }
}
