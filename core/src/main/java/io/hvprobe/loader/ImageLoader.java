package io.hvprobe.loader;

import io.hvprobe.elf.ElfFile;
import io.hvprobe.elf.ElfFormatException;
import java.nio.file.Path;
import java.util.List;

/**
 * Turns compiled code into a {@link GuestImage}.
 *
 * <pre>{@code
 * GuestImage image = ImageLoader.load(Path.of("vmw.o"), LoadOptions.defaults()
 *         .withOverride("vmalloc", new SymbolOverride.FunctionStub(0x2000)));
 * for (Segment s : image.segments()) map(s.address(), s.size(), s.permissions(), s.initialized());
 * long f = image.symbol("vmw_send").orElseThrow().address();
 * }</pre>
 *
 * Every failure is a {@link LoadException} with a one-line message naming the file and the problem.
 */
public final class ImageLoader {
    /** Files larger than this are refused before reading (1 GiB). */
    public static final long MAX_FILE_SIZE = 1L << 30;

    private ImageLoader() {
    }

    /**
     * Loads an ELF file ({@code .o}, {@code .ko}, executable or shared object) with default options.
     *
     * @param file the file
     * @return the loaded image
     * @throws LoadException when the file cannot be read or is not a loadable ELF file (one-line message)
     */
    public static GuestImage load(Path file) throws LoadException {
        return load(file, LoadOptions.defaults());
    }

    /**
     * Loads an ELF file, decompressing it first when it is xz ({@code .ko.xz}); the file name (without
     * directories) names the image.
     *
     * @param file    the file, plain or xz-compressed, at most {@link #MAX_FILE_SIZE} bytes
     * @param options how to load
     * @return the loaded image
     * @throws LoadException when the file cannot be read or is not a loadable ELF file (one-line message)
     */
    public static GuestImage load(Path file, LoadOptions options) throws LoadException {
        String name = file.getFileName() == null ? file.toString() : file.getFileName().toString();
        byte[] bytes = ObjectBytes.read(file, name);
        return load(name, bytes, options);
    }

    /**
     * Loads ELF bytes; {@code name} is used in messages and as the image name.
     *
     * @param name    the image name
     * @param bytes   the ELF file's bytes; not kept
     * @param options how to load
     * @return the loaded image
     * @throws LoadException when the bytes are not a loadable ELF file (one-line message)
     */
    public static GuestImage load(String name, byte[] bytes, LoadOptions options) throws LoadException {
        ElfFile elf;
        try {
            elf = ElfFile.parse(name, bytes);
        } catch (ElfFormatException e) {
            throw new LoadException(e.getMessage(), e);
        }
        return load(elf, options);
    }

    /**
     * Loads an already parsed ELF file.
     *
     * @param elf     the parsed file
     * @param options how to load
     * @return the loaded image
     * @throws LoadException when the file is not loadable (one-line message)
     */
    public static GuestImage load(ElfFile elf, LoadOptions options) throws LoadException {
        return switch (elf.header().type()) {
            case RELOCATABLE -> new RelocatableLoader(elf, options).load();
            case EXECUTABLE, SHARED_OBJECT -> new ExecutableLoader(elf, options).load();
        };
    }

    /**
     * Loads {@code main} (an executable or shared object) with the shared objects {@code libraries} it needs, as a
     * dynamic loader would ({@link LinkedProgram}): imports bind across the objects before falling back to the
     * C-library table or stubs, and the constructors are listed in the order they run.
     *
     * @param main      the executable or shared object to run
     * @param libraries the shared objects it needs, in any order; a needed one not given becomes a note
     * @param options   how to load
     * @return the linked program
     * @throws LoadException when a file cannot be read or loaded (one-line message)
     */
    public static LinkedProgram loadWith(Path main, List<Path> libraries, LoadOptions options) throws LoadException {
        ElfFile root = parse(main);
        if (root.header().type() == io.hvprobe.elf.ElfType.RELOCATABLE) {
            throw new LoadException(root.name(), "--lib goes with an executable or shared object, not an object file");
        }
        List<ElfFile> libs = new java.util.ArrayList<>();
        for (Path l : libraries) {
            libs.add(parse(l));
        }
        return ProgramLinker.link(root, libs, options);
    }

    private static ElfFile parse(Path file) throws LoadException {
        String name = file.getFileName() == null ? file.toString() : file.getFileName().toString();
        try {
            return ElfFile.parse(name, ObjectBytes.read(file, name));
        } catch (ElfFormatException e) {
            throw new LoadException(e.getMessage(), e);
        }
    }

    /**
     * Loads a raw blob as one segment; only the image cap of {@code options} applies.
     *
     * @param blob    the blob
     * @param options how to load; only {@link LoadOptions#maxImageSize()} counts
     * @return the loaded image
     * @throws LoadException when the blob does not fit the image cap
     */
    public static GuestImage loadRaw(RawBlob blob, LoadOptions options) throws LoadException {
        return RawBlobLoader.load(blob, options);
    }
}
