package io.hvprobe.cli;

import io.hvprobe.api.ProbeOptions;
import io.hvprobe.spi.Hypervisor;
import io.hvprobe.spi.HypervisorOptions;
import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * {@code --hv-profile MODEL=NAME|FILE}: the profile of a companion model, one of the models other than {@code --hv}'s
 * that stay active for the calls carrying their signature (every command that runs guest code).
 */
final class CompanionProfileOption {
    @Spec(Spec.Target.MIXEE)
    CommandSpec command;

    @Option(names = "--hv-profile", paramLabel = "MODEL=NAME|FILE",
            description = "Profile of MODEL when it is not the --hv model but answers the calls that carry its"
                    + " signature (e.g. vmware=qemu-vmport under --hv kvm); repeat for several models (default: each"
                    + " model's default profile).")
    Map<String, String> byModel = new LinkedHashMap<>();

    /** The companions' options by model name, checked: a known model other than {@code primary}, a valid profile. */
    Map<String, HypervisorOptions> options(String primary) {
        Map<String, HypervisorOptions> out = new LinkedHashMap<>();
        byModel.forEach((model, profile) -> {
            if (model.equals(primary)) {
                throw new CommandLine.ParameterException(command.commandLine(), "--hv-profile " + model + "="
                        + profile + " names the --hv model; give its profile with --profile");
            }
            Hypervisor plugin = Models.byName(model);
            HypervisorOptions o = Models.options(profile);
            try {
                plugin.openSession(o).close();
            } catch (IllegalArgumentException e) {
                throw new InputError(e.getMessage(), e);
            }
            out.put(model, o);
        });
        return out;
    }

    /** {@code base} with the companions' profiles ({@code base}'s model is the primary one). */
    ProbeOptions applyTo(ProbeOptions base) {
        ProbeOptions o = base;
        for (Map.Entry<String, HypervisorOptions> e : options(base.hypervisor()).entrySet()) {
            o = o.withCompanion(e.getKey(), e.getValue());
        }
        return o;
    }
}
