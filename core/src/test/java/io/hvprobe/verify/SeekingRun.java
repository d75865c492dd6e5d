package io.hvprobe.verify;

import io.hvprobe.api.Probe;
import io.hvprobe.guest.GuestCall;
import io.hvprobe.guest.Instrumentation;
import io.hvprobe.guest.WrittenPages;

/** A run that asks for trap points, as the verifier's baseline does: a memory-write hook notes the guest's pages. */
final class SeekingRun {
    private SeekingRun() {
    }

    /** Runs {@code call} on {@code probe} with {@code seeker} asked at its traps. */
    static void run(Probe probe, GuestCall call, Probe.TrapPointSeeker seeker) throws Exception {
        WrittenPages written = new WrittenPages();
        Instrumentation uc = probe.machine().instrumentation();
        Instrumentation.Hook hook = uc.hookMemoryWrite(1, 0, (address, size, value) -> written.add(address, size));
        try {
            probe.seekTrapPoints(seeker, written);
            probe.run(call);
        } finally {
            uc.hookDelete(hook);
        }
    }
}
