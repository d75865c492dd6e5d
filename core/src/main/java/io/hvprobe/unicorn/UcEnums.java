package io.hvprobe.unicorn;

/**
 * Architecture, mode and query values used internally. Each field {@code F} equals {@code UC_F}
 * in {@code unicorn.h} (checked by a test that parses it).
 */
final class UcEnums {
    static final int ARCH_ARM64 = 2;
    static final int ARCH_X86 = 4;
    static final int MODE_LITTLE_ENDIAN = 0;
    static final int MODE_ARM = 0;
    static final int MODE_64 = 8;
    static final int QUERY_TIMEOUT = 4;

    private UcEnums() {
    }
}
