package io.hvprobe.guest;

import java.util.List;

/**
 * A stub call as its handler sees it.
 *
 * @param name          the external function
 * @param caller        symbol+offset of the return address
 * @param arguments     the integer argument registers (6 on x86_64, 8 on arm64)
 * @param stackArgument guest address of the first argument passed on the stack (variadic calls): just above the
 *                      return address on x86_64, the stack pointer on arm64
 */
public record StubFrame(String name, String caller, List<Long> arguments, long stackArgument) {
    /**
     * Copies {@code arguments}.
     *
     * @param name          the external function
     * @param caller        symbol+offset of the return address
     * @param arguments     the integer argument registers (copied)
     * @param stackArgument guest address of the first argument passed on the stack
     */
    public StubFrame {
        arguments = List.copyOf(arguments);
    }

    /**
     * Argument register {@code i}.
     *
     * @param i 0 to 5 on x86_64, 0 to 7 on arm64
     * @return the register's value
     * @throws IndexOutOfBoundsException for another index
     */
    public long argument(int i) {
        return arguments.get(i);
    }
}
