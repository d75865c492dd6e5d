package io.hvprobe.vmware.mouse;

import io.hvprobe.vmware.command.CommandContext;
import io.hvprobe.vmware.command.CommandReply;
import io.hvprobe.vmware.command.CommandTable;
import io.hvprobe.vmware.finding.Findings;
import io.hvprobe.vmware.finding.Rules;

import java.util.ArrayList;
import java.util.List;

import static io.hvprobe.vmware.finding.Findings.hex;

/**
 * ABSPOINTER_DATA (39), _STATUS (40), _COMMAND (41) and _RESTRICT (86). The VMware flavor writes
 * exactly the requested words; the QEMU flavor rewrites EAX..EDI from a 32-bit array (spec §8).
 */
public final class AbsPointerCommands {
    /** ENABLE / READ_ID. */
    public static final long ENABLE = 0x45414552L;
    /** DISABLE. */
    public static final long DISABLE = 0xF5L;
    /** REQUEST_RELATIVE. */
    public static final long REQUEST_RELATIVE = 0x4C455252L;
    /** REQUEST_ABSOLUTE. */
    public static final long REQUEST_ABSOLUTE = 0x53424152L;

    private final VmMouse mouse;
    private final List<Long> absolutePackets;

    /** Commands over {@code mouse}. */
    public AbsPointerCommands(VmMouse mouse) {
        this(mouse, List.of());
    }

    /**
     * Commands over {@code mouse}; {@code absolutePackets} (4 words per packet) are queued each time the
     * guest requests absolute mode (the profile's {@code mouse-absolute-packets}).
     */
    public AbsPointerCommands(VmMouse mouse, List<Long> absolutePackets) {
        this.mouse = mouse;
        this.absolutePackets = List.copyOf(absolutePackets);
    }

    /** Registers the VMware flavor (exact contracts). */
    public void registerVmware(CommandTable t) {
        List<String> dataKeys = new ArrayList<>();
        for (int n = 1; n <= 6; n++) {
            dataKeys.add("ABSPOINTER_DATA." + n);
        }
        dataKeys.add("ABSPOINTER_DATA.REFUSED");
        t.register(39, "ABSPOINTER_DATA", "pops vmmouse words", dataKeys, this::dataVmware);
        t.register(40, "ABSPOINTER_STATUS", "vmmouse status", c -> CommandReply.of("ABSPOINTER_STATUS",
                "ABSPOINTER_STATUS").write(0, mouse.statusWord()).summary("status=" + hex(mouse.statusWord())).build());
        t.register(41, "ABSPOINTER_COMMAND", "vmmouse command", c -> {
            CommandReply.Builder r = CommandReply.of("ABSPOINTER_COMMAND", "ABSPOINTER_COMMAND");
            command(c, r);
            return r.build();
        });
        t.register(86, "ABSPOINTER_RESTRICT", "vmmouse access restriction", c -> {
            CommandReply.Builder r = CommandReply.of("ABSPOINTER_RESTRICT", "ABSPOINTER_RESTRICT");
            if (c.ebx() > 2) {
                r.finding(Findings.of(Rules.ARGUMENT_INVALID, "ABSPOINTER_RESTRICT value " + c.ebx()
                        + " is not 0, 1 or 2", "ebx", hex(c.ebx())));
            } else {
                mouse.setRestrict(c.ebx());
            }
            return r.summary("restrict=" + c.ebx()).build();
        });
    }

    /** Registers the QEMU flavor: every vmmouse command rewrites EAX..EDI (no RESTRICT). */
    public void registerQemu(CommandTable t) {
        t.register(39, "ABSPOINTER_DATA", "QEMU vmmouse data", List.of("ABSPOINTER_DATA.qemu"), c -> qemu(c, "ABSPOINTER_DATA"));
        t.register(40, "ABSPOINTER_STATUS", "QEMU vmmouse status", List.of("ABSPOINTER_STATUS.qemu"), c -> qemu(c, "ABSPOINTER_STATUS"));
        t.register(41, "ABSPOINTER_COMMAND", "QEMU vmmouse command", List.of("ABSPOINTER_COMMAND.qemu"), c -> qemu(c, "ABSPOINTER_COMMAND"));
    }

    private CommandReply dataVmware(CommandContext c) {
        long n = c.ebx();
        if (n < 1 || n > 6 || n > mouse.queuedWords()) {
            io.hvprobe.spi.Finding refused = refusedData(n);     // before disable() empties the queue it reports
            mouse.disable();
            return CommandReply.of("ABSPOINTER_DATA", "ABSPOINTER_DATA.REFUSED")
                    .finding(refused).summary("bad count " + n + "; mouse disabled").build();
        }
        CommandReply.Builder r = CommandReply.of("ABSPOINTER_DATA", "ABSPOINTER_DATA." + n);
        StringBuilder words = new StringBuilder();
        for (int i = 0; i < n; i++) {
            long w = mouse.pop();
            r.write(i, w);
            words.append(i == 0 ? "" : " ").append(hex(w));
        }
        return r.summary("words " + words).build();
    }

    private io.hvprobe.spi.Finding refusedData(long n) {
        return Findings.of(Rules.ARGUMENT_INVALID, "ABSPOINTER_DATA asks for " + n + " words with "
                + mouse.queuedWords() + " queued (1..6 and at most the queue length); mouse disabled",
                "count", n, "queued", mouse.queuedWords());
    }

    private void command(CommandContext c, CommandReply.Builder r) {
        long sub = c.ebx();
        if (sub == ENABLE) {
            mouse.enable();
            r.summary("ENABLE");
        } else if (sub == DISABLE) {
            mouse.disable();
            r.summary("DISABLE");
        } else if (sub == REQUEST_RELATIVE) {
            mouse.setRelative(true);
            r.summary("REQUEST_RELATIVE");
        } else if (sub == REQUEST_ABSOLUTE) {
            mouse.setRelative(false);
            for (int i = 0; i + 3 < absolutePackets.size(); i += 4) {
                mouse.queueAbsolute(absolutePackets.get(i).intValue(), absolutePackets.get(i + 1).intValue(),
                        absolutePackets.get(i + 2).intValue(), absolutePackets.get(i + 3).intValue());
            }
            r.summary("REQUEST_ABSOLUTE");
        } else {
            r.finding(Findings.of(Rules.SUBCOMMAND_UNKNOWN, "ABSPOINTER_COMMAND has no sub-command " + hex(sub)
                    + " (EBX)", "register", "ebx", "observed", hex(sub))).summary("unknown " + hex(sub));
        }
    }

    /** QEMU: data[] = low 32 bits of EAX..EDI, the command edits it, all six are written back. */
    private CommandReply qemu(CommandContext c, String name) {
        long[] data = new long[6];
        for (int i = 0; i < 6; i++) {
            data[i] = c.call().arg32(i);
        }
        CommandReply.Builder r = CommandReply.of(name, name + ".qemu");
        switch (c.command()) {
            case 40 -> data[0] = mouse.statusWord();
            case 41 -> command(c, r);
            default -> {
                long n = data[1];
                if (n < 1 || n > 6 || n > mouse.queuedWords()) {
                    r.finding(refusedData(n));                    // before disable() empties the queue it reports
                    mouse.disable();
                } else {
                    for (int i = 0; i < n; i++) {
                        data[i] = mouse.pop();
                    }
                }
            }
        }
        for (int i = 0; i < 6; i++) {
            r.write(i, data[i]);
        }
        return r.summary(name + " (QEMU rewrites EAX..EDI)").build();
    }
}
