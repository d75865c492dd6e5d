package io.hvprobe.vmware;

import io.hvprobe.spi.GuestMemoryView;
import io.hvprobe.vmware.abi.Backdoor;
import io.hvprobe.vmware.balloon.BalloonCommands;
import io.hvprobe.vmware.command.CommandContext;
import io.hvprobe.vmware.command.CommandNames;
import io.hvprobe.vmware.command.CommandReply;
import io.hvprobe.vmware.command.CommandTable;
import io.hvprobe.vmware.contract.ContractTable;
import io.hvprobe.vmware.entry.Bandwidth;
import io.hvprobe.vmware.entry.BackdoorCall;
import io.hvprobe.vmware.finding.Findings;
import io.hvprobe.vmware.finding.Rules;
import io.hvprobe.vmware.profile.VmwareProfile;
import io.hvprobe.vmware.rpc.GuestRpc;

import java.util.Map;

import static io.hvprobe.vmware.finding.Findings.hex;

/** Routes a normalised call: balloon port, magic check, HB command, LB command table, fixed answers. */
final class BackdoorDispatcher {
    private final VmwareProfile profile;
    private final CommandTable table;
    private final GuestRpc rpc;
    private final BalloonCommands balloon;

    BackdoorDispatcher(VmwareProfile profile, CommandTable table, GuestRpc rpc, BalloonCommands balloon) {
        this.profile = profile;
        this.table = table;
        this.rpc = rpc;
        this.balloon = balloon;
    }

    CommandReply dispatch(BackdoorCall call, GuestMemoryView memory) {
        if (call.isBalloon()) {
            return balloon.handle(call, memory);
        }
        if (call.arg32(0) != Backdoor.MAGIC) {
            String reg = call.register(0).map(r -> r.displayName()).orElse("arg0");
            return CommandReply.of("bad magic", "BAD_MAGIC").write(0, Backdoor.UNKNOWN_ANSWER)
                    .finding(Findings.of(Rules.MAGIC_WRONG, reg + " = " + hex(call.arg32(0))
                            + " is not the backdoor magic 0x564d5868", "register", reg,
                            "observed", hex(call.arg32(0)), "expected", hex(Backdoor.MAGIC)))
                    .summary("wrong magic").build();
        }
        return call.bandwidth() == Bandwidth.HB ? highBandwidth(call, memory) : lowBandwidth(call, memory);
    }

    private CommandReply highBandwidth(BackdoorCall call, GuestMemoryView memory) {
        int hbCommand = (int) (call.arg32(1) & 0xFFFF);
        if (hbCommand == 0 && profile.rpc().enabled()) {
            return rpc.highBandwidth(call, memory);
        }
        String name = hbCommand == 0 ? "MESSAGE (HB)" : hbCommand == 1 ? "VASSERT (HB)" : "HB command " + hbCommand;
        var finding = hbCommand <= 1
                ? Findings.of(Rules.COMMAND_UNMODELLED, name + " is not modelled in profile " + profile.name()
                + "; answered as an unknown command", "command", hbCommand)
                : Findings.of(Rules.COMMAND_UNKNOWN, "unknown HB command " + hbCommand, "command", hbCommand);
        return CommandReply.of(name, "HB.UNKNOWN").write(0, Backdoor.UNKNOWN_ANSWER).finding(finding)
                .summary("unknown HB command answer").build();
    }

    private CommandReply lowBandwidth(BackdoorCall call, GuestMemoryView memory) {
        long ecx = call.arg32(2);
        int command = (int) (ecx & profile.entry().commandMask());
        int sub = (int) (ecx >>> 16);
        // Most profiles configure no fixed answers: no boxed map lookup per call then.
        Map<Integer, Long> fixed = profile.fixedAnswers().isEmpty() ? null : profile.fixedAnswers().get(command);
        if (fixed != null) {
            CommandReply.Builder r = CommandReply.of(CommandNames.display(command),
                    ContractTable.fixedAnswer(command, fixed.keySet()));
            fixed.forEach(r::write);
            return r.summary("configured answer").build();
        }
        var registration = table.get(command);
        if (registration.isPresent()) {
            return registration.get().handler().handle(new CommandContext(call, command, sub, profile, memory));
        }
        if (CommandNames.name(command).isPresent()) {
            String why = CommandNames.UNCERTAIN.contains(command) ? "its semantics are uncertain"
                    : "profile " + profile.name() + " does not implement it";
            return CommandReply.unknown(CommandNames.display(command)).finding(Findings.of(Rules.COMMAND_UNMODELLED,
                    CommandNames.display(command) + " (" + command + ") answered as an unknown command: " + why,
                    "command", command)).build();
        }
        return CommandReply.unknown(CommandNames.display(command)).finding(Findings.of(Rules.COMMAND_UNKNOWN,
                "command " + command + " (ECX = " + hex(ecx) + ") is not a backdoor command", "command", command,
                "ecx", hex(ecx))).build();
    }
}
