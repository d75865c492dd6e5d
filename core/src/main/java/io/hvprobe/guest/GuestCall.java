package io.hvprobe.guest;

import java.util.List;

/**
 * A call of one guest function: SysV x86_64 or AAPCS64, up to 8 integer arguments
 * (6 in registers on x86_64; the rest on the stack).
 *
 * @param function  the function's symbol name
 * @param arguments the arguments in order
 */
public record GuestCall(String function, List<Argument> arguments) {
    /** Most arguments a call may pass. */
    public static final int MAX_ARGUMENTS = 8;

    /**
     * Copies the arguments and checks their number.
     *
     * @param function  the function's symbol name
     * @param arguments the arguments in order, at most {@link #MAX_ARGUMENTS} (copied)
     * @throws IllegalArgumentException for more than {@link #MAX_ARGUMENTS} arguments
     */
    public GuestCall {
        arguments = List.copyOf(arguments);
        if (arguments.size() > MAX_ARGUMENTS) {
            throw new IllegalArgumentException(function + ": at most " + MAX_ARGUMENTS + " arguments, got "
                    + arguments.size());
        }
    }

    /**
     * A call with integer arguments.
     *
     * @param function the function's symbol name
     * @param values   integer arguments, at most {@link #MAX_ARGUMENTS}
     * @return the call
     * @throws IllegalArgumentException for more than {@link #MAX_ARGUMENTS} arguments
     */
    public static GuestCall of(String function, long... values) {
        return new GuestCall(function, java.util.Arrays.stream(values).mapToObj(Argument::value).toList());
    }
}
