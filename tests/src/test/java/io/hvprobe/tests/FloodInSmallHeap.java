package io.hvprobe.tests;

import io.hvprobe.api.Probe;
import io.hvprobe.api.ProbeOptions;
import io.hvprobe.guest.GuestCall;
import io.hvprobe.verify.Verification;
import io.hvprobe.verify.Verifier;
import io.hvprobe.verify.VerifyOptions;

import java.nio.file.Path;
import java.util.List;

/**
 * Run by {@link BoundedWorkTest} in a JVM with a small heap: verifies the three floods of {@link BoundedWorkTest}
 * at default settings, prints each function's notes and checks each verification
 * ({@link BoundedWorkTest#assertFlood}); an OutOfMemoryError or a failed check makes the exit status non-zero.
 */
final class FloodInSmallHeap {
    private FloodInSmallHeap() {
    }

    public static void main(String[] args) throws Exception {
        try (Probe probe = Probe.open(Path.of(args[0]), ProbeOptions.defaults())) {
            for (String function : List.of("many_getversions", "payload_flood", "receive_flood")) {
                Verification v = new Verifier(VerifyOptions.defaults()).verify(probe, GuestCall.of(function));
                v.notes().forEach(n -> System.out.println(function + ": " + n));
                BoundedWorkTest.assertFlood(function, v);
            }
        }
    }
}
