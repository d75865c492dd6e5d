package io.hvprobe.vmware.entry;

import io.hvprobe.arch.GuestRegister;
import io.hvprobe.arch.RegisterSnapshot;

import java.util.Arrays;
import java.util.Optional;

/**
 * One backdoor call normalised to arg0..arg6, whatever instruction carried it.
 *
 * @param path        the entry path
 * @param bandwidth   LB or HB
 * @param direction   IN (host to guest) or OUT
 * @param port        the I/O port the call addressed (0x5658, 0x5659, 0x5670...); for hypercalls the
 *                    port it stands for (0x5658 LB, 0x5659 HB)
 * @param args        full 64-bit argument values arg0..arg6 (0 where the path has no register)
 * @param registers   the complete register snapshot at the trap
 * @param addressMask mask of valid HB buffer-address bits (0xFFFFFFFF with a 32-bit address size)
 * @param argRegisters where each arg came from
 */
public record BackdoorCall(EntryPath path, Bandwidth bandwidth, Direction direction, int port, long[] args,
                           RegisterSnapshot registers, long addressMask, ArgRegisters argRegisters) {

    public BackdoorCall {
        if (args.length != ArgRegisters.ARGS) {
            throw new IllegalArgumentException("a backdoor call has " + ArgRegisters.ARGS + " args");
        }
        args = args.clone();
    }

    /** Reads arg0..arg6 from {@code registers} as {@code path} maps them. */
    public static BackdoorCall from(EntryPath path, Bandwidth bandwidth, Direction direction, int port,
                                   RegisterSnapshot registers, long addressMask) {
        long[] args = new long[ArgRegisters.ARGS];
        for (int i = 0; i < args.length; i++) {
            Optional<GuestRegister> r = path.registers().register(i);
            args[i] = r.isPresent() ? registers.get(r.get()) : 0;
        }
        return new BackdoorCall(path, bandwidth, direction, port, args, registers, addressMask, path.registers());
    }

    /** The full 64-bit value of {@code arg}. */
    public long arg(int arg) {
        return args[arg];
    }

    /** The low 32 bits of {@code arg} (what VMware reads of an LB input). */
    public long arg32(int arg) {
        return args[arg] & 0xFFFF_FFFFL;
    }

    /** The register {@code arg} came from, empty if the path has none. */
    public Optional<GuestRegister> register(int arg) {
        return argRegisters.register(arg);
    }

    /** EDX[31:16] ({@code in3}: GuestRPC channel id). */
    public int in3High() {
        return (int) ((args[3] >>> 16) & 0xFFFF);
    }

    /** HB byte count (arg2), limited to the address size. */
    public long hbCount() {
        return args[2] & addressMask;
    }

    /** HB buffer address: arg4 (OUT, source) or arg5 (IN, destination), limited to the address size. */
    public long hbBuffer() {
        return (direction == Direction.OUT ? args[4] : args[5]) & addressMask;
    }

    /** Whether this is the balloon port. */
    public boolean isBalloon() {
        return port == io.hvprobe.vmware.abi.Backdoor.BALLOON_PORT;
    }

    @Override
    public long[] args() {
        return args.clone();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof BackdoorCall c && c.path == path && c.bandwidth == bandwidth && c.direction == direction
                && c.port == port && Arrays.equals(c.args, args) && c.registers.equals(registers)
                && c.addressMask == addressMask;
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(args) * 31 + path.hashCode();
    }

    @Override
    public String toString() {
        StringBuilder b = new StringBuilder(path.label()).append(' ').append(bandwidth).append(' ').append(direction)
                .append(" port=0x").append(Integer.toHexString(port));
        for (int i = 0; i < args.length; i++) {
            b.append(" arg").append(i).append("=0x").append(Long.toHexString(args[i]));
        }
        return b.toString();
    }
}
