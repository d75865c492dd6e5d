package io.hvprobe.junit;

import io.hvprobe.api.Probe;
import io.hvprobe.api.ProbeOptions;
import io.hvprobe.loader.LoadException;
import io.hvprobe.spi.HypervisorOptions;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * One object under one profile: what one test invocation probes. Test methods may take it as a parameter (e.g. to
 * name the variant in their own messages).
 *
 * @param object     the object's path, {@code {variant}} substituted
 * @param variant    the build-variant label ({@code ""} if none)
 * @param profile    the model's profile ({@code ""}: the model's default)
 * @param hypervisor the hypervisor model's name
 */
public record ProbeTarget(Path object, String variant, String profile, String hypervisor) {
    /** The placeholder in {@link HvprobeTest#object()} that each variant replaces. */
    public static final String VARIANT_PLACEHOLDER = "{variant}";

    /**
     * Every target {@code test} names: variants outer, profiles inner, in the order written.
     *
     * @param test the annotation
     * @return at least one target
     * @throws IllegalArgumentException if the object path and the variants do not fit together
     */
    public static List<ProbeTarget> of(HvprobeTest test) {
        boolean placeholder = test.object().contains(VARIANT_PLACEHOLDER);
        if (placeholder && test.variant().length == 0) {
            throw new IllegalArgumentException("@HvprobeTest object '" + test.object() + "' has " + VARIANT_PLACEHOLDER
                    + " but names no variant (variant = {...})");
        }
        if (!placeholder && test.variant().length > 1) {
            throw new IllegalArgumentException("@HvprobeTest names " + test.variant().length + " variants but its"
                    + " object '" + test.object() + "' has no " + VARIANT_PLACEHOLDER + " to put them in");
        }
        List<String> variants = test.variant().length == 0 ? List.of("") : List.of(test.variant());
        List<String> profiles = test.profile().length == 0 ? List.of("") : List.of(test.profile());
        List<ProbeTarget> targets = new ArrayList<>();
        for (String v : variants) {
            for (String p : profiles) {
                targets.add(new ProbeTarget(Path.of(test.object().replace(VARIANT_PLACEHOLDER, v)), v, p,
                        test.hypervisor()));
            }
        }
        return targets;
    }

    /**
     * The probe options for this target: the model, its profile and the variant label.
     *
     * @return the options
     */
    public ProbeOptions options() {
        return ProbeOptions.defaults().withHypervisor(hypervisor)
                .withHypervisorOptions(profile.isEmpty() ? HypervisorOptions.defaults()
                        : HypervisorOptions.profile(profile))
                .withVariant(variant);
    }

    /**
     * Opens a probe on this target; the caller closes it.
     *
     * @return the probe
     * @throws LoadException            for an object that cannot be loaded
     * @throws IllegalArgumentException for an unknown model or profile
     */
    public Probe open() throws LoadException {
        return Probe.open(object, options());
    }

    /**
     * {@code variant · profile}, or whichever of them is set, or the object's file name.
     *
     * @return a short label for display names and messages
     */
    public String label() {
        List<String> parts = new ArrayList<>();
        if (!variant.isEmpty()) {
            parts.add(variant);
        }
        if (!profile.isEmpty()) {
            parts.add(profile);
        }
        return parts.isEmpty() ? String.valueOf(object.getFileName()) : String.join(" · ", parts);
    }
}
