package io.hvprobe.vmware.host;

import io.hvprobe.vmware.abi.Backdoor;
import io.hvprobe.vmware.command.CommandContext;
import io.hvprobe.vmware.command.CommandReply;
import io.hvprobe.vmware.command.CommandTable;
import io.hvprobe.vmware.finding.Findings;
import io.hvprobe.vmware.finding.Rules;
import io.hvprobe.vmware.profile.VmwareProfile;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

import static io.hvprobe.vmware.finding.Findings.hex;

/** Commands answering from the profile's identity and frequencies, plus host notifications. */
public final class HostInfoCommands {
    private static final String[] NESTING_OPS = {"RESTRICT_BACKDOOR", "OPEN_BACKDOOR", "QUERY"};
    private static final String[] MKS_OPS = {"RESET", "ADD_PPN", "REMOVE_PPN"};

    private final VmwareProfile profile;
    private final HostEvents events;
    private final Set<Long> mksPages = new LinkedHashSet<>();

    /** Commands over {@code profile}, recording notifications in {@code events}. */
    public HostInfoCommands(VmwareProfile profile, HostEvents events) {
        this.profile = profile;
        this.events = events;
    }

    /** Registers VMware's commands. */
    public void registerVmware(CommandTable t) {
        VmwareProfile.Identity id = profile.identity();
        t.register(1, "GETMHZ", "CPU speed in MHz", c -> simple("GETMHZ", profile.time().tscHz() / 1_000_000));
        registerShared(t);
        t.register(15, "GETSCREENSIZE", "host screen size",
                c -> simple("GETSCREENSIZE", ((long) id.screenWidth() << 16) | id.screenHeight()));
        t.register(17, "GETHWVERSION", "virtual hardware version", c -> CommandReply.of("GETHWVERSION", "GETHWVERSION")
                .write(0, id.hwVersion()).write(1, Backdoor.MAGIC).summary("hw=" + id.hwVersion()).build());
        t.register(18, "OSNOTFOUND", "no OS found", c -> notify("OSNOTFOUND"));
        t.register(20, "GETMEMSIZE", "VM memory in MiB", c -> simple("GETMEMSIZE", id.memoryMb()));
        t.register(24, "STOPCATCHUP", "stop time catch-up", c -> notify("STOPCATCHUP"));
        t.register(36, "ISMOUSEABSOLUTE", "absolute pointer available",
                c -> simple("ISMOUSEABSOLUTE", id.mouseAbsolute() ? 1 : 0));
        t.register(63, "NESTING_CONTROL", "backdoor nesting control", List.of("NESTING_CONTROL.RESTRICT_BACKDOOR",
                "NESTING_CONTROL.OPEN_BACKDOOR", "NESTING_CONTROL.QUERY", "UNKNOWN"), this::nesting);
        t.register(85, "MKS_GUEST_STATS", "MKS guest statistics pages", List.of("MKS_GUEST_STATS.RESET",
                "MKS_GUEST_STATS.ADD_PPN" + mksPpnSuffix(), "MKS_GUEST_STATS.REMOVE_PPN" + mksPpnSuffix(), "UNKNOWN"),
                this::mks);
        t.register(92, "GUEST_PAGE_HINTS", "page-sharing hints (not supported)",
                c -> simple("GUEST_PAGE_HINTS", Backdoor.UNKNOWN_ANSWER));
        t.register(100, "GETBUILDNUM", "host build number", c -> simple("GETBUILDNUM", id.buildNumber()));
        t.register(102, "REPORTGUESTCRASH", "guest crash report", c -> notify("REPORTGUESTCRASH"));
    }

    /** Registers the commands QEMU's vmport implements (spec §8). */
    public void registerQemu(CommandTable t) {
        registerShared(t);
        t.register(20, "GETMEMSIZE", "QEMU GETRAMSIZE: RAM bytes truncated to 32 bits, EBX = 0x1177",
                List.of("GETMEMSIZE.qemu"), c -> CommandReply.of("GETMEMSIZE", "GETMEMSIZE.qemu")
                        .write(0, profile.identity().memoryMb() << 20).write(1, 0x1177)
                        .summary("bytes=" + (profile.identity().memoryMb() << 20) + " (truncated)").build());
    }

