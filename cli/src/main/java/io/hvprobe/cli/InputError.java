package io.hvprobe.cli;

/** Bad input from the user (missing file, not ELF, unknown function): exit code 3, one line. */
final class InputError extends RuntimeException {
    private static final long serialVersionUID = 1L;

    InputError(String message) {
        super(message);
    }

    InputError(String message, Throwable cause) {
        super(message, cause);
    }
}
