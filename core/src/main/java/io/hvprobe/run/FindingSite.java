package io.hvprobe.run;

import io.hvprobe.arch.Arch;

import java.util.Optional;

/**
 * Where a finding was made: which object, function and instruction, under which variant and profile, and the
 * source line when debug information gives one.
 *
 * @param object   the object's path as the user named it
 * @param function the function symbol ({@code ""} if none)
 * @param offset   byte offset of the instruction inside {@code function} (or the absolute address if no function)
 * @param arch     the guest architecture
 * @param variant  a label for the build variant or matrix cell (e.g. {@code gcc/O2}), {@code ""} if none
 * @param profile  the hypervisor profile the run used, {@code ""} if none
 * @param source   the instruction's source location, empty when the object has no (usable) debug information
 */
public record FindingSite(String object, String function, long offset, Arch arch, String variant, String profile,
                          Optional<SourceLocation> source) {

    public FindingSite {
        java.util.Objects.requireNonNull(source, "source");
    }

    /** A site without a source location. */
    public FindingSite(String object, String function, long offset, Arch arch, String variant, String profile) {
        this(object, function, offset, arch, variant, profile, Optional.empty());
    }

    /** {@code function+0x1c}, or the hex address when there is no function. */
    public String location() {
        return function.isEmpty() ? "0x" + Long.toHexString(offset) : function + "+0x" + Long.toHexString(offset);
    }

    /** This site with {@code source} as its source location. */
    public FindingSite withSource(SourceLocation source) {
        return new FindingSite(object, function, offset, arch, variant, profile, Optional.of(source));
    }

    /** This site under another profile. */
    public FindingSite withProfile(String profile) {
        return new FindingSite(object, function, offset, arch, variant, profile, source);
    }
}
