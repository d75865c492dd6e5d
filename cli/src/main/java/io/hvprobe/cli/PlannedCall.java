package io.hvprobe.cli;

import io.hvprobe.guest.GuestCall;

/**
 * One call {@code hvprobe check} runs under the verifier.
 *
 * @param call      the function and its arguments
 * @param synthetic whether the arguments are invented (then faults and budget overruns are warnings, since
 *                  they may be the arguments' fault rather than the code's)
 * @param label     a short description for reports, e.g. {@code synthetic} or a manifest scenario name
 */
public record PlannedCall(GuestCall call, boolean synthetic, String label) {
}
