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

    /**
     * Rejects a null {@code source}.
     *
     * @param object   the object's path as the user named it
     * @param function the function symbol ({@code ""} if none)
     * @param offset   byte offset inside {@code function}, or the absolute address
     * @param arch     the guest architecture
     * @param variant  the build variant label, {@code ""} if none
     * @param profile  the hypervisor profile, {@code ""} if none
     * @param source   the source location, empty when unknown (never null)
     */
    public FindingSite {
        java.util.Objects.requireNonNull(source, "source");
    }

    /**
     * A site without a source location.
     *
     * @param object   the object's path as the user named it
     * @param function the function symbol ({@code ""} if none)
     * @param offset   byte offset inside {@code function}, or the absolute address
     * @param arch     the guest architecture
     * @param variant  the build variant label, {@code ""} if none
     * @param profile  the hypervisor profile, {@code ""} if none
     */
    public FindingSite(String object, String function, long offset, Arch arch, String variant, String profile) {
        this(object, function, offset, arch, variant, profile, Optional.empty());
    }

    /**
     * {@code function+0x1c}, or the hex address when there is no function.
     *
     * @return the location as report lines print it
     */
    public String location() {
        return function.isEmpty() ? "0x" + Long.toHexString(offset) : function + "+0x" + Long.toHexString(offset);
    }

    /**
     * This site with {@code source} as its source location.
     *
     * @param source the source location
     * @return a copy of this site; this one is unchanged
     */
    public FindingSite withSource(SourceLocation source) {
        return new FindingSite(object, function, offset, arch, variant, profile, Optional.of(source));
    }

    /**
     * This site under another profile.
     *
     * @param profile the profile name, {@code ""} for none
     * @return a copy of this site; this one is unchanged
     */
    public FindingSite withProfile(String profile) {
        return new FindingSite(object, function, offset, arch, variant, profile, source);
    }
}
