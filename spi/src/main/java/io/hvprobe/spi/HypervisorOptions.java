package io.hvprobe.spi;

import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;

/**
 * How to configure a hypervisor model for one run.
 *
 * @param profile     a built-in profile name (e.g. {@code vmware}, {@code qemu-vmport}); empty for the default
 * @param profileFile a JSON or YAML profile file, overriding the built-in profile's settings
 * @param settings    individual settings by key, overriding both
 */
public record HypervisorOptions(Optional<String> profile, Optional<Path> profileFile, Map<String, String> settings) {

    /** Copies {@code settings}, so the options stay immutable. */
    public HypervisorOptions {
        settings = Map.copyOf(settings);
    }

    /** {@return the model's documented default configuration} */
    public static HypervisorOptions defaults() {
        return new HypervisorOptions(Optional.empty(), Optional.empty(), Map.of());
    }

    /**
     * Options that select a built-in profile and change nothing else.
     *
     * @param name the profile's name, e.g. {@code qemu-vmport}
     * @return the options
     */
    public static HypervisorOptions profile(String name) {
        return new HypervisorOptions(Optional.of(name), Optional.empty(), Map.of());
    }
}
