package io.hvprobe.report;

import io.hvprobe.run.FindingSite;
import io.hvprobe.spi.Finding;

import java.util.List;

/**
 * One finding as a report lists it: the same finding at the same site made under several profiles is reported
 * once, with all of them.
 *
 * @param finding     what was found
 * @param site        where (its {@code profile} is the first of {@code profiles})
 * @param profiles    the profiles whose runs produced it, sorted ({@code [""]} when runs had no profile)
 * @param fingerprint stable identity across rebuilds: rule, object, variant, function and the evidence that names
 *                    the command and register, never addresses; an occurrence number tells apart equal ones
 */
public record ReportedFinding(Finding finding, FindingSite site, List<String> profiles, String fingerprint) {
    /** The SARIF {@code partialFingerprints} key of {@link #fingerprint()}; changes when what is hashed changes. */
    public static final String FINGERPRINT_KEY = "hvprobe/v1";

    /**
     * Copies {@code profiles}.
     *
     * @param finding     what was found
     * @param site        where
     * @param profiles    the profiles whose runs produced it, sorted (copied)
     * @param fingerprint stable identity across rebuilds
     */
    public ReportedFinding {
        profiles = List.copyOf(profiles);
    }

    /**
     * The profiles as a comma-separated list, {@code ""} when none was named.
     *
     * @return the profiles joined with {@code ","}
     */
    public String profileList() {
        return String.join(", ", profiles.stream().filter(p -> !p.isEmpty()).toList());
    }
}
