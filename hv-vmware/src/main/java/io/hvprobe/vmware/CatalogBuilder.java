package io.hvprobe.vmware;

import io.hvprobe.spi.CommandDescriptor;
import io.hvprobe.spi.RegisterContract;
import io.hvprobe.vmware.balloon.BalloonCommands;
import io.hvprobe.vmware.command.CommandTable;
import io.hvprobe.vmware.contract.ArgContract;
import io.hvprobe.vmware.contract.ContractMapper;
import io.hvprobe.vmware.contract.ContractTable;
import io.hvprobe.vmware.entry.Direction;
import io.hvprobe.vmware.entry.EntryPath;
import io.hvprobe.vmware.profile.VmwareProfile;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/** Builds {@code Hypervisor.catalog()}: every contract key a profile can answer with, per entry path. */
final class CatalogBuilder {
    private CatalogBuilder() {
    }

    static List<CommandDescriptor> build(VmwareProfile profile, CommandTable table) {
        List<CommandDescriptor> out = new ArrayList<>();
        out.add(new CommandDescriptor(-1, "CPUID", "hypervisor CPUID leaves 0x40000000..0x400000FF",
                List.of(ContractMapper.cpuid())));
        if (profile.entry().pseudoPmc()) {
            out.add(new CommandDescriptor(-1, "RDPMC", "pseudo-PMCs 0x10000..0x10003", List.of(ContractMapper.rdpmc())));
        }
        out.add(describe(-1, ContractTable.get("BAD_MAGIC"), profile));
        out.add(describe(-1, ContractTable.get("UNKNOWN"), profile));
        Set<String> seen = new LinkedHashSet<>(List.of("UNKNOWN"));
        table.all().values().forEach(reg -> {
            for (String key : reg.contractKeys()) {
                if (seen.add(key)) {
                    out.add(describe(reg.number(), ContractTable.get(key), profile));
                }
            }
        });
        if (profile.entry().hbPort()) {
            out.add(describe(-1, ContractTable.get("HB.UNKNOWN"), profile));
        }
        if (profile.rpc().enabled() && profile.entry().hbPort()) {
            for (String key : List.of("MESSAGE.HB_OUT", "MESSAGE.HB_OUT.NOCOOKIE", "MESSAGE.HB_IN",
                    "MESSAGE.HB_IN.NOCOOKIE")) {
                out.add(describe(0, ContractTable.get(key), profile));
            }
        }
        profile.fixedAnswers().forEach((number, args) ->
                out.add(describe(number, ContractTable.fixedAnswer(number, args.keySet()), profile)));
        if (profile.balloon().enabled()) {
            for (String key : BalloonCommands.contractKeys()) {
                String name = key.substring("BALLOON.".length()).replace(".64", "");
                int number = BalloonCommands.NAMES.indexOf(name);
                out.add(describe(number, ContractTable.get(key), profile));
            }
        }
        return out;
    }

    private static CommandDescriptor describe(int number, ArgContract c, VmwareProfile profile) {
        List<RegisterContract> contracts = new ArrayList<>();
        for (EntryPath path : EntryPath.values()) {
            if (applies(c, path, number)) {
                Direction dir = c.key().contains("HB_OUT") ? Direction.OUT : Direction.IN;
                contracts.add(ContractMapper.map(c, path, dir, profile, false));
            }
        }
        return new CommandDescriptor(number, c.key(), c.description(), contracts);
    }

    private static boolean applies(ArgContract c, EntryPath path, int number) {
        if (c.key().equals("BAD_MAGIC") && (path == EntryPath.VMCALL || path == EntryPath.VMMCALL)) {
            return false;    // without the magic a VMCALL/VMMCALL is not a VMware call: another plugin may own it
        }
        return switch (c.bandwidth()) {
            case BALLOON -> path == EntryPath.IO_PORT;
            case HB -> path.supportsHb();
            case LB -> path != EntryPath.TDCALL || number < 0 || number <= 0x7F;
        };
    }
}
