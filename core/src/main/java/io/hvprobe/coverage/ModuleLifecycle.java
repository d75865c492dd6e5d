package io.hvprobe.coverage;

import io.hvprobe.loader.GuestImage;
import io.hvprobe.loader.GuestSymbol;
import io.hvprobe.loader.Segment;
import io.hvprobe.loader.SymbolBinding;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The order a running kernel calls a module's code in: {@code init_module}, then the module's entry points, then
 * {@code cleanup_module}. Entry points are the functions a caller outside the module can start from: global
 * (exported) functions and functions whose address the module stores in its data — operation tables (file, DRM,
 * input, serio, PCI driver structures), work items, callbacks — found as the pointers the loader's relocations
 * wrote into non-executable sections. Only entry points that reach a hypercall site are listed (the others cannot
 * reach one, and running them costs time).
 *
 * @param init    {@code init_module}, when the object defines it
 * @param entries the entry points, in address order
 * @param cleanup {@code cleanup_module}, when the object defines it
 */
public record ModuleLifecycle(Optional<GuestSymbol> init, List<GuestSymbol> entries, Optional<GuestSymbol> cleanup) {
    /** The kernel's name for a module's init function (the alias {@code module_init()} makes). */
    public static final String INIT = "init_module";
    /** The kernel's name for a module's exit function (the alias {@code module_exit()} makes). */
    public static final String CLEANUP = "cleanup_module";

    /**
     * Copies {@code entries}.
     *
     * @param init    {@code init_module}, when the object defines it
     * @param entries the entry points, in address order (copied)
     * @param cleanup {@code cleanup_module}, when the object defines it
     */
    public ModuleLifecycle {
        entries = List.copyOf(entries);
    }

    /**
     * The lifecycle of {@code image}, or empty when it defines neither {@code init_module} nor {@code cleanup_module}.
     *
     * @param image    a loaded kernel module
     * @param reaching the functions that reach a site of interest (e.g. a hypercall site) through direct calls: only
     *                 entry points among them are called
     * @return the lifecycle, or empty when {@code image} defines neither function
     */
    public static Optional<ModuleLifecycle> of(GuestImage image, java.util.Collection<GuestSymbol> reaching) {
        Optional<GuestSymbol> init = function(image, INIT);
        Optional<GuestSymbol> cleanup = function(image, CLEANUP);
        if (init.isEmpty() && cleanup.isEmpty()) {
            return Optional.empty();
        }
        Set<GuestSymbol> stored = new LinkedHashSet<>(storedFunctions(image));
        List<GuestSymbol> entries = new ArrayList<>();
        Set<GuestSymbol> wanted = new java.util.HashSet<>(reaching);
        for (GuestSymbol f : image.functions()) {
            if (!wanted.contains(f)) {
                continue;
            }
            boolean entry = f.binding() != SymbolBinding.LOCAL || stored.contains(f);
            if (entry && !f.name().equals(INIT) && !f.name().equals(CLEANUP)
                    && !init.map(f::equals).orElse(false) && !cleanup.map(f::equals).orElse(false)) {
                entries.add(f);
            }
        }
        return Optional.of(new ModuleLifecycle(init, entries, cleanup));
    }

    /** {@return every function in the order the lifecycle calls them: init, the entry points, then cleanup} */
    public List<GuestSymbol> order() {
        List<GuestSymbol> out = new ArrayList<>();
        init.ifPresent(out::add);
        out.addAll(entries);
        cleanup.ifPresent(out::add);
        return out;
    }

    /**
     * The functions whose start address is stored, as an aligned pointer, in a non-executable segment of
     * {@code image} (after relocation), in address order.
     *
     * @param image a loaded image, after relocation
     * @return the functions, without duplicates; empty when no pointer-sized aligned word names a function start
     */
    public static List<GuestSymbol> storedFunctions(GuestImage image) {
        Map<Long, GuestSymbol> byAddress = new HashMap<>();
        for (GuestSymbol f : image.functions()) {
            byAddress.putIfAbsent(f.address(), f);
        }
        Set<GuestSymbol> out = new LinkedHashSet<>();
        for (Segment s : image.segments()) {
            if (s.permissions().execute()) {
                continue;
            }
            ByteBuffer b = ByteBuffer.wrap(s.initialized()).order(ByteOrder.LITTLE_ENDIAN);
            for (int off = (int) ((8 - (s.address() & 7)) & 7); off + 8 <= b.limit(); off += 8) {
                GuestSymbol f = byAddress.get(b.getLong(off));
                if (f != null) {
                    out.add(f);
                }
            }
        }
        return image.functions().stream().filter(out::contains).toList();
    }

    private static Optional<GuestSymbol> function(GuestImage image, String name) {
        return image.functions().stream().filter(f -> f.name().equals(name)).findFirst();
    }
}
