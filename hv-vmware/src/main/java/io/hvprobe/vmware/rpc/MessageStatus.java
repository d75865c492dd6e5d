package io.hvprobe.vmware.rpc;

/** GuestRPC status bits (spec §4.1), returned in ECX[31:16] (LB) or EBX[31:16] (HB). */
public final class MessageStatus {
    private MessageStatus() {
    }

    public static final int SUCCESS = 0x0001;
    public static final int DORECV = 0x0002;
    public static final int CLOSED = 0x0004;
    public static final int UNSENT = 0x0008;
    public static final int CPT = 0x0010;
    public static final int POWEROFF = 0x0020;
    public static final int TIMEOUT = 0x0040;
    public static final int HB = 0x0080;

    /** A failure: no bit set (in particular no SUCCESS). */
    public static final int FAILURE = 0;

    /** RPCI protocol number. */
    public static final long RPCI = 0x49435052L;
    /** TCLO protocol number. */
    public static final long TCLO = 0x4F4C4354L;
    /** OPEN flag requesting cookies. */
    public static final long COOKIE_FLAG = 0x8000_0000L;

    /** {@code SUCCESS|DORECV|HB}: the bits set in a status, by name; {@code FAILURE} when none is. */
    public static String describe(int status) {
        String[] names = {"SUCCESS", "DORECV", "CLOSED", "UNSENT", "CPT", "POWEROFF", "TIMEOUT", "HB"};
        StringBuilder b = new StringBuilder();
        for (int bit = 0; bit < names.length; bit++) {
            if ((status & (1 << bit)) != 0) {
                b.append(b.isEmpty() ? "" : "|").append(names[bit]);
            }
        }
        int unnamed = status & ~0xFF;
        if (unnamed != 0) {
            b.append(b.isEmpty() ? "" : "|").append("0x").append(Integer.toHexString(unnamed));
        }
        return b.isEmpty() ? "FAILURE" : b.toString();
    }

    /** Value for ECX/EBX: {@code status << 16}. */
    public static long word(int status) {
        return ((long) status << 16) & 0xFFFF_FFFFL;
    }
}
