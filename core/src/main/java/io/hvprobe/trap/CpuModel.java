package io.hvprobe.trap;

import java.util.Map;

/**
 * Answers {@code CPUID} leaves no hypervisor plugin claims. The default model is a generic x86_64 CPU
 * with the hypervisor-present bit (leaf 1 ECX[31]) set and everything else zero; leaves can be replaced.
 *
 * @param leaves answers by leaf: EAX, EBX, ECX, EDX
 */
public record CpuModel(Map<Long, long[]> leaves) {

    /**
     * Checks the answers and copies them, arrays included.
     *
     * @param leaves answers by leaf: four values (EAX, EBX, ECX, EDX) each; leaf numbers are reduced to 32 bits
     * @throws IllegalArgumentException when a leaf has no array or not four values
     */
    public CpuModel {
        // Arrays are mutable: copy them in (and out, in leaves()) so a model cannot change under a run.
        Map<Long, long[]> copy = new java.util.HashMap<>();
        leaves.forEach((leaf, regs) -> {
            if (regs == null || regs.length != 4) {
                throw new IllegalArgumentException(String.format(java.util.Locale.ROOT,
                        "CPUID leaf 0x%x needs 4 values (EAX, EBX, ECX, EDX)", leaf));
            }
            copy.put(leaf & 0xFFFF_FFFFL, regs.clone());
        });
        leaves = Map.copyOf(copy);
    }

    /** {@return the answers by leaf: a new map of new arrays on each call, so callers cannot change the model} */
    @Override
    public Map<Long, long[]> leaves() {
        Map<Long, long[]> out = new java.util.HashMap<>();
        leaves.forEach((leaf, regs) -> out.put(leaf, regs.clone()));
        return Map.copyOf(out);
    }

    /**
     * Leaf 0 ("GenuineIntel", max leaf 1) and leaf 1 (family 6, hypervisor bit set).
     *
     * @return the default model
     */
    public static CpuModel defaults() {
        return new CpuModel(Map.of(
                0L, new long[] {1, 0x756e6547, 0x6c65746e, 0x49656e69},
                1L, new long[] {0x000306A9, 0x00010800, 0x80000000L | 0x00000001L, 0x0789FBFF}));
    }

    /**
     * EAX, EBX, ECX, EDX for {@code leaf} (zeroes for leaves the model does not list).
     *
     * @param leaf the leaf number (EAX on entry); only its low 32 bits count
     * @return a new array of four values
     */
    public long[] answer(long leaf) {
        long[] v = leaves.get(leaf & 0xFFFF_FFFFL);
        return v == null ? new long[4] : v.clone();
    }
}
