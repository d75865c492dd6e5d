package io.hvprobe.loader;

import java.util.ArrayList;
import java.util.List;

/**
 * The static thread-local storage of the loaded objects, as the dynamic loader lays it out for the main thread: one
 * block per object with a {@code PT_TLS} template (initialised data, then zeros; module ids 1, 2, ... in the order
 * given, the main object first), a 64-byte zeroed slot for each thread-local variable no loaded object defines (the
 * import module, id {@link #importModule()}), the thread control block the thread pointer points at and a dynamic
 * thread vector ({@code dtv}: word {@code i} the block address of module {@code i}).
 * <ul>
 *   <li>x86_64, {@link Variant#BELOW_THREAD_POINTER} (TLS variant II): slots, then the blocks ending at the thread
 *       pointer (FS base), module 1 nearest it; the TCB's first word is the thread pointer itself, its second the
 *       dtv (inside the TCB's reserve).</li>
 *   <li>arm64, {@link Variant#ABOVE_THREAD_POINTER} (TLS variant I): the 16-byte TCB at the thread pointer
 *       (TPIDR_EL0), its first word the dtv; the blocks after it in module order, each at its template's alignment,
 *       then the slots, then the dtv.</li>
 * </ul>
 * {@link #GET_ADDR} (code in the stub area) adds a {@code tls_index} offset to the dtv entry of its module, and TLS
 * descriptors use the static resolver {@link #DESCRIPTOR_RESOLVER}, whose argument is the offset from the thread
 * pointer. Offsets from the thread pointer do not depend on the (page-aligned) base.
 *
 * @param variant       where the blocks lie relative to the thread pointer
 * @param base          page-aligned start of the area
 * @param size          page-rounded size of the area
 * @param threadPointer the thread pointer's value
 * @param modules       the objects' templates, module {@code i + 1} at index {@code i}
 * @param blocks        each module's block address, in module order
 * @param importBlock   address of the first import slot
 * @param imports       names of the thread-local variables no object defines, in slot order
 * @param dtv           address of the dynamic thread vector
 */
