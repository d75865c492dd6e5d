package io.hvprobe.unicorn;

/**
 * Java hook code threw. The exception was caught inside the native callback (it must never unwind
 * through Unicorn's frames), emulation was stopped, and this wraps it once {@code emuStart} returned.
 * The engine stays usable.
 */
public final class HookFailedException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    HookFailedException(String hookKind, Throwable cause) {
        super(hookKind + " hook threw " + cause, cause);
    }
}
