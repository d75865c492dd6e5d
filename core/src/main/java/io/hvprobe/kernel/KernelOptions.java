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

    /**
     * Checks every component and copies the lists.
     *
     * @param tables             extra table files (copied)
     * @param heapSize           bytes of kernel heap: a positive multiple of 4 KiB up to {@link
     *                           MemoryLayout#MAX_KERNEL_HEAP}
     * @param unclaimedPortValue read value of unclaimed ports, 0 to {@code 0xFFFFFFFF}
     * @param environment        {@code KEY=VALUE} strings with a non-empty key (copied)
     * @throws IllegalArgumentException for a bad heap size, port value or environment string
     */
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

    /**
     * Options with an empty environment.
     *
     * @param tables             extra table files (copied)
     * @param heapSize           bytes of kernel heap: a positive multiple of 4 KiB up to {@link
     *                           MemoryLayout#MAX_KERNEL_HEAP}
     * @param unclaimedPortValue read value of unclaimed ports, 0 to {@code 0xFFFFFFFF}
     * @throws IllegalArgumentException for a bad heap size or port value
     */
    public KernelOptions(List<Path> tables, long heapSize, long unclaimedPortValue) {
        this(tables, heapSize, unclaimedPortValue, List.of());
    }

    /**
     * The built-in table, a 16 MiB heap, unclaimed ports read {@code 0xFFFFFFFF}, no environment variables.
     *
     * @return the defaults
     */
    public static KernelOptions defaults() {
        return new KernelOptions(List.of(), KernelEnvironment.DEFAULT_HEAP_SIZE, DEFAULT_PORT_VALUE);
    }

    /**
     * With extra table files.
     *
     * @param files table files; they replace this one's extra files (copied)
     * @return a copy with those files
     */
    public KernelOptions withTables(List<Path> files) {
        return new KernelOptions(files, heapSize, unclaimedPortValue, environment);
    }

    /**
     * With another read value for unclaimed ports.
     *
     * @param value 0 to {@code 0xFFFFFFFF}
     * @return a copy with that read value
     * @throws IllegalArgumentException for a value outside that range
     */
    public KernelOptions withUnclaimedPortValue(long value) {
        return new KernelOptions(tables, heapSize, value, environment);
    }

    /**
     * With the C library's environment ({@code KEY=VALUE} strings).
     *
     * @param variables {@code KEY=VALUE} strings with a non-empty key (copied); they replace this one's
     * @return a copy with that environment
     * @throws IllegalArgumentException for a string that is not {@code KEY=VALUE}
     */
    public KernelOptions withEnvironment(List<String> variables) {
        return new KernelOptions(tables, heapSize, unclaimedPortValue, variables);
    }
}