record TlsLayout(Variant variant, long base, long size, long threadPointer, List<Template> modules, List<Long> blocks,
                 long importBlock, List<String> imports, long dtv) {
    /** The name glibc gives the general-dynamic TLS accessor; the loader places code for it. */
    static final String GET_ADDR = "__tls_get_addr";
    /** The name glibc gives the resolver of TLS descriptors whose variable is in the static block. */
    static final String DESCRIPTOR_RESOLVER = "_dl_tlsdesc_return";
    /** Bytes per imported variable. */
    static final long IMPORT_SLOT = 64;
    /** Bytes reserved for the x86_64 TCB (glibc's {@code tcbhead_t} has the stack guard at offset 0x28). */
    static final long X86_TCB = 0x100;
    /** Where the x86_64 dtv starts inside the TCB's reserve (after the words glibc code reads). */
    static final long X86_DTV = 0x80;
    /** The arm64 TCB: two words before the blocks. */
    static final long ARM64_TCB = 16;

    /**
     * One object's {@code PT_TLS} template.
     *
     * @param memorySize {@code p_memsz}: the block's size
     * @param alignment  {@code p_align} (at least 1)
     * @param initial    the initialised bytes ({@code p_filesz} of them)
     */
    record Template(long memorySize, long alignment, byte[] initial) {
    }

    /** Which side of the thread pointer the TLS blocks are on. */
    enum Variant {
        /** TLS variant II (x86_64): blocks end at the thread pointer; offsets from it are negative. */
        BELOW_THREAD_POINTER,
        /** TLS variant I (arm64): the TCB is at the thread pointer and the blocks follow it. */
        ABOVE_THREAD_POINTER
    }

    TlsLayout {
        modules = List.copyOf(modules);
        blocks = List.copyOf(blocks);
        imports = List.copyOf(imports);
    }

    /** Lays out the area at page-aligned {@code base} for {@code modules} and the imported variables {@code imports}. */
    static TlsLayout of(Variant variant, long base, List<Template> modules, List<String> imports, ImageBuilder image)
            throws LoadException {
        long maxAlign = 1;
        for (Template t : modules) {
            if (Long.bitCount(t.alignment()) != 1 || t.alignment() > ImageBuilder.PAGE) {
                throw image.error("PT_TLS alignment " + t.alignment() + " is not a power of two up to a page");
            }
            maxAlign = Math.max(maxAlign, t.alignment());
        }
        long slots = IMPORT_SLOT * imports.size();
        long dtvBytes = 8L * (modules.size() + 2); // entry 0 unused, then the modules and the import module
        List<Long> blocks = new ArrayList<>();
        return switch (variant) {
            case BELOW_THREAD_POINTER -> {
                if (X86_DTV + dtvBytes > X86_TCB) {
                    throw image.error(modules.size() + " TLS modules do not fit the thread control block");
                }
                long[] offsets = new long[modules.size()];
                long off = 0;
                for (int i = 0; i < modules.size(); i++) {
                    off = image.alignUp(off + modules.get(i).memorySize(), modules.get(i).alignment());
                    offsets[i] = off;
                }
                long tp = base + image.alignUp(slots, Math.max(maxAlign, IMPORT_SLOT)) + image.alignUp(off, maxAlign);
                for (long o : offsets) {
                    blocks.add(tp - o);
                }
                yield new TlsLayout(variant, base, image.alignUp(tp + X86_TCB - base, ImageBuilder.PAGE), tp,
                        modules, blocks, base, imports, tp + X86_DTV);
            }
            case ABOVE_THREAD_POINTER -> {
                long next = base + ARM64_TCB;
                long importBlock = next;
                for (Template t : modules) {
                    long block = image.alignUp(next, t.alignment());
                    blocks.add(block);
                    next = block + t.memorySize();
                    importBlock = block + image.alignUp(t.memorySize(), IMPORT_SLOT);
                }
                long dtv = image.alignUp(importBlock + slots, 8);
                yield new TlsLayout(variant, base, image.alignUp(dtv + dtvBytes - base, ImageBuilder.PAGE), base,
                        modules, blocks, importBlock, imports, dtv);
            }
        };
    }

    /** The module id of the slots for variables no object defines. */
    long importModule() {
        return modules.size() + 1L;
    }

    /** The block address of module {@code module} (the import module's is the first slot). */
    long block(long module) {
        if (module == importModule()) {
            return importBlock;
        }
        if (module < 1 || module > modules.size()) {
            throw new IllegalStateException("no TLS module " + module);
        }
        return blocks.get((int) module - 1);
    }

    /** The offset inside the import module of imported variable {@code name}. */
    long importOffset(String name) {
        int i = imports.indexOf(name);
        if (i < 0) {
            throw new IllegalStateException("thread-local import " + name + " has no slot");
        }
        return IMPORT_SLOT * i;
    }

    /** The offset from the thread pointer of offset {@code offset} in module {@code module}'s block. */
    long threadOffset(long module, long offset) {
        return block(module) + offset - threadPointer;
    }

    /** The area's initial bytes: the templates at their blocks, the TCB's words, the dtv. */
    void write(ImageBuilder.Draft area) {
        for (int i = 0; i < modules.size(); i++) {
            area.write(blocks.get(i), modules.get(i).initial());
        }
        byte[] word = new byte[8];
        switch (variant) {
            case BELOW_THREAD_POINTER -> {
                Relocator.put64(word, 0, threadPointer);
                area.write(threadPointer, word);
                area.write(threadPointer + 16, word); // glibc's header.self
                Relocator.put64(word, 0, dtv);
                area.write(threadPointer + 8, word);
            }
            case ABOVE_THREAD_POINTER -> {
                Relocator.put64(word, 0, dtv);
                area.write(threadPointer, word);
            }
        }
        for (long m = 1; m <= importModule(); m++) {
            Relocator.put64(word, 0, block(m));
            area.write(dtv + 8 * m, word);
        }
    }
}
