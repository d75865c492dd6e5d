package io.hvprobe.dwarf;

import io.hvprobe.elf.ElfFile;
import io.hvprobe.elf.ElfFormatException;
import io.hvprobe.elf.ElfSection;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * A loaded image's debug information, read on first use: the object's own DWARF, else the separate debug file
 * its build-id names under one of the debug roots. Guest addresses are translated to the file's addresses
 * (relocatable objects are relocated to where the loader placed their sections; linked files are shifted by the
 * load bias). Thread-safe.
 *
 * <pre>{@code
 * image.debug().lookup(pc).map(SourceLine::describe).orElse("no source line");
 * image.debug().info().summary();   // "vmw.o: 1 units, 412 line ranges, 37 functions ..." or why none
 * }</pre>
 */
public final class DebugSource {
    /** Where distributions install separate debug files. */
    public static final Path DEFAULT_ROOT = Path.of("/usr/lib/debug");
    /** Largest separate debug file read (1 GiB, as for objects). */
    static final long MAX_DEBUG_FILE = 1L << 30;

    private final ElfFile elf;
    private final SectionPlacement placement;
    private final long bias;
    private final List<Path> roots;
    private DebugInfo info;

    private DebugSource(ElfFile elf, SectionPlacement placement, long bias, List<Path> roots) {
        this.elf = elf;
        this.placement = placement;
        this.bias = bias;
        this.roots = List.copyOf(roots);
    }

    /**
     * No debug information (raw blobs).
     *
     * @return a source whose lookups are always empty
     */
    public static DebugSource none() {
        return new DebugSource(null, SectionPlacement.atZero(), 0, List.of());
    }

    /**
     * Debug information of {@code elf}, read lazily on the first lookup.
     *
     * @param elf       the parsed ELF file, kept (not copied) until the information is read
     * @param placement where each section of a relocatable object was placed ({@link SectionPlacement#atZero()} for
     *                  linked files)
     * @param bias      guest address minus file address for linked files; 0 for relocatable ones
     * @param roots     debug roots searched by build-id when {@code elf} has no DWARF of its own (copied)
     * @return a source that reads nothing until {@link #info()} or {@link #lookup(long)} is called
     */
    public static DebugSource of(ElfFile elf, SectionPlacement placement, long bias, List<Path> roots) {
        return new DebugSource(elf, placement, bias, roots);
    }

    /**
     * {@return the debug information, read on the first call and cached; never throws (a malformed file gives
     * information that says why nothing was read)}
     *
     * <p>Thread-safe: concurrent callers read once.
     */
    public synchronized DebugInfo info() {
        if (info == null) {
            info = elf == null ? DebugInfo.none("no debug information (not an ELF file)") : read();
        }
        return info;
    }

    /**
     * The source line of the instruction at guest address {@code address}.
     *
     * @param address a guest address
     * @return the source line, or empty when the debug information does not cover {@code address}
     */
    public Optional<SourceLine> lookup(long address) {
        return info().lookup(address - bias);
    }

    /**
     * The placement of {@code object}'s sections expressed for {@code debug}'s section indices. Stripping removes
     * sections and so may renumber them; the n-th allocatable section of a name in one file is the n-th of that
     * name in the other.
     */
    static SectionPlacement remap(ElfFile object, ElfFile debug, SectionPlacement placement) {
        java.util.Map<String, List<Integer>> byName = new java.util.HashMap<>();
        for (ElfSection s : object.sections()) {
            if (s.isAllocated()) {
                byName.computeIfAbsent(s.name(), k -> new ArrayList<>()).add(s.index());
            }
        }
        java.util.Map<Integer, Integer> map = new java.util.HashMap<>();
        java.util.Map<String, Integer> seen = new java.util.HashMap<>();
        for (ElfSection s : debug.sections()) {
            if (!s.isAllocated()) {
                continue;
            }
            int n = seen.merge(s.name(), 1, Integer::sum) - 1;
            List<Integer> candidates = byName.getOrDefault(s.name(), List.of());
            if (n < candidates.size()) {
                map.put(s.index(), candidates.get(n));
            }
        }
        return i -> map.containsKey(i) ? placement.addressOf(map.get(i)) : java.util.OptionalLong.empty();
    }

    private DebugInfo read() {
        if (DebugSections.present(elf)) {
            return DebugInfo.read(elf, placement);
        }
        Optional<BuildId> id = BuildId.of(elf);
        if (id.isEmpty()) {
            return DebugInfo.none(elf.name() + ": no debug information and no build-id to find a debug file by");
        }
        List<String> tried = new ArrayList<>();
        for (Path root : roots) {
            Path file = id.get().debugFile(root);
            tried.add(file.toString());
            if (!Files.isRegularFile(file)) {
                continue;
            }
            try {
                if (Files.size(file) > MAX_DEBUG_FILE) {
                    return DebugInfo.none(file + ": larger than " + MAX_DEBUG_FILE + " bytes");
                }
                ElfFile debug = ElfFile.parse(file.toString(), Files.readAllBytes(file));
                if (!BuildId.of(debug).equals(id) || debug.header().arch() != elf.header().arch()) {
                    return DebugInfo.none(file + ": build-id or architecture differs from " + elf.name());
                }
                return DebugInfo.read(debug, remap(elf, debug, placement));
            } catch (IOException e) {
                return DebugInfo.none(file + ": cannot read: " + e.getMessage());
            } catch (ElfFormatException e) {
                return DebugInfo.none(e.getMessage());
            }
        }
        return DebugInfo.none(elf.name() + ": no debug information; build-id " + id.get().hex() + " not found"
                + (tried.isEmpty() ? " (no debug root)" : " at " + String.join(", ", tried)));
    }
}
