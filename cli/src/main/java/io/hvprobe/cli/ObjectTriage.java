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
import java.util.List;

/**
 * What a check does with an object, decided without opening a guest machine. The object is laid out and relocated
 * (so that one that does not load is still reported as unloadable), then the {@link TrapPrescan} of its raw
 * sections rules trap sites out without a disassembler for most of a distribution kernel's modules; where it cannot
 * (a BUG()/WARN() {@code brk} on arm64, bytes its x86 length decoder is unsure of), the static sweep that
 * {@code scan} lists decides. An object whose sites are all device I/O by the {@link DeviceIoOnly} rule is listed,
 * not run, unless the check runs every object ({@code --deep}). An object that does not load always runs: the
 * check reports its load error as before.
 */
final class ObjectTriage {

    /** The decision for one object. */
    sealed interface Decision {
    }

    /**
     * No trap site at all: a check would load it, find nothing and report empty coverage.
     *
     * @param arch its architecture
     */
    record SiteFree(Arch arch) implements Decision {
    }

    /**
     * Trap sites that are all device I/O no model can answer as hypercalls: listed with its sites, not run.
     *
     * @param arch  its architecture
     * @param sites every site the static sweep found
     */
    record DeviceIo(Arch arch, List<StaticSites.Site> sites) implements Decision {
        DeviceIo {
            sites = List.copyOf(sites);
        }
    }

    /** May hold a hypercall site (or does not load): checked on a guest machine. */
    record Run() implements Decision {
    }

    private final TrapPrescan prescan = new TrapPrescan(new TrapDecoder());
    private final DeviceIoOnly deviceIo = new DeviceIoOnly();
    private final LoadOptions load;
    private final boolean deep;

    /**
     * A triage loading objects with {@code load}; with {@code deep} only site-free objects are passed over
     * (every object with a site runs).
     */
    ObjectTriage(LoadOptions load, boolean deep) {
        this.load = load;
        this.deep = deep;
    }

    /** What to do with {@code object}. */
    Decision decide(Path object) {
        String name = object.getFileName() == null ? object.toString() : object.getFileName().toString();
        try {
            byte[] bytes = ObjectBytes.read(object, name);
            ElfFile elf = ElfFile.parse(name, bytes);
            boolean may = prescan.mayHoldTrapSites(elf);
            // Laid out and relocated even when the pre-scan rules sites out, so that an object that does not
            // load is still reported as unloadable; the layout costs little, the disassembler sweep is skipped.
            var image = ImageLoader.load(elf, load);
            if (!may) {
                return new SiteFree(image.arch());
            }
            List<StaticSites.Site> sites = StaticSites.scan(image);
            if (sites.isEmpty()) {
                return new SiteFree(image.arch());
            }
            return !deep && deviceIo.holds(sites, bytes) ? new DeviceIo(image.arch(), sites) : new Run();
        } catch (LoadException | ElfFormatException e) {
            return new Run(); // the check loads it again and reports why it does not load
        }
    }
}
