package io.hvprobe.kernel;

/**
 * One entry of a Linux {@code .altinstructions} table: at boot the kernel copies the replacement over the original
 * instructions when the CPU has (or, {@code inverted}, lacks) the feature.
 *
 * @param site              guest address of the original instructions
 * @param siteLength        their length in bytes
 * @param replacement       guest address of the replacement instructions (in {@code .altinstr_replacement})
 * @param replacementLength their length (at most {@code siteLength}; the rest is padded with no-ops)
 * @param feature           the CPU feature (x86 {@code X86_FEATURE_*} word * 32 + bit, arm64 capability number)
 * @param inverted          patched in when the CPU lacks the feature ({@code ALT_NOT})
 * @param callback          arm64: the replacement is a function that generates the instructions, not the
 *                          instructions themselves; never patched here
 */
public record Alternative(long site, int siteLength, long replacement, int replacementLength, int feature,
                          boolean inverted, boolean callback) {

    /**
     * {@return whether copying the replacement's bytes is what the kernel does for this entry when the feature is set}
     */
    public boolean patchable() {
        return !inverted && !callback;
    }
}
