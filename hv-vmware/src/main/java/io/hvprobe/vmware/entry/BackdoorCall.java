package io.hvprobe.vmware.entry;

import io.hvprobe.arch.GuestRegister;
import io.hvprobe.arch.RegisterSnapshot;

import java.util.Optional;

/**
 * One backdoor call normalised to arg0..arg6, whatever instruction carried it. The arguments are read from the
 * immutable register snapshot where {@code argRegisters} says, not copied: a call is made on every trap.
 *
 * @param path        the entry path
 * @param bandwidth   LB or HB
 * @param direction   IN (host to guest) or OUT
 * @param port        the I/O port the call addressed (0x5658, 0x5659, 0x5670...); for hypercalls the
 *                    port it stands for (0x5658 LB, 0x5659 HB)
 * @param registers   the complete register snapshot at the trap
 * @param addressMask mask of valid HB buffer-address bits (0xFFFFFFFF with a 32-bit address size)
 * @param argRegisters where each arg comes from
 */
public record BackdoorCall(EntryPath path, Bandwidth bandwidth, Direction direction, int port,
                           RegisterSnapshot registers, long addressMask, ArgRegisters argRegisters) {

    /** A call whose arg0..arg6 are {@code registers}' values as {@code path} maps them. */
    public static BackdoorCall from(EntryPath path, Bandwidth bandwidth, Direction direction, int port,
                                   RegisterSnapshot registers, long addressMask) {
        return new BackdoorCall(path, bandwidth, direction, port, registers, addressMask, path.registers());
    }

    /** The full 64-bit value of {@code arg} (0 where the path has no register for it). */
    public long arg(int arg) {
        return argRegisters.valueIn(registers, arg);
    }

    /** The low 32 bits of {@code arg} (what VMware reads of an LB input). */
    public long arg32(int arg) {
        return arg(arg) & 0xFFFF_FFFFL;
    }

    /** {@return the full 64-bit argument values arg0..arg6 (0 where the path has no register), in a new array} */
    public long[] args() {
        long[] args = new long[ArgRegisters.ARGS];
        for (int i = 0; i < args.length; i++) {
            args[i] = arg(i);
        }
        return args;
    }

    /** The register {@code arg} came from, empty if the path has none. */
    public Optional<GuestRegister> register(int arg) {
        return argRegisters.register(arg);
    }

    /** EDX[31:16] ({@code in3}: GuestRPC channel id). */
    public int in3High() {
        return (int) ((arg(3) >>> 16) & 0xFFFF);
    }

    /** HB byte count (arg2), limited to the address size. */
    public long hbCount() {
        return arg(2) & addressMask;
    }

    /** HB buffer address: arg4 (OUT, source) or arg5 (IN, destination), limited to the address size. */
    public long hbBuffer() {
        return arg(direction == Direction.OUT ? 4 : 5) & addressMask;
    }

    /** Whether this is the balloon port. */
    public boolean isBalloon() {
        return port == io.hvprobe.vmware.abi.Backdoor.BALLOON_PORT;
    }

    @Override
    public String toString() {
        StringBuilder b = new StringBuilder(path.label()).append(' ').append(bandwidth).append(' ').append(direction)
                .append(" port=0x").append(Integer.toHexString(port));
        for (int i = 0; i < ArgRegisters.ARGS; i++) {
            b.append(" arg").append(i).append("=0x").append(Long.toHexString(arg(i)));
        }
        return b.toString();
    }
}
