package io.hvprobe.report.html;

import io.hvprobe.arch.Arch;
import io.hvprobe.spi.CommandDescriptor;
import io.hvprobe.spi.RegisterContract;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The model's register contracts by command name, so a finding that names its command ({@code command} in the
 * evidence) can show the contract beside its path.
 */
public final class Contracts {
    private final Map<String, List<RegisterContract>> byCommand;

    private Contracts(Map<String, List<RegisterContract>> byCommand) {
        this.byCommand = byCommand;
    }

    /** No contracts: findings show their path alone. */
    public static Contracts none() {
        return new Contracts(Map.of());
    }

    /** The contracts of {@code catalogue} (several catalogues, e.g. one per profile, may be concatenated). */
    public static Contracts of(List<CommandDescriptor> catalogue) {
        Map<String, List<RegisterContract>> by = new LinkedHashMap<>();
        for (CommandDescriptor c : catalogue) {
            List<RegisterContract> list = by.computeIfAbsent(c.name(), k -> new ArrayList<>());
            c.contracts().stream().filter(k -> !list.contains(k)).forEach(list::add);
        }
        return new Contracts(by);
    }

    /** The contracts of {@code command} on {@code arch} (one per entry path), in catalogue order. */
    public List<RegisterContract> of(String command, Arch arch) {
        return byCommand.getOrDefault(command, List.of()).stream().filter(k -> k.arch() == arch).toList();
    }
}
