package io.hvprobe.vmware.time;

import io.hvprobe.spi.GuestMemoryView;
import io.hvprobe.vmware.command.CommandContext;
import io.hvprobe.vmware.command.CommandReply;
import io.hvprobe.vmware.command.CommandTable;
import io.hvprobe.vmware.finding.Findings;
import io.hvprobe.vmware.finding.Rules;
import io.hvprobe.vmware.profile.VmwareProfile;

import java.time.Instant;
import java.util.List;

import static io.hvprobe.vmware.finding.Findings.hex;

/** GETTIME (23), GETTIMEFULL (46), GETTIMEFULL_WITH_LAG (55), STEALCLOCK (91), PRECISIONCLOCK (97). */
public final class TimeCommands {
    private static final String[] PTP_OPS = {"GETTIME", "SETTIME", "ADJTIME", "ADJFREQ"};

    private final GuestClock clock;
    private final StealClock steal;
    private final PrecisionClock ptp;
    private final VmwareProfile.TimeSettings time;

    /** Time commands over these clocks. */
    public TimeCommands(GuestClock clock, StealClock steal, PrecisionClock ptp, VmwareProfile.TimeSettings time) {
        this.clock = clock;
        this.steal = steal;
        this.ptp = ptp;
        this.time = time;
    }

    /** Registers the commands. */
    public void register(CommandTable table) {
        table.register(23, "GETTIME", "host time in seconds/us (deprecated)", this::getTime);
        table.register(46, "GETTIMEFULL", "host time with 64-bit seconds", this::getTimeFull);
        table.register(55, "GETTIMEFULL_WITH_LAG", "host time with interrupt lag", this::getTimeFullWithLag);
        table.register(91, "STEALCLOCK", "stolen-time area", this::stealClock);
        table.register(97, "PRECISIONCLOCK", "virtual PTP clock", List.of("PRECISIONCLOCK.GETTIME",
                "PRECISIONCLOCK.SETTIME", "PRECISIONCLOCK.ADJTIME", "PRECISIONCLOCK.ADJFREQ", "UNKNOWN"), this::precisionClock);
    }

    private CommandReply getTime(CommandContext ctx) {
        Instant now = clock.now();
        return CommandReply.of("GETTIME", "GETTIME").write(0, now.getEpochSecond()).write(1, now.getNano() / 1000)
                .write(2, time.maxTimeLagMicros() + time.interruptLagMicros()).write(3, time.utcOffsetMinutes())
                .summary("seconds=" + now.getEpochSecond()).build();
    }

    private CommandReply getTimeFull(CommandContext ctx) {
        Instant now = clock.now();
        long s = now.getEpochSecond();
        return CommandReply.of("GETTIMEFULL", "GETTIMEFULL").write(1, now.getNano() / 1000)
                .write(2, time.maxTimeLagMicros() + time.interruptLagMicros()).write(3, s).write(4, s >>> 32)
                .summary("seconds=" + s + " (EAX stays = magic)").build();
    }

    private CommandReply getTimeFullWithLag(CommandContext ctx) {
        Instant now = clock.now();
        long s = now.getEpochSecond();
        return CommandReply.of("GETTIMEFULL_WITH_LAG", "GETTIMEFULL_WITH_LAG").write(1, now.getNano() / 1000)
                .write(2, time.maxTimeLagMicros()).write(3, s).write(4, s >>> 32).write(5, time.interruptLagMicros())
                .summary("seconds=" + s + " (EAX stays = magic)").build();
    }

    private CommandReply stealClock(CommandContext ctx) {
        long hi = ctx.call().arg32(4);
        long lo = ctx.call().arg32(5);
        CommandReply.Builder r = CommandReply.of("STEALCLOCK", "STEALCLOCK");
        if (hi == 0 && lo == 1) {
            steal.disable();
            return r.write(0, 0).summary("disabled").build();
        }
        long pa = (hi << 32) | lo;
        GuestMemoryView memory = ctx.memory();
        if (pa % StealClock.AREA_BYTES != 0) {
            return r.write(0, 0).finding(Findings.of(Rules.ARGUMENT_INVALID, "STEALCLOCK area " + hex(pa)
                    + " is not 64-byte aligned; not enabled", "address", hex(pa))).summary("refused").build();
        }
        if (!memory.isWritable(pa, StealClock.AREA_BYTES)) {
            return r.write(0, 0).finding(Findings.of(Rules.ARGUMENT_INVALID, "STEALCLOCK area " + hex(pa)
                    + " is not writable guest memory; not enabled", "address", hex(pa))).summary("refused").build();
        }
        return r.memory(steal.enable(pa)).write(0, 1).summary("enabled at " + hex(pa)).build();
    }

    private CommandReply precisionClock(CommandContext ctx) {
        int op = ctx.subcommand();
        if (op >= PTP_OPS.length) {
            return CommandReply.unknown("PRECISIONCLOCK." + op).finding(Findings.of(Rules.SUBCOMMAND_UNKNOWN,
                    "PRECISIONCLOCK has no operation " + op, "subcommand", op)).build();
        }
        String name = "PRECISIONCLOCK." + PTP_OPS[op];
        CommandReply.Builder r = CommandReply.of(name, name);
        if (op == 0) {
            long ns = ptp.nowNanos();
            return r.write(0, 0).write(1, ns >>> 32).write(2, ns).summary("ns=" + ns).build();
        }
        if (!time.precisionClockAdjust()) {
            return r.write(0, 0xFFFF_FFFFL).summary(PTP_OPS[op] + " not supported by this host").build();
        }
        long value = (ctx.call().arg32(4) << 32) | ctx.call().arg32(5);
        switch (op) {
            case 1 -> ptp.set(value);
            case 2 -> ptp.adjust(value);
            default -> ptp.adjustFrequency(value);
        }
        return r.write(0, 0).summary(PTP_OPS[op] + " " + value).build();
    }
}
