package io.hvprobe.spi;

import java.util.ArrayList;
import java.util.List;
import java.util.ServiceLoader;

/** Finds the {@link Hypervisor} plugins on the class path. */
public final class Hypervisors {
    private Hypervisors() {
    }

    /** {@return every plugin found, in name order} */
    public static List<Hypervisor> all() {
        List<Hypervisor> found = new ArrayList<>();
        ServiceLoader.load(Hypervisor.class).forEach(found::add);
        found.sort(java.util.Comparator.comparing(Hypervisor::name));
        return found;
    }

    /** Group id of hvprobe's own artifacts; a model called NAME is the artifact {@code hvprobe-hv-NAME}. */
    public static final String GROUP_ID = "io.hvprobe";

    /**
     * The plugin called {@code name}.
     *
     * @param name the plugin's name, e.g. {@code vmware}
     * @return the plugin
     * @throws IllegalArgumentException naming the plugins that are available; when there are none, naming the
     *                                  artifact to add to the class path
     */
    public static Hypervisor byName(String name) {
        List<Hypervisor> all = all();
        return all.stream().filter(h -> h.name().equals(name)).findFirst().orElseThrow(() -> {
            if (all.isEmpty()) {
                return new IllegalArgumentException("no hypervisor model named '" + name + "': none is on the class"
                        + " path; add the dependency " + artifactOf(name) + " (hvprobe's models are the artifacts "
                        + artifactOf("<name>") + ", found through ServiceLoader)");
            }
            return new IllegalArgumentException("no hypervisor model named '" + name + "' (available: "
                    + String.join(", ", all.stream().map(Hypervisor::name).toList()) + ")");
        });
    }

    /** {@code io.hvprobe:hvprobe-hv-NAME}: the Maven artifact of hvprobe's model called {@code name}. */
    static String artifactOf(String name) {
        return GROUP_ID + ":hvprobe-hv-" + name;
    }
}
