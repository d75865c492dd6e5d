package io.hvprobe.spi;

import java.util.ArrayList;
import java.util.List;
import java.util.ServiceLoader;

/** Finds the {@link Hypervisor} plugins on the class path. */
public final class Hypervisors {
    private Hypervisors() {
    }

    /** Every plugin found, in name order. */
    public static List<Hypervisor> all() {
        List<Hypervisor> found = new ArrayList<>();
        ServiceLoader.load(Hypervisor.class).forEach(found::add);
        found.sort(java.util.Comparator.comparing(Hypervisor::name));
        return found;
    }

    /**
     * The plugin called {@code name}.
     *
     * @throws IllegalArgumentException naming the plugins that are available
     */
    public static Hypervisor byName(String name) {
        List<Hypervisor> all = all();
        return all.stream().filter(h -> h.name().equals(name)).findFirst().orElseThrow(() ->
                new IllegalArgumentException("no hypervisor model named '" + name + "' (available: "
                        + String.join(", ", all.stream().map(Hypervisor::name).toList()) + ")"));
    }
}
