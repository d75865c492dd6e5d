package io.hvprobe.vmware.abi;

/** Constants of the VMware backdoor ABI (spec §0). */
public final class Backdoor {
    private Backdoor() {
    }

    /** {@code BDOOR_MAGIC}, "VMXh". */
    public static final long MAGIC = 0x564D5868L;
    /** Low-bandwidth I/O port. */
    public static final int LB_PORT = 0x5658;
    /** High-bandwidth I/O port. */
    public static final int HB_PORT = 0x5659;
    /** The port old arm64 vmwgfx used for HB-out ({@code 0x5659 | OUT flag}). */
    public static final int HB_OUT_QUIRK_PORT = 0x565B;
    /** Balloon port. */
    public static final int BALLOON_PORT = 0x5670;
    /** Balloon magic, "Elmo". */
    public static final long BALLOON_MAGIC = 0x456C6D6FL;
    /** Answer to an unknown command or a bad magic. */
    public static final long UNKNOWN_ANSWER = 0xFFFF_FFFFL;
    /** TDX vendor-specific TDVMCALL leaf in R10. */
    public static final long TDX_VENDOR_LEAF = 0x1AF7E4909L;
    /** TDX function number in R11. */
    public static final long TDX_HCALL_FUNC = 1;
    /** Commands allowed over TDX (bits 6:0 command, 19:16 sub-command). */
    public static final long TDX_COMMAND_MASK = 0x000F007FL;
    /** arm64 I/O magic: X7[63:32] for MRS, the HVC/BRK immediate. */
    public static final int ARM64_MAGIC = 0x86;
    /** GETVERSION's EAX. */
    public static final int VERSION_MAGIC = 6;
    /** vmcall/vmmcall DX flag: high bandwidth. */
    public static final int FLAG_HB = 0x1;
    /** vmcall/vmmcall DX flag: guest-to-host (OUT). */
    public static final int FLAG_OUT = 0x2;
    /** Pseudo-PMC base index. */
    public static final long PMC_BASE = 0x10000L;
}
