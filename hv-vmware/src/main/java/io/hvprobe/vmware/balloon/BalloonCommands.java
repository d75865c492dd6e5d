package io.hvprobe.vmware.balloon;

import io.hvprobe.spi.Dependency;
import io.hvprobe.spi.GuestMemoryView;
import io.hvprobe.spi.MemoryWrite;
import io.hvprobe.vmware.command.CommandReply;
import io.hvprobe.vmware.entry.BackdoorCall;
import io.hvprobe.vmware.finding.Findings;
import io.hvprobe.vmware.finding.Rules;
import io.hvprobe.vmware.profile.VmwareProfile;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.List;

import static io.hvprobe.vmware.finding.Findings.hex;

/** The balloon port protocol (port 0x5670, magic "Elmo", spec §6). */
public final class BalloonCommands {
    /** Command names by number (5 was never shipped). */
    public static final List<String> NAMES = List.of("START", "GET_TARGET", "LOCK", "UNLOCK", "GUEST_ID", "",
            "BATCHED_LOCK", "BATCHED_UNLOCK", "BATCHED_2M_LOCK", "BATCHED_2M_UNLOCK", "VMCI_DOORBELL_SET");

    public static final long SUCCESS = 0;
    public static final long FAILURE = 0xFFFF_FFFFL;
    public static final long ERROR_CMD_INVALID = 1;
    public static final long ERROR_PPN_INVALID = 2;
    public static final long ERROR_PPN_LOCKED = 3;
    public static final long ERROR_PPN_UNLOCKED = 4;
    public static final long ERROR_PPN_NOTNEEDED = 6;
    public static final long ERROR_RESET = 7;
    public static final long SUCCESS_WITH_CAPABILITIES = 0x0300_0000L;
    /** Entries in a batch page. */
    public static final int BATCH_MAX = 512;

    private final VmwareProfile profile;
    private final Balloon balloon;

    /** The protocol over {@code balloon}. */
    public BalloonCommands(VmwareProfile profile, Balloon balloon) {
        this.profile = profile;
        this.balloon = balloon;
    }

    /** A new balloon with the profile's initial target. */
    public static Balloon newState(VmwareProfile profile) {
        return new Balloon(profile.balloon().targetPages());
    }

    /** Contract keys the protocol may answer with. */
    public static List<String> contractKeys() {
        List<String> keys = new java.util.ArrayList<>();
        for (String n : NAMES) {
            if (n.isEmpty()) {
                continue;
            }
            keys.add("BALLOON." + n);
            if (n.startsWith("GET_TARGET") || n.contains("LOCK")) {
                keys.add("BALLOON." + n + ".64");
            }
        }
        keys.add("BALLOON.UNKNOWN");
        return keys;
    }

    /** Answers one balloon call. */
    public CommandReply handle(BackdoorCall call, GuestMemoryView memory) {
        long cmd = call.arg32(2);
        if (cmd >= NAMES.size() || cmd == 5) {
            return CommandReply.of("BALLOON." + cmd, "BALLOON.UNKNOWN").write(0, ERROR_CMD_INVALID)
                    .finding(Findings.of(Rules.COMMAND_UNKNOWN, "unknown balloon command " + cmd, "command", cmd))
                    .summary("unknown command").build();
        }
        String name = NAMES.get((int) cmd);
        boolean wide = (balloon.capabilities & Balloon.CAP_64_BIT_TARGET) != 0;
        boolean hasWideKey = cmd == 1 || (cmd >= 2 && cmd <= 3) || (cmd >= 6 && cmd <= 9);
        CommandReply.Builder r = CommandReply.of("BALLOON." + name, "BALLOON." + name + (wide && hasWideKey ? ".64" : ""));
        if (cmd == 0) {
            return start(call, r);
        }
        if (!balloon.started) {
            // No START in this session: a caller whose earlier steps started the balloon would not see this.
            return r.write(0, ERROR_RESET).finding(Findings.of(Rules.BALLOON_PROTOCOL, "balloon " + name
                    + " before START", "command", name).dependingOn(Dependency.PROTOCOL_STATE))
                    .summary("ERROR_RESET").build();
        }
        long arg1 = wide ? call.arg(1) : call.arg32(1);
        return switch ((int) cmd) {
            case 1 -> target(r.write(0, SUCCESS), wide).summary("target " + balloon.target).build();
            case 2, 3 -> needs(Balloon.CAP_BASIC, name, r) ? lockOne(cmd == 2, arg1, r, wide) : r.build();
            case 4 -> {
                balloon.guestType = call.arg32(1);
                yield r.write(0, SUCCESS).summary("guest type " + balloon.guestType).build();
            }
            case 6, 7 -> needs(Balloon.CAP_BATCHED, name, r) ? batch(cmd == 6, false, arg1, call.arg32(4), memory, r, wide) : r.build();
            case 8, 9 -> needs(Balloon.CAP_BATCHED_2M, name, r) ? batch(cmd == 8, true, arg1, call.arg32(4), memory, r, wide) : r.build();
            default -> {
                if (!needs(Balloon.CAP_SIGNALLED_WAKEUP, name, r)) {
                    yield r.build();
                }
                balloon.doorbellContext = call.arg32(1);
                balloon.doorbellResource = call.arg32(4);
                yield r.write(0, SUCCESS).summary("doorbell " + hex(balloon.doorbellContext)).build();
            }
        };
    }