    private void registerShared(CommandTable t) {
        VmwareProfile.Identity id = profile.identity();
        // The answer depends on the profile alone, and detection loops ask for it thousands of times: built once.
        CommandReply version = CommandReply.of("GETVERSION", "GETVERSION")
                .write(0, id.versionMagic()).write(1, Backdoor.MAGIC).write(2, id.vmxType())
                .summary("version=" + id.versionMagic() + " type=" + id.vmxType()).build();
        t.register(10, "GETVERSION", "backdoor version and product type", c -> version);
        t.register(19, "GETUUID", "BIOS UUID", c -> uuid());
        t.register(45, "GETHZ", "TSC and APIC bus frequencies", c -> getHz());
        t.register(68, "GET_VCPU_INFO", "vCPU feature bits", c -> simple("GET_VCPU_INFO", id.vcpuInfo()));
    }

    private static CommandReply simple(String name, long eax) {
        return CommandReply.of(name, name).write(0, eax).summary("eax=" + hex(eax & 0xFFFF_FFFFL)).build();
    }

    private CommandReply notify(String name) {
        events.record(name);
        return CommandReply.of(name, name).summary("recorded").build();
    }

    private CommandReply uuid() {
        ByteBuffer b = ByteBuffer.allocate(16).order(ByteOrder.BIG_ENDIAN);
        b.putLong(profile.identity().uuid().getMostSignificantBits()).putLong(profile.identity().uuid().getLeastSignificantBits());
        b.order(ByteOrder.LITTLE_ENDIAN).flip();
        CommandReply.Builder r = CommandReply.of("GETUUID", "GETUUID");
        for (int i = 0; i < 4; i++) {
            r.write(i, b.getInt(i * 4) & 0xFFFF_FFFFL);
        }
        return r.summary("uuid=" + profile.identity().uuid()).build();
    }

    private CommandReply getHz() {
        long hz = profile.time().tscHz();
        CommandReply.Builder r = CommandReply.of("GETHZ", "GETHZ");
        if (hz == 0) {
            return r.write(1, Backdoor.UNKNOWN_ANSWER).summary("frequency unknown").build();
        }
        return r.write(0, hz).write(1, hz >>> 32).write(2, profile.time().busHz())
                .summary("tsc=" + hz + " bus=" + profile.time().busHz()).build();
    }

    private CommandReply nesting(CommandContext c) {
        int op = c.subcommand();
        if (op >= NESTING_OPS.length) {
            return CommandReply.unknown("NESTING_CONTROL." + op).finding(Findings.of(Rules.SUBCOMMAND_UNKNOWN,
                    "NESTING_CONTROL has no operation " + op, "subcommand", op)).build();
        }
        String name = "NESTING_CONTROL." + NESTING_OPS[op];
        CommandReply.Builder r = CommandReply.of(name, name);
        if (op == 2) {
            r.write(0, profile.identity().nestingQuery());
        }
        return r.summary(NESTING_OPS[op]).build();
    }

    /** Contract-key suffix of ADD_PPN/REMOVE_PPN: {@code .64} when the profile reads a 64-bit PPN. */
    private String mksPpnSuffix() {
        return profile.entry().mksPpnBits() == 64 ? ".64" : "";
    }

    private CommandReply mks(CommandContext c) {
        int op = c.subcommand();
        if (op >= MKS_OPS.length) {
            return CommandReply.unknown("MKS_GUEST_STATS." + op).finding(Findings.of(Rules.SUBCOMMAND_UNKNOWN,
                    "MKS_GUEST_STATS has no operation " + op, "subcommand", op)).build();
        }
        String name = "MKS_GUEST_STATS." + MKS_OPS[op];
        CommandReply.Builder r = CommandReply.of(name, op == 0 ? name : name + mksPpnSuffix());
        long ppn = profile.entry().mksPpnBits() == 64 ? c.call().arg(1) : c.ebx();
        switch (op) {
            case 0 -> mksPages.clear();
            case 1 -> {
                if (mksPages.size() >= profile.limits().mksMaxPages() && !mksPages.contains(ppn)) {
                    r.finding(Findings.of(Rules.ARGUMENT_INVALID, "more than " + profile.limits().mksMaxPages()
                            + " MKS guest-stats pages; page ignored", "ppn", hex(ppn)));
                } else {
                    mksPages.add(ppn);
                }
            }
            default -> mksPages.remove(ppn);
        }
        return r.summary(MKS_OPS[op] + " ppn=" + hex(ppn) + " pages=" + mksPages.size()).build();
    }

    /** PPNs currently registered with MKS_GUEST_STATS ADD_PPN. */
    public Set<Long> mksPages() {
        return Set.copyOf(mksPages);
    }

    /** Takes {@code other}'s registered MKS_GUEST_STATS pages (the events store is copied on its own). */
    public void copyFrom(HostInfoCommands other) {
        mksPages.clear();
        mksPages.addAll(other.mksPages);
    }
}
