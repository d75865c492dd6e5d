package io.hvprobe.cli;

import io.hvprobe.guest.GuestCall;
import io.hvprobe.verify.Grounds;

/**
 * One call {@code hvprobe check} runs under the verifier.
 *
 * @param call      the function and its arguments
 * @param grounds   whether the arguments and the starting protocol state are invented (then findings that rest
 *                  on them are notes: docs/verifier.md, "Invented inputs")
 * @param label     a short description for reports, e.g. {@code synthetic} or a manifest scenario name
 */
public record PlannedCall(GuestCall call, Grounds grounds, String label) {
}
