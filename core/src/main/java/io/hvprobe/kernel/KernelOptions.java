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
 */
public record KernelOptions(List<Path> tables, long heapSize, long unclaimedPortValue) {
    /** The default read value of unclaimed ports. */
    public static final long DEFAULT_PORT_VALUE = 0xFFFF_FFFFL;

    public KernelOptions {
        tables = List.copyOf(tables);
        if (heapSize <= 0 || (heapSize & 0xfff) != 0 || heapSize > MemoryLayout.MAX_KERNEL_HEAP) {
            throw new IllegalArgumentException("kernel heap size must be a positive multiple of 4 KiB up to "
                    + MemoryLayout.MAX_KERNEL_HEAP + " bytes");
        }
        if (unclaimedPortValue < 0 || unclaimedPortValue > 0xFFFF_FFFFL) {
            throw new IllegalArgumentException("unclaimed port value must be 0 to 0xffffffff");
        }
    }

    /** The built-in table, a 16 MiB heap, unclaimed ports read {@code 0xFFFFFFFF}. */
    public static KernelOptions defaults() {
        return new KernelOptions(List.of(), KernelEnvironment.DEFAULT_HEAP_SIZE, DEFAULT_PORT_VALUE);
    }

    /** With extra table files. */
    public KernelOptions withTables(List<Path> files) {
        return new KernelOptions(files, heapSize, unclaimedPortValue);
    }

    /** With another read value for unclaimed ports. */
    public KernelOptions withUnclaimedPortValue(long value) {
        return new KernelOptions(tables, heapSize, value);
    }
}
