package io.hvprobe.unicorn;

/**
 * Guest memory permission bits for {@code uc_mem_map}/{@code uc_mem_protect} ({@code uc_prot}).
 * Each field {@code F} equals {@code UC_PROT_F} in the Unicorn 2.0.1 headers (checked by a test that parses them).
 */
public final class UcProt {
    // permission bits
    public static final int NONE = 0;
    public static final int READ = 1;
    public static final int WRITE = 2;
    public static final int EXEC = 4;
    public static final int ALL = 7;

    private UcProt() {
    }
}
