package io.hvprobe.kernel;

import java.util.List;
import java.util.Locale;

/**
 * What a kernel-environment entry does when the guest calls it, and which argument roles it needs. The table
 * ({@code kernel-environment.yaml}) names a behaviour per symbol and the argument register of each role.
 */
public enum Behaviour {
    /** Returns a fixed value (locks, RCU, preemption, IRQ save/restore). */
    RETURN(List.of(), List.of()),
    /** Allocates {@code size} (times {@code count}) zeroed bytes from the guest heap; NULL when it does not fit. */
    ALLOC(List.of("size"), List.of("count")),
    /** Resizes {@code pointer} to {@code size} bytes (a new block; the old contents copied, the old block freed). */
    REALLOC(List.of("pointer", "size"), List.of()),
    /** Frees {@code pointer} (NULL and ZERO_SIZE_PTR are ignored). */
    FREE(List.of("pointer"), List.of()),
    /** Copies the C string {@code string} (at most {@code limit} characters) into a new heap block. */
    STRDUP(List.of("string"), List.of("limit")),
    /** Copies {@code size} bytes at {@code source} into a new heap block. */
    MEMDUP(List.of("source", "size"), List.of()),
    /**
     * Formats {@code format} into a new heap block (kasprintf); with {@code dest} ({@code asprintf}) the block's
     * address goes to {@code *dest} and the length is returned.
     */
    ASPRINTF(List.of("format"), List.of("valist", "dest")),
    /** Formats into {@code buffer} of {@code limit} bytes; returns the length the whole output has. */
    SNPRINTF(List.of("buffer", "limit", "format"), List.of("valist")),
    /** Formats into {@code buffer} of {@code limit} bytes; returns the characters written. */
    SCNPRINTF(List.of("buffer", "limit", "format"), List.of("valist")),
    /** Formats into {@code buffer} without a limit (bounded by the environment's output bound). */
    SPRINTF(List.of("buffer", "format"), List.of("valist")),
    /** Copies a C string into {@code dest} of {@code limit} bytes; returns its length or -E2BIG. */
    STRSCPY(List.of("dest", "source", "limit"), List.of()),
    /** Length of the C string {@code string}. */
    STRLEN(List.of("string"), List.of()),
    /** Length of the C string {@code string}, at most {@code limit}. */
    STRNLEN(List.of("string", "limit"), List.of()),
    /** Compares the C strings {@code first} and {@code second} (at most {@code limit} characters). */
    STRCMP(List.of("first", "second"), List.of("limit")),
    /** Copies {@code size} bytes from {@code source} to {@code dest} (overlap allowed); returns dest. */
    MEMCPY(List.of("dest", "source", "size"), List.of()),
    /** Fills {@code size} bytes at {@code dest} with the byte {@code fill}; returns dest. */
    MEMSET(List.of("dest", "fill", "size"), List.of()),
    /** Compares {@code size} bytes at {@code first} and {@code second}. */
    MEMCMP(List.of("first", "second", "size"), List.of()),
    /** Appends a line formatted from {@code format} to the run's kernel log. */
    LOG(List.of("format"), List.of("valist", "levelArg")),
    /** As {@link #LOG}, as a WARN event ({@code __warn_printk}). */
    WARN_LOG(List.of("format"), List.of("valist")),
    /** Advances the deterministic clock by {@code amount} times the entry's {@code scale} nanoseconds. */
    DELAY(List.of("amount"), List.of()),
    /** Returns the deterministic clock in nanoseconds divided by the entry's {@code scale}. */
    CLOCK(List.of(), List.of()),
    /** Writes the clock as a {@code struct timespec64} to {@code dest}. */
    CLOCK_TIMESPEC(List.of("dest"), List.of()),
    /** Copies {@code size} bytes between "user" and kernel memory; returns the bytes not copied. */
    COPY_USER(List.of("dest", "source", "size"), List.of()),
    /** Returns the address of the thread's {@code errno} (a slot in the image's TLS block). */
    ERRNO(List.of(), List.of()),
    /**
     * Formats {@code format} to the guest's standard output, or standard error when the entry says
     * {@code level: stderr} or the {@code stream} argument is the {@code stderr} stream; returns the length.
     */
    PRINT(List.of("format"), List.of("valist", "stream")),
    /** Writes the C string {@code string} (and a newline unless the entry says {@code level: no-newline}). */
    PUTS(List.of("string"), List.of("stream")),
    /** Writes {@code size} times {@code count} bytes at {@code source} to {@code stream} ({@code fwrite}). */
    WRITE(List.of("source", "size", "count"), List.of("stream")),
    /**
     * The C start-up ({@code __libc_start_main}): calls {@code main(argc, argv, envp)}; main's return is
     * {@code exit} with its value.
     */
    START_MAIN(List.of("main", "argc", "argv"), List.of()),
    /**
     * Ends the run with the exit status {@code status} ({@code exit}), or the entry's value ({@code abort}): first
     * the handlers {@link #ATEXIT} registered run, last registered first; level {@code immediate} ({@code _exit},
     * {@code abort}) runs none.
     */
    EXIT(List.of(), List.of("status")),
    /** Registers {@code function} (with {@code argument}, {@code __cxa_atexit}) to run at {@code exit}; returns 0. */
    ATEXIT(List.of("function"), List.of("argument")),
    /** Saves the callee-saved registers, stack pointer and return address in {@code env}; returns 0. */
    SETJMP(List.of("env"), List.of()),
    /** Returns from the {@link #SETJMP} that filled {@code env} again, with {@code result} (1 if 0). */
    LONGJMP(List.of("env", "result"), List.of()),
    /**
     * C {@code strtol}: parses {@code string} in {@code base}, stores the end in {@code *end} (when non-NULL);
     * {@code level: unsigned} for the {@code strtoul} family; out of range clamps and sets {@code errno}.
     */
    STRTOL(List.of("string"), List.of("end", "base")),
    /** The value of environment variable {@code name} ({@code --env}); NULL when it is not set. */
    GETENV(List.of("name"), List.of()),
    /** A signal set: {@code level} {@code empty}, {@code fill}, {@code add} or {@code del} ({@code signal}). */
    SIGSET(List.of("set"), List.of("signal")),
    /**
     * Installs the action for {@code signal} ({@code struct sigaction *action}, or with level {@code handler} the
     * handler itself, as {@code signal()}), delivered when the program faults; {@code *old} (when non-NULL) gets
     * the action replaced. Returns 0 ({@code signal()}: the old handler).
     */
    SIGACTION(List.of("signal"), List.of("action", "old")),
    /** The first (or, with {@code level: last}, the last) {@code fill} character in the C string {@code string}. */
    STRCHR(List.of("string", "fill"), List.of()),
    /** The first {@code fill} byte in {@code size} bytes at {@code source}, or NULL. */
    MEMCHR(List.of("source", "fill", "size"), List.of()),
    /** The first occurrence of the C string {@code second} in {@code first}, or NULL. */
    STRSTR(List.of("first", "second"), List.of()),
    /**
     * Copies the C string {@code source} (at most {@code limit} characters) to {@code dest}, or with {@code level:
     * append} to its end ({@code strcat}); returns dest.
     */
    STRCPY(List.of("dest", "source"), List.of("limit")),
    /** glibc's {@code __ctype_b_loc}: the address of a pointer to the character-class table (C locale). */
    CTYPE(List.of(), List.of());

    private final List<String> required;
    private final List<String> optional;

    Behaviour(List<String> required, List<String> optional) {
        this.required = required;
        this.optional = optional;
    }

    /** {@return argument roles an entry of this behaviour must give (immutable)} */
    public List<String> requiredRoles() {
        return required;
    }

    /** {@return argument roles an entry may give beyond the required ones (immutable)} */
    public List<String> optionalRoles() {
        return optional;
    }

    /** {@return the table's spelling: {@code snprintf}, {@code warn-log}} */
    public String tableName() {
        return name().toLowerCase(Locale.ROOT).replace('_', '-');
    }
}
