package io.hvprobe.loader;

import java.util.List;

/**
 * The thread-local storage of one loaded image, as the dynamic loader lays it out for the main thread: the image's
 * {@code PT_TLS} template (initialised data, then zeros), a 64-byte zeroed slot for each thread-local variable the
 * image imports (there is no other module to define it), and the thread control block the thread pointer points at.
 * <ul>
 *   <li>x86_64, {@link Variant#BELOW_THREAD_POINTER} (TLS variant II): slots, block, then the TCB at the thread
 *       pointer (FS base); the TCB's first word is the thread pointer itself, its second the block's address.</li>
 *   <li>arm64, {@link Variant#ABOVE_THREAD_POINTER} (TLS variant I): the 16-byte TCB at the thread pointer
 *       (TPIDR_EL0), its first word the block's address; the block after it at the template's alignment, then the
 *       slots.</li>
 * </ul>
 * The image is module 1; {@link #GET_ADDR} (code in the stub area) adds a {@code tls_index} offset to the block
 * address the TCB holds, and TLS descriptors use the static resolver {@link #DESCRIPTOR_RESOLVER}, whose argument is
 * the offset from the thread pointer.
 *
 * @param variant       where the block lies relative to the thread pointer
 * @param base          page-aligned start of the area
 * @param size          page-rounded size of the area
 * @param threadPointer the thread pointer's value
 * @param block         address of the image's block (the template's first byte)
 * @param imports       names of the imported thread-local variables, in slot order
 */
record TlsLayout(Variant variant, long base, long size, long threadPointer, long block, List<String> imports) {
    /** The name glibc gives the general-dynamic TLS accessor; the loader places code for it. */
    static final String GET_ADDR = "__tls_get_addr";
    /** The name glibc gives the resolver of TLS descriptors whose variable is in the static block. */
    static final String DESCRIPTOR_RESOLVER = "_dl_tlsdesc_return";
    /** The module id of the (only) image. */
    static final long MODULE = 1;
    /** Bytes per imported variable. */
    static final long IMPORT_SLOT = 64;
    /** Bytes reserved for the x86_64 TCB (glibc's {@code tcbhead_t} has the stack guard at offset 0x28). */
    static final long X86_TCB = 0x100;
    /** The arm64 TCB: two words before the block. */
    static final long ARM64_TCB = 16;

    /** Which side of the thread pointer the TLS blocks are on. */
    enum Variant {
        /** TLS variant II (x86_64): blocks end at the thread pointer; offsets from it are negative. */
        BELOW_THREAD_POINTER,
        /** TLS variant I (arm64): the TCB is at the thread pointer and the blocks follow it. */
        ABOVE_THREAD_POINTER
    }

    TlsLayout {
        imports = List.copyOf(imports);
    }

    /**
     * Lays out the area at page-aligned {@code base} for a template of {@code templateSize} bytes aligned to
     * {@code alignment} (1 when the image has no {@code PT_TLS}) and the imported variables {@code imports}.
     */
    static TlsLayout of(Variant variant, long base, long templateSize, long alignment, List<String> imports,
                        ImageBuilder image) throws LoadException {
        long align = Math.max(1, alignment);
        if (Long.bitCount(align) != 1 || align > ImageBuilder.PAGE) {
            throw image.error("PT_TLS alignment " + alignment + " is not a power of two up to a page");
        }
        long slots = IMPORT_SLOT * imports.size();
        return switch (variant) {
            case BELOW_THREAD_POINTER -> {
                long block = base + image.alignUp(slots, Math.max(align, IMPORT_SLOT));
                long tp = block + image.alignUp(templateSize, align);
                yield new TlsLayout(variant, base, image.alignUp(tp + X86_TCB - base, ImageBuilder.PAGE), tp, block,
                        imports);
            }
            case ABOVE_THREAD_POINTER -> {
                long block = base + image.alignUp(ARM64_TCB, align);
                long end = block + image.alignUp(templateSize, IMPORT_SLOT) + slots;
                yield new TlsLayout(variant, base, image.alignUp(end - base, ImageBuilder.PAGE), base, block, imports);
            }
        };
    }

    /** The offset inside the block of imported variable {@code name} (before the block on x86_64). */
    long importOffset(String name, long templateSize) throws LoadException {
        int i = imports.indexOf(name);
        if (i < 0) {
            throw new IllegalStateException("thread-local import " + name + " has no slot");
        }
        return switch (variant) {
            case BELOW_THREAD_POINTER -> base + IMPORT_SLOT * i - block;
            case ABOVE_THREAD_POINTER -> (templateSize + IMPORT_SLOT - 1) / IMPORT_SLOT * IMPORT_SLOT
                    + IMPORT_SLOT * i;
        };
    }

    /** The offset from the thread pointer of block offset {@code offset}. */
    long threadOffset(long offset) {
        return block + offset - threadPointer;
    }

    /** The area's initial bytes: the template at the block, the TCB's words. */
    void write(ImageBuilder.Draft area, byte[] template) {
        area.write(block, template);
        byte[] word = new byte[8];
        switch (variant) {
            case BELOW_THREAD_POINTER -> {
                Relocator.put64(word, 0, threadPointer);
                area.write(threadPointer, word);
                area.write(threadPointer + 16, word); // glibc's header.self
                Relocator.put64(word, 0, block);
                area.write(threadPointer + 8, word);
            }
            case ABOVE_THREAD_POINTER -> {
                Relocator.put64(word, 0, block);
                area.write(threadPointer, word);
            }
        }
    }
}
