package io.hvprobe.guest;

import java.util.List;

/**
 * A call the guest made to an undefined external function (resolved to a stub).
 *
 * @param name      the external symbol
 * @param caller    the return address as symbol+offset of the calling function (also when the call was its last
 *                  instruction, as calls of {@code __stack_chk_fail} often are)
 * @param arguments the first integer argument registers (6 on x86_64, 8 on arm64)
 * @param returned  the value the stub returned
 */
public record StubCall(String name, String caller, List<Long> arguments, long returned) {
    /**
     * Copies {@code arguments}.
     *
     * @param name      the external symbol
     * @param caller    the return address as symbol+offset
     * @param arguments the integer argument registers (copied)
     * @param returned  the value the stub returned
     */
    public StubCall {
        arguments = List.copyOf(arguments);
    }
}
