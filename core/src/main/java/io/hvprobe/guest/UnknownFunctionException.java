package io.hvprobe.guest;

import java.util.List;

/** The requested function is not defined in the image. */
public final class UnknownFunctionException extends Exception {
    private static final long serialVersionUID = 1L;

    /**
     * For {@code function} missing from {@code object}, naming up to ten functions it does define.
     *
     * @param object    the object's name
     * @param function  the missing function
     * @param available the functions the object defines, in any order; only the first ten are named
     */
    public UnknownFunctionException(String object, String function, List<String> available) {
        super(object + ": no function '" + function + "'" + (available.isEmpty() ? " (it defines no functions)"
                : " (defined: " + String.join(", ", available.subList(0, Math.min(10, available.size())))
                + (available.size() > 10 ? ", ... " + (available.size() - 10) + " more" : "") + ")"));
    }
}