    private CommandReply start(BackdoorCall call, CommandReply.Builder r) {
        long guestCaps = call.arg32(1);
        long common = guestCaps & profile.balloon().capabilities() & ~1L;
        balloon.started = true;
        balloon.locked4k.clear();
        balloon.locked2m.clear();
        // SUCCESS (0) is the answer of a host without capability negotiation (spec §6); a host that has
        // capabilities answers SUCCESS_WITH_CAPABILITIES with the common set, even when that is BASIC only.
        if ((profile.balloon().capabilities() & ~(Balloon.CAP_BASIC | 1L)) == 0) {
            balloon.capabilities = Balloon.CAP_BASIC;
            return r.write(0, SUCCESS).summary("basic commands only").build();
        }
        balloon.capabilities = common;
        // Linux and open-vm-tools read the capabilities from the full RCX (spec §2.3, §6).
        return r.write(0, SUCCESS_WITH_CAPABILITIES).write64(2, common).summary("capabilities " + hex(common)).build();
    }

    private boolean needs(long capability, String name, CommandReply.Builder r) {
        if ((balloon.capabilities & capability) != 0) {
            return true;
        }
        r.write(0, ERROR_CMD_INVALID).finding(Findings.of(Rules.BALLOON_PROTOCOL, "balloon " + name
                + " without the capability it needs (" + hex(capability) + ")", "negotiated", hex(balloon.capabilities)))
                .summary("capability not negotiated");
        return false;
    }

    private CommandReply.Builder target(CommandReply.Builder r, boolean wide) {
        return wide ? r.write64(1, balloon.target) : r.write(1, Math.min(balloon.target, 0xFFFF_FFFFL));
    }

    private long maxPpn() {
        return profile.identity().memoryMb() * 256;
    }

    private CommandReply lockOne(boolean lock, long ppn, CommandReply.Builder r, boolean wide) {
        long status = lock ? lockPage(ppn) : unlockPage(ppn);
        return target(r.write(0, status), wide).summary((lock ? "lock " : "unlock ") + hex(ppn) + " -> " + status).build();
    }

    private long lockPage(long ppn) {
        if (ppn >= maxPpn()) {
            return ERROR_PPN_INVALID;
        }
        if (balloon.locked4k.contains(ppn)) {
            return ERROR_PPN_LOCKED;
        }
        if (balloon.lockedPages() >= balloon.target) {
            return ERROR_PPN_NOTNEEDED;
        }
        balloon.locked4k.add(ppn);
        return SUCCESS;
    }

    private long unlockPage(long ppn) {
        return balloon.locked4k.remove(ppn) ? SUCCESS : ERROR_PPN_UNLOCKED;
    }

    private long lockLarge(boolean lock, long pa) {
        if ((pa & ((1L << 21) - 1)) != 0 || (pa >>> 12) >= maxPpn()) {
            return ERROR_PPN_INVALID;
        }
        long key = pa >>> 21;
        if (!lock) {
            return balloon.locked2m.remove(key) ? SUCCESS : ERROR_PPN_UNLOCKED;
        }
        if (balloon.locked2m.contains(key)) {
            return ERROR_PPN_LOCKED;
        }
        if (balloon.lockedPages() + 512 > balloon.target) {
            return ERROR_PPN_NOTNEEDED;
        }
        balloon.locked2m.add(key);
        return SUCCESS;
    }

    private CommandReply batch(boolean lock, boolean large, long pagePpn, long count, GuestMemoryView memory,
                               CommandReply.Builder r, boolean wide) {
        long pagePa = pagePpn << 12;
        if (count > BATCH_MAX) {
            return r.write(0, FAILURE).finding(Findings.of(Rules.ARGUMENT_INVALID, "balloon batch of " + count
                    + " entries (at most 512)", "count", count)).summary("batch too large").build();
        }
        int bytes = (int) count * 8;
        byte[] page;
        try {
            page = count == 0 ? new byte[0] : memory.read(pagePa, bytes);
        } catch (GuestMemoryView.GuestMemoryException e) {
            return r.write(0, FAILURE).finding(Findings.of(Rules.ARGUMENT_INVALID, "balloon batch page unreadable: "
                    + e.getMessage(), "address", hex(pagePa))).summary("batch page unreadable").build();
        }
        if (count > 0 && !memory.isWritable(pagePa, bytes)) {
            return r.write(0, FAILURE).finding(Findings.of(Rules.ARGUMENT_INVALID, "balloon batch page "
                    + hex(pagePa) + " is not writable", "address", hex(pagePa))).summary("batch page read-only").build();
        }
        ByteBuffer buf = ByteBuffer.wrap(page).order(ByteOrder.LITTLE_ENDIAN);
        int ok = 0;
        for (int i = 0; i < count; i++) {
            long pa = buf.getLong(i * 8) & ~0xFFFL;
            long status = large ? lockLarge(lock, pa) : (lock ? lockPage(pa >>> 12) : unlockPage(pa >>> 12));
            ok += status == SUCCESS ? 1 : 0;
            buf.putLong(i * 8, pa | status);
        }
        if (count > 0) {
            r.memory(new MemoryWrite(pagePa, page));
        }
        return target(r.write(0, SUCCESS), wide).summary((lock ? "lock " : "unlock ") + ok + "/" + count
                + (large ? " 2M" : "") + " entries").build();
    }
}
