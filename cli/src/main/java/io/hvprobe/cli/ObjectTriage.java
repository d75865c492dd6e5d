package io.hvprobe.cli;

import io.hvprobe.arch.Arch;
import io.hvprobe.elf.ElfFile;
import io.hvprobe.elf.ElfFormatException;
import io.hvprobe.loader.ImageLoader;
import io.hvprobe.loader.LoadException;
import io.hvprobe.loader.LoadOptions;
import io.hvprobe.loader.ObjectBytes;
import io.hvprobe.trap.TrapDecoder;
import io.hvprobe.trap.TrapPrescan;

import java.nio.file.Path;
import java.util.Optional;

/**
 * Which objects a check can pass over without opening a guest machine: those without a single trap site, which a
 * check would load, find nothing in and report with empty coverage. The object is laid out and relocated (so
 * that one that does not load is still reported as unloadable), then the {@link TrapPrescan} of its raw sections
 * decides without a disassembler for most of a distribution kernel's modules; where it cannot rule sites out (a
 * BUG()/WARN() {@code brk} on arm64, bytes its x86 length decoder is unsure of), the static sweep that {@code scan}
 * lists decides. An object that does not load is never passed over: the check reports its load error as before.
 */
final class ObjectTriage {
    private final TrapPrescan prescan = new TrapPrescan(new TrapDecoder());
    private final LoadOptions load;

    ObjectTriage(LoadOptions load) {
        this.load = load;
    }

    /** The architecture of {@code object} when it holds no trap site at all; empty when it may, or does not parse. */
    Optional<Arch> siteFree(Path object) {
        String name = object.getFileName() == null ? object.toString() : object.getFileName().toString();
        try {
            byte[] bytes = ObjectBytes.read(object, name);
            ElfFile elf = ElfFile.parse(name, bytes);
            boolean may = prescan.mayHoldTrapSites(elf);
            // Laid out and relocated even when the pre-scan rules sites out, so that an object that does not
            // load is still reported as unloadable; the layout costs little, the disassembler sweep is skipped.
            var image = ImageLoader.load(elf, load);
            return !may || StaticSites.scan(image).isEmpty() ? Optional.of(image.arch()) : Optional.empty();
        } catch (LoadException | ElfFormatException e) {
            return Optional.empty(); // the check loads it again and reports why it does not load
        }
    }
}
