package io.hvprobe.guest;

/**
 * Takes {@link ResumePoint}s during one call ({@link GuestMachine#seekResumePoints}): asked at each trap or BUG site
 * the call reaches, before the site's hook runs, while only the guest's own instructions and the traps' answers have
 * run since the call started. Called on the emulation thread, from inside the call.
 */
public interface ResumeSeeker {
    /**
     * Whether to take a point at the site reached now, where one can be taken.
     *
     * @param reach        how many sites the call reached before this one (0 at the first)
     * @param instructions the instructions the call has counted up to here (its translation blocks, whole)
     * @return true to be given the point ({@link #take})
     */
    boolean wants(long reach, long instructions);

    /**
     * The point taken where {@link #wants} said so.
     *
     * @param point the state there; the seeker owns it (close it)
     */
    void take(ResumePoint point);

    /**
     * Something besides the guest's instructions and the traps' answers acted (a kernel stub, a handled exception, a
     * hook's write, a kernel event, a lenient page) or the call ended at a site: no later site of the call gets a
     * point, and the seeker is not asked again.
     */
    void refused();
}
