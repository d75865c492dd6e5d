package io.hvprobe.loader;

import static io.hvprobe.loader.ImageBuilder.PAGE;
import static io.hvprobe.loader.ImageBuilder.hex;

import io.hvprobe.elf.ElfConstants;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.OptionalLong;

/**
 * Loads raw bytes as one segment at the caller's address. Each caller symbol becomes a function whose size runs
 * to the next symbol (or the end of the blob), so {@code symbolize} works.
 */
final class RawBlobLoader {
    private RawBlobLoader() {
    }

    static GuestImage load(RawBlob blob, LoadOptions options) throws LoadException {
        ImageBuilder image = new ImageBuilder(blob.name(), options.maxImageSize());
        byte[] bytes = blob.bytes();
        if (bytes.length == 0) {
            throw image.error("raw blob is empty");
        }
        if ((blob.baseAddress() & (PAGE - 1)) != 0 || blob.baseAddress() < 0) {
            throw image.error("raw blob base " + hex(blob.baseAddress()) + " is not a page-aligned address");
        }
        long size = image.alignUp(bytes.length, PAGE);
        ImageBuilder.Draft d = image.segment("blob", blob.baseAddress(), size, blob.permissions());
        d.write(blob.baseAddress(), bytes);
        d.sectionNames.add(".blob");
        long flags = ElfConstants.SHF_ALLOC | (blob.permissions().write() ? ElfConstants.SHF_WRITE : 0)
                | (blob.permissions().execute() ? ElfConstants.SHF_EXECINSTR : 0);
        image.addSection(new LoadedSection(".blob", blob.baseAddress(), bytes.length, flags,
                blob.permissions().execute()));

        List<RawBlob.RawSymbol> sorted = new ArrayList<>(blob.symbols());
        sorted.sort(Comparator.comparingLong(RawBlob.RawSymbol::offset));
        List<GuestSymbol> symbols = new ArrayList<>();
        for (int i = 0; i < sorted.size(); i++) {
            RawBlob.RawSymbol s = sorted.get(i);
            if (s.offset() < 0 || s.offset() >= bytes.length) {
                throw image.error("symbol '" + s.name() + "' offset " + hex(s.offset())
                        + " is outside the blob (size " + hex(bytes.length) + ")");
            }
            long next = i + 1 < sorted.size() ? sorted.get(i + 1).offset() : bytes.length;
            symbols.add(new GuestSymbol(s.name(), blob.baseAddress() + s.offset(), next - s.offset(),
                    SymbolType.FUNCTION, SymbolBinding.GLOBAL, ".blob"));
        }
        return new GuestImage(blob.arch(), blob.name(), ImageKind.RAW, OptionalLong.empty(), image.segments(),
                image.sections(), new SymbolTable(symbols, List.of()), List.of(), GlobalOffsetTable.empty());
    }
}
