package io.hvprobe.dwarf;

import io.hvprobe.arch.Arch;
import io.hvprobe.loader.GuestImage;
import io.hvprobe.loader.LoadedSection;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Compares hvprobe's source lines for guest addresses of a relocatable object with binutils' {@code addr2line -f
 * -i -j SECTION} on the same object. binutils 2.40 drops inlined subroutines whose {@code DW_AT_ranges} use
 * {@code DW_FORM_rnglistx} (clang's DWARF 5; it does so in linked files too), so where it disagrees the second
 * opinion is {@code llvm-addr2line -f -i} on a copy linked with every code section at its own address.
 */
public final class SourceOracle {
    /** How many addresses were compared and which oracle agreed; {@code mismatches} lists the rest. */
    public record Result(int compared, int byBinutils, int byLlvm, List<String> mismatches) {
    }

    private SourceOracle() {
    }

    /** Compares every address in {@code addresses} (guest addresses inside code sections of {@code image}). */
    public static Result compare(Path object, GuestImage image, List<Long> addresses) throws IOException {
        Map<LoadedSection, List<Long>> bySection = new LinkedHashMap<>();
        for (long a : addresses) {
            LoadedSection s = image.sections().stream().filter(x -> x.executable() && x.contains(a)).findFirst()
                    .orElseThrow(() -> new IllegalArgumentException("0x" + Long.toHexString(a) + " not in code"));
            bySection.computeIfAbsent(s, k -> new ArrayList<>()).add(a);
        }
        int compared = 0;
        int byBinutils = 0;
        Map<Long, List<Addr2Line.Frame>> disputed = new LinkedHashMap<>();
        Map<Long, LoadedSection> sectionOf = new LinkedHashMap<>();
        for (Map.Entry<LoadedSection, List<Long>> e : bySection.entrySet()) {
            LoadedSection s = e.getKey();
            List<Long> offsets = e.getValue().stream().map(a -> a - s.address()).toList();
            List<List<Addr2Line.Frame>> expected = Addr2Line.lookup(image.arch(), object, s.name(), offsets);
            for (int i = 0; i < offsets.size(); i++) {
                long a = e.getValue().get(i);
                List<Addr2Line.Frame> ours = Addr2Line.frames(image.source(a));
                compared++;
                if (ours.equals(expected.get(i))) {
                    byBinutils++;
                } else {
                    disputed.put(a, expected.get(i));
                    sectionOf.put(a, s);
                }
            }
        }
        List<String> mismatches = new ArrayList<>();
        int byLlvm = 0;
        if (!disputed.isEmpty()) {
            Map<String, Long> bases = new LinkedHashMap<>();
            Path linked = link(object, image, sectionOf.values().stream().distinct().toList(), bases);
            List<Long> at = new ArrayList<>();
            for (long a : disputed.keySet()) {
                LoadedSection s = sectionOf.get(a);
                at.add(bases.get(s.name()) + a - s.address());
            }
            List<List<Addr2Line.Frame>> llvm = llvm(linked, at);
            int i = 0;
            for (Map.Entry<Long, List<Addr2Line.Frame>> d : disputed.entrySet()) {
                List<Addr2Line.Frame> ours = normalized(Addr2Line.frames(image.source(d.getKey())));
                if (ours.equals(normalized(llvm.get(i)))) {
                    byLlvm++;
                } else {
                    mismatches.add(image.symbolize(d.getKey()) + ": hvprobe " + ours + ", addr2line " + d.getValue()
                            + ", llvm-addr2line " + llvm.get(i));
                }
                i++;
            }
        }
        return new Result(compared, byBinutils, byLlvm, mismatches);
    }

    /** Links {@code object} with each of {@code sections} as its own output section at its own base. */
    private static Path link(Path object, GuestImage image, List<LoadedSection> sections, Map<String, Long> bases)
            throws IOException {
        Path dir = Files.createTempDirectory("hvprobe-link");
        StringBuilder script = new StringBuilder("SECTIONS {\n");
        long base = 0x100000;
        for (LoadedSection s : sections) {
            bases.put(s.name(), base);
            script.append(String.format("  .o%x 0x%x : { *(%s) }%n", base, base, s.name()));
            base += 0x100000;
        }
        script.append("}\n");
        Path ld = dir.resolve("link.ld");
        Files.writeString(ld, script);
        Path out = dir.resolve("linked.elf");
        String linker = image.arch() == Arch.X86_64 ? "ld" : "aarch64-linux-gnu-ld";
        Addr2Line.run(List.of(linker, "-o", out.toString(), "-e", "0", "--unresolved-symbols=ignore-all",
                "--no-relax", "-T", ld.toString(), object.toString()));
        return out;
    }

    private static List<List<Addr2Line.Frame>> llvm(Path linked, List<Long> addresses) throws IOException {
        List<String> cmd = new ArrayList<>(List.of("llvm-addr2line", "-a", "-f", "-i", "-e", linked.toString()));
        for (long a : addresses) {
            cmd.add("0x" + Long.toHexString(a));
        }
        return Addr2Line.parseOutput(Addr2Line.run(cmd));
    }

    /** Frames with their paths normalised ({@code /src/./x.h} → {@code /src/x.h}), as llvm and binutils differ. */
    static List<Addr2Line.Frame> normalized(List<Addr2Line.Frame> frames) {
        return frames.stream().map(f -> new Addr2Line.Frame(f.function(),
                f.file().equals("??") ? f.file() : Path.of(f.file()).normalize().toString(), f.line())).toList();
    }
}
