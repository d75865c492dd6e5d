package io.hvprobe.cli;

import io.hvprobe.kernel.KernelOptions;
import picocli.CommandLine.Option;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code --kernel-table}, {@code --port-value} and {@code --env}: the kernel (or C-library) environment around the
 * code.
 */
final class KernelFlags {
    @Option(names = "--kernel-table", paramLabel = "FILE",
            description = "Extra kernel-environment table (YAML; repeat): its entries add to or replace the built-in"
                    + " behaviour of kernel functions (docs/kernel-environment.md).")
    List<Path> tables = new ArrayList<>();

    @Option(names = "--port-value", paramLabel = "V", defaultValue = "0xffffffff",
            description = "What reads from I/O ports no hypervisor model claims return (default: ${DEFAULT-VALUE}).")
    String portValue;

    @Option(names = "--env", paramLabel = "K=V",
            description = "An environment variable for user-space code (repeat): getenv returns it and a program's"
                    + " envp holds it; every other variable is unset.")
    List<String> environment = new ArrayList<>();

    KernelOptions kernelOptions() {
        for (Path t : tables) {
            GuestObjects.existing(t.toString());
        }
        long value;
        try {
            value = GuestArguments.integer(portValue, portValue);
        } catch (IllegalArgumentException e) {
            throw new InputError("--port-value: not a number: " + portValue);
        }
        if (value < 0 || value > 0xFFFF_FFFFL) {
            throw new InputError("--port-value: must be 0 to 0xffffffff, got " + portValue);
        }
        for (String kv : environment) {
            if (kv.indexOf('=') <= 0) {
                throw new InputError("--env: expected KEY=VALUE, got '" + kv + "'");
            }
        }
        return KernelOptions.defaults().withTables(tables).withUnclaimedPortValue(value).withEnvironment(environment);
    }
}
