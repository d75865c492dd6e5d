package io.hvprobe.cli;

import io.hvprobe.arch.Arch;
import io.hvprobe.disasm.DecodeDetail;
import io.hvprobe.disasm.Disassembler;
import io.hvprobe.elf.ElfFile;
import io.hvprobe.elf.ElfFormatException;
import io.hvprobe.kernel.AlternativeTable;
import io.hvprobe.loader.GuestImage;
import io.hvprobe.loader.LoadException;
import io.hvprobe.loader.ObjectBytes;
import io.hvprobe.spi.TrapForm;
import io.hvprobe.trap.TrapDecoder;
import io.hvprobe.trap.TrapSiteScanner;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * The variants {@code check --variants} runs: the code as compiled, then, for each CPU feature whose
 * {@code .altinstructions} replacements put in a trap instruction, the code as the kernel patches it on a CPU with
 * that feature. Each is named after the trap forms it runs ({@link Variants}), e.g. {@code port}, {@code vmcall},
 * {@code vmmcall}; a feature whose name another already took is named {@code feature-WORD*32+BIT}.
 */
final class AlternativeVariants {

    /**
     * One variant.
     *
     * @param label the name findings carry
     * @param image the code to run
     */
    record Variant(String label, GuestImage image) {
    }

    private AlternativeVariants() {
    }

    /** The variants of {@code image}, loaded from {@code path}; only the original when it carries no alternatives. */
    static List<Variant> of(Path path, GuestImage image) {
        ElfFile elf;
        try {
            elf = ElfFile.parse(path.toString(), ObjectBytes.read(path, path.toString()));
        } catch (LoadException | ElfFormatException notElf) {
            return List.of(new Variant("original", image));
        }
        AlternativeTable table = AlternativeTable.of(elf, image);
        try (Disassembler d = image.arch() == Arch.X86_64 ? Disassembler.open(Arch.X86_64, DecodeDetail.TEXT) : null) {
            TrapDecoder decoder = new TrapDecoder();
            TrapSiteScanner scanner = d != null ? TrapSiteScanner.x86(d, decoder) : TrapSiteScanner.arm64(decoder);
            AlternativeTable.FormScanner forms = (code, at) -> scanner.scan(code, at).stream().map(t -> t.form()).toList();
            TreeMap<Integer, Set<TrapForm>> features = table.trapFeatures(image, forms);
            Set<String> taken = new HashSet<>();
            List<Variant> out = new ArrayList<>();
            String original = Variants.label(table.originalForms(image, forms, features.keySet()))
                    .orElse("original");
            taken.add(original);
            out.add(new Variant(original, image));
            for (Map.Entry<Integer, Set<TrapForm>> f : features.entrySet()) {
                String label = Variants.label(f.getValue()).filter(taken::add)
                        .orElse(featureName(image.arch(), f.getKey()));
                out.add(new Variant(label, table.withFeature(image, f.getKey())));
            }
            return out;
        }
    }

    private static String featureName(Arch arch, int feature) {
        return switch (arch) {
            case X86_64 -> "feature-" + (feature / 32) + "*32+" + (feature % 32);
            case ARM64 -> "cpucap-" + feature;
        };
    }
}
