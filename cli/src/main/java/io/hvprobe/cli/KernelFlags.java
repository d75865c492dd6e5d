package io.hvprobe.cli;

import io.hvprobe.kernel.KernelOptions;
import picocli.CommandLine.Option;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** {@code --kernel-table} and {@code --port-value}: the kernel environment around module code. */
final class KernelFlags {
    @Option(names = "--kernel-table", paramLabel = "FILE",
            description = "Extra kernel-environment table (YAML; repeat): its entries add to or replace the built-in"
                    + " behaviour of kernel functions (docs/kernel-environment.md).")
    List<Path> tables = new ArrayList<>();

    @Option(names = "--port-value", paramLabel = "V", defaultValue = "0xffffffff",
            description = "What reads from I/O ports no hypervisor model claims return (default: ${DEFAULT-VALUE}).")
    String portValue;

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
        return KernelOptions.defaults().withTables(tables).withUnclaimedPortValue(value);
    }
}
