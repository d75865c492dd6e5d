package io.hvprobe.cli;

import io.hvprobe.spi.Hypervisor;
import io.hvprobe.spi.HypervisorOptions;
import io.hvprobe.spi.Hypervisors;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;

/** Resolves {@code --hv} and {@code --profile} into a plugin and its options. */
final class Models {
    private Models() {
    }

    static Hypervisor byName(String name) {
        try {
            return Hypervisors.byName(name);
        } catch (IllegalArgumentException e) {
            throw new InputError(e.getMessage(), e);
        }
    }

    /** A profile argument is a file when it names an existing file or ends in .json/.yaml/.yml. */
    static HypervisorOptions options(String profile) {
        if (profile == null || profile.isBlank()) {
            return HypervisorOptions.defaults();
        }
        boolean looksLikeFile = profile.endsWith(".json") || profile.endsWith(".yaml") || profile.endsWith(".yml");
        Path p = Path.of(profile);
        if (looksLikeFile || Files.isRegularFile(p)) {
            if (!Files.isRegularFile(p)) {
                throw new InputError("profile file not found: " + profile);
            }
            return new HypervisorOptions(Optional.empty(), Optional.of(p), Map.of());
        }
        return HypervisorOptions.profile(profile);
    }
}
