package io.hvprobe.guest;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * A process's initial stack as Linux leaves it for the ELF entry point (both arches): at the stack pointer
 * {@code argc}, then {@code argv[0..argc-1]}, NULL, the environment pointers, NULL, and the auxiliary vector
 * ({@code AT_PAGESZ}, {@code AT_CLKTCK}, {@code AT_RANDOM}, {@code AT_PLATFORM}, {@code AT_SECURE}, the ids, and
 * {@code AT_NULL}); the strings and the 16 {@code AT_RANDOM} bytes above. Deterministic: the random bytes are fixed.
 *
 * @param argv        the program's arguments, {@code argv[0]} included
 * @param environment {@code KEY=VALUE} strings, in order
 * @param platform    the {@code AT_PLATFORM} string ({@code x86_64}, {@code aarch64})
 */
public record ProcessStack(List<String> argv, List<String> environment, String platform) {
    /** Most bytes the strings may take (the stack page budget). */
    public static final int MAX_STRING_BYTES = 64 * 1024;

    private static final long AT_NULL = 0;
    private static final long AT_PAGESZ = 6;
    private static final long AT_UID = 11;
    private static final long AT_EUID = 12;
    private static final long AT_GID = 13;
    private static final long AT_EGID = 14;
    private static final long AT_PLATFORM = 15;
    private static final long AT_HWCAP = 16;
    private static final long AT_CLKTCK = 17;
    private static final long AT_SECURE = 23;
    private static final long AT_RANDOM = 25;

    /**
     * Copies the lists and checks that the strings fit.
     *
     * @param argv        the program's arguments (copied)
     * @param environment {@code KEY=VALUE} strings (copied)
     * @param platform    the {@code AT_PLATFORM} string
     * @throws IllegalArgumentException when the strings take more than {@link #MAX_STRING_BYTES} bytes
     */
    public ProcessStack {
        argv = List.copyOf(argv);
        environment = List.copyOf(environment);
        int bytes = platform.length() + 1;
        for (String s : argv) {
            bytes += s.getBytes(StandardCharsets.UTF_8).length + 1;
        }
        for (String s : environment) {
            bytes += s.getBytes(StandardCharsets.UTF_8).length + 1;
        }
        if (bytes > MAX_STRING_BYTES) {
            throw new IllegalArgumentException("arguments and environment take " + bytes + " bytes, more than the "
                    + MAX_STRING_BYTES + "-byte limit");
        }
    }

    /**
     * The stack's bytes laid out to end below {@code top}.
     *
     * @param address        where {@code bytes} go
     * @param bytes          the initial stack, from the stack pointer up
     * @param stackPointer   the entry stack pointer (16-byte aligned; {@code argc} is there)
     */
    public record Layout(long address, byte[] bytes, long stackPointer) {
    }

    /**
     * Lays the stack out so that it ends below {@code top} (exclusive).
     *
     * @param top the address the stack ends below
     * @return its address, bytes and the stack pointer at {@code argc}
     */
    public Layout layout(long top) {
        ByteArrayStrings strings = new ByteArrayStrings();
        List<Integer> argOffsets = new ArrayList<>();
        argv.forEach(a -> argOffsets.add(strings.add(a)));
        List<Integer> envOffsets = new ArrayList<>();
        environment.forEach(e -> envOffsets.add(strings.add(e)));
        int platformOffset = strings.add(platform);
        int randomOffset = strings.addBytes(new byte[] {0x48, 0x56, 0x50, 0x52, 0x4f, 0x42, 0x45, 0x21,
                0x10, 0x32, 0x54, 0x76, (byte) 0x98, (byte) 0xba, (byte) 0xdc, (byte) 0xfe});
        byte[] text = strings.bytes();
        long textBase = (top - text.length) & -16L;
        long[][] aux = {{AT_PAGESZ, MemoryLayout.PAGE}, {AT_CLKTCK, 100}, {AT_HWCAP, 0},
                {AT_RANDOM, textBase + randomOffset}, {AT_PLATFORM, textBase + platformOffset}, {AT_SECURE, 0},
                {AT_UID, 0}, {AT_EUID, 0}, {AT_GID, 0}, {AT_EGID, 0}, {AT_NULL, 0}};
        int words = 1 + argv.size() + 1 + environment.size() + 1 + 2 * aux.length;
        long sp = (textBase - 8L * words) & -16L;
        ByteBuffer b = ByteBuffer.allocate((int) (top - sp)).order(ByteOrder.LITTLE_ENDIAN);
        b.putLong(argv.size());
        argOffsets.forEach(o -> b.putLong(textBase + o));
        b.putLong(0);
        envOffsets.forEach(o -> b.putLong(textBase + o));
        b.putLong(0);
        for (long[] pair : aux) {
            b.putLong(pair[0]).putLong(pair[1]);
        }
        b.position((int) (textBase - sp));
        b.put(text);
        return new Layout(sp, b.array(), sp);
    }

    /** NUL-terminated strings packed one after the other. */
    private static final class ByteArrayStrings {
        private final java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();

        int add(String s) {
            byte[] b = s.getBytes(StandardCharsets.UTF_8);
            int at = out.size();
            out.write(b, 0, b.length);
            out.write(0);
            return at;
        }

        int addBytes(byte[] b) {
            int at = out.size();
            out.write(b, 0, b.length);
            return at;
        }

        byte[] bytes() {
            return out.toByteArray();
        }
    }
}
