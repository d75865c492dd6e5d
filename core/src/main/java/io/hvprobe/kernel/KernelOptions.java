package io.hvprobe.kernel;

import io.hvprobe.guest.MemoryLayout;

import java.nio.file.Path;
import java.util.List;

/**
 * How the kernel around module code behaves.
 *
 * @param tables             extra kernel-environment table files (their entries replace built-in ones)
 * @param heapSize           bytes of kernel heap for {@code kmalloc} and friends
 * @param unclaimedPortValue what a read from an I/O port no hypervisor plugin claims returns (masked to the access
 *                           size); {@code 0xFFFFFFFF} by default, as an absent ISA/PCI device floats the bus high
 * @param environment        the C library's environment for user-space code: {@code KEY=VALUE} strings that
 *                           {@code getenv} answers and a program's {@code envp} holds; empty by default (every
 *                           variable unset)
 */
public record KernelOptions(List<Path> tables, long heapSize, long unclaimedPortValue, List<String> environment) {
    /** The default read value of unclaimed ports. */
    public static final long DEFAULT_PORT_VALUE = 0xFFFF_FFFFL;

    public KernelOptions {
        tables = List.copyOf(tables);
        environment = List.copyOf(environment);
        for (String kv : environment) {
            if (kv.indexOf('=') <= 0) {
                throw new IllegalArgumentException("environment entry '" + kv + "' is not KEY=VALUE");
            }
        }
        if (heapSize <= 0 || (heapSize & 0xfff) != 0 || heapSize > MemoryLayout.MAX_KERNEL_HEAP) {
            throw new IllegalArgumentException("kernel heap size must be a positive multiple of 4 KiB up to "
                    + MemoryLayout.MAX_KERNEL_HEAP + " bytes");
        }
        if (unclaimedPortValue < 0 || unclaimedPortValue > 0xFFFF_FFFFL) {
            throw new IllegalArgumentException("unclaimed port value must be 0 to 0xffffffff");
        }
    }

    /** Options with an empty environment. */
    public KernelOptions(List<Path> tables, long heapSize, long unclaimedPortValue) {
        this(tables, heapSize, unclaimedPortValue, List.of());
    }

    /** The built-in table, a 16 MiB heap, unclaimed ports read {@code 0xFFFFFFFF}, no environment variables. */
    public static KernelOptions defaults() {
        return new KernelOptions(List.of(), KernelEnvironment.DEFAULT_HEAP_SIZE, DEFAULT_PORT_VALUE);
    }

    /** With extra table files. */
    public KernelOptions withTables(List<Path> files) {
        return new KernelOptions(files, heapSize, unclaimedPortValue, environment);
    }

    /** With another read value for unclaimed ports. */
    public KernelOptions withUnclaimedPortValue(long value) {
        return new KernelOptions(tables, heapSize, value, environment);
    }

    /** With the C library's environment ({@code KEY=VALUE} strings). */
    public KernelOptions withEnvironment(List<String> variables) {
        return new KernelOptions(tables, heapSize, unclaimedPortValue, variables);
    }
}
