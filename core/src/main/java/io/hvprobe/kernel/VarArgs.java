package io.hvprobe.kernel;

import io.hvprobe.arch.Arch;
import io.hvprobe.guest.StubFrame;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/** The integer arguments after a format string, in order: from a variadic call or from a {@code va_list}. */
interface VarArgs {
    /** The next integer (or pointer) argument. */
    long next();

    /** The arguments of a variadic call after register {@code first}: registers first, then the stack. */
    static VarArgs ofCall(StubFrame frame, int first, GuestMemory memory) {
        return new VarArgs() {
            private int index = first;

            @Override
            public long next() {
                int i = index++;
                if (i < frame.arguments().size()) {
                    return frame.argument(i);
                }
                return memory.readLong(frame.stackArgument() + 8L * (i - frame.arguments().size()));
            }
        };
    }

    /**
     * The arguments a {@code va_list} holds; {@code pointer} is the argument register (a pointer to the
     * {@code va_list} object on both architectures). Reading does not change the guest's {@code va_list}.
     */
    static VarArgs ofVaList(Arch arch, long pointer, GuestMemory memory) {
        ByteBuffer b = ByteBuffer.wrap(memory.read(pointer, arch == Arch.X86_64 ? 24 : 32))
                .order(ByteOrder.LITTLE_ENDIAN);
        if (arch == Arch.X86_64) {
            // System V: {u32 gp_offset; u32 fp_offset; void *overflow_arg_area; void *reg_save_area}.
            return new VarArgs() {
                private long gpOffset = Integer.toUnsignedLong(b.getInt(0));
                private long overflow = b.getLong(8);
                private final long saveArea = b.getLong(16);

                @Override
                public long next() {
                    if (gpOffset < 48) {
                        long v = memory.readLong(saveArea + gpOffset);
                        gpOffset += 8;
                        return v;
                    }
                    long v = memory.readLong(overflow);
                    overflow += 8;
                    return v;
                }
            };
        }
        // AAPCS64: {void *__stack; void *__gr_top; void *__vr_top; int __gr_offs; int __vr_offs}.
        return new VarArgs() {
            private long stack = b.getLong(0);
            private final long grTop = b.getLong(8);
            private int grOffs = b.getInt(24);

            @Override
            public long next() {
                if (grOffs < 0) {
                    long v = memory.readLong(grTop + grOffs);
                    grOffs += 8;
                    return v;
                }
                long v = memory.readLong(stack);
                stack += 8;
                return v;
            }
        };
    }
}
