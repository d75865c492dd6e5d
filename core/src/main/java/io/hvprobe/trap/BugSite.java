package io.hvprobe.trap;

import java.util.Optional;

/**
 * One entry of the kernel's {@code __bug_table}: a {@code ud2} (x86_64) or {@code brk #0x800} (arm64) that is the
 * kernel's BUG() or WARN().
 *
 * @param address  the trapping instruction
 * @param length   its length in bytes
 * @param warning  true for WARN (the kernel logs and continues after it), false for BUG (the kernel stops)
 * @param file     the source file the entry names, when the kernel was built with verbose BUG entries
 * @param line     the source line (0 when unknown)
 */
public record BugSite(long address, int length, boolean warning, Optional<String> file, int line) {

    /**
     * {@code WARN at drivers/x.c:12} or {@code BUG}.
     *
     * @return the description, one line
     */
    public String describe() {
        return (warning ? "WARN" : "BUG") + file.map(f -> " at " + f + (line > 0 ? ":" + line : "")).orElse("");
    }
}
