package io.hvprobe.manifest;

/**
 * One way a run differs from its scenario.
 *
 * @param where    the scenario id and, when known, the place ({@code hypercall #3 MESSAGE.SENDSIZE at rpc_call+0x4c})
 * @param what     what was compared ({@code return}, {@code out2}, {@code finding}, ...)
 * @param expected what the manifest says
 * @param observed what the run did
 */
public record Mismatch(String where, String what, String expected, String observed) {
    /** One line: {@code where: what: expected X, saw Y}. */
    @Override
    public String toString() {
        return where + ": " + what + ": expected " + expected + ", saw " + observed;
    }
}
