package io.hvprobe.spi;

import java.util.List;

/**
 * A hypervisor model plugin, found with {@link java.util.ServiceLoader}. Implementations are
 * stateless factories; all per-run state lives in the {@link HypervisorSession} they open.
 * Register an implementation in {@code META-INF/services/io.hvprobe.spi.Hypervisor}.
 */
public interface Hypervisor {

    /** {@return short unique name used on the command line, e.g. {@code vmware}} */
    String name();

    /** {@return one line describing the model} */
    String description();

    /** {@return names of the built-in profiles; the first is the default} */
    List<String> profiles();

    /**
     * Opens a per-run instance.
     *
     * @param options the profile and settings the session runs with
     * @return a new session in its initial state
     * @throws IllegalArgumentException for an unknown profile or an invalid setting (message says which)
     */
    HypervisorSession openSession(HypervisorOptions options);

    /**
     * Lists the commands this model answers.
     *
     * @param options the profile and settings, which may change the catalogue
     * @return the command catalogue with the register contract of each command
     */
    List<CommandDescriptor> catalog(HypervisorOptions options);

    /**
     * The I/O ports on which this model answers hypercalls (x86 {@code IN}/{@code OUT}), so static tools
     * ({@code scan}) can tell hypercall sites from ordinary device I/O; at run time the model's sessions still decide
     * trap by trap what they claim. Empty by default.
     *
     * @return the port numbers, empty when the model answers no I/O port
     */
    default java.util.Set<Integer> hypercallPorts() {
        return java.util.Set.of();
    }

    /**
     * The 32-bit values a guest must put in a register for this model to answer its port I/O as a hypercall (the
     * VMware backdoor's magic {@code 0x564D5868}), so static tools can tell that port I/O whose port is computed at
     * run time is ordinary device I/O: an object whose bytes hold none of these values anywhere (no immediate, no
     * data) cannot address the model that way.
     *
     * @return the magic values; empty by default
     */
    default java.util.Set<Long> hypercallMagics() {
        return java.util.Set.of();
    }

    /** {@return the finding rules this model can raise (for report metadata); empty if it documents none} */
    default List<RuleDescriptor> rules() {
        return List.of();
    }
}
