package io.hvprobe.vmware.command;

/**
 * A value the hypervisor writes into backdoor argument {@code arg} (mapped to a register per path).
 *
 * @param arg   0..6
 * @param width 32 (zero-extending, the default) or 64
 * @param value the value
 */
public record ArgWrite(int arg, int width, long value) {
    public ArgWrite {
        if (arg < 0 || arg > 6 || (width != 32 && width != 64)) {
            throw new IllegalArgumentException("bad arg write arg" + arg + " width " + width);
        }
        if (width == 32) {
            value &= 0xFFFF_FFFFL;
        }
    }
}
