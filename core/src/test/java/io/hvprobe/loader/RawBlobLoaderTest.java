package io.hvprobe.loader;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.hvprobe.arch.Arch;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Raw firmware blobs: one segment at the caller's address with caller-named symbols. */
class RawBlobLoaderTest {
    private static final byte[] CODE = {(byte) 0x90, (byte) 0x90, (byte) 0xc3, (byte) 0xcc, 0x31, (byte) 0xc0,
            (byte) 0xc3};

    @Test
    void blobBecomesOneSegmentWithSymbols() throws Exception {
        List<RawBlob.RawSymbol> symbols = RawBlob.RawSymbol.parse(List.of("entry=0", "zero_eax=0x4"));
        GuestImage image = ImageLoader.loadRaw(new RawBlob("fw.bin", CODE, Arch.X86_64, 0x8000_0000L,
                Permissions.READ_EXECUTE, symbols), LoadOptions.defaults());
        assertThat(image.kind()).isEqualTo(ImageKind.RAW);
        assertThat(image.segments()).singleElement().satisfies(s -> {
            assertThat(s.address()).isEqualTo(0x8000_0000L);
            assertThat(s.size()).isEqualTo(4096);
            assertThat(s.permissions()).isEqualTo(Permissions.READ_EXECUTE);
        });
        assertThat(image.read(0x8000_0000L, CODE.length)).isEqualTo(CODE);
        assertThat(image.symbol("zero_eax").orElseThrow().address()).isEqualTo(0x8000_0004L);
        assertThat(image.symbol("entry").orElseThrow().size()).isEqualTo(4);
        assertThat(image.symbolize(0x8000_0005L)).isEqualTo("zero_eax+0x1");
        assertThat(image.functions()).extracting(GuestSymbol::name).containsExactly("entry", "zero_eax");
    }

    @Test
    void badSymbolsAndBlobsAreReported() {
        assertThatThrownBy(() -> RawBlob.RawSymbol.parse(List.of("nameonly")))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("name=offset");
        assertThatThrownBy(() -> RawBlob.RawSymbol.parse(List.of("f=zz")))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("not a number");
        assertThatThrownBy(() -> ImageLoader.loadRaw(new RawBlob("fw.bin", CODE, Arch.ARM64, 0x1000, Permissions.ALL,
                List.of(new RawBlob.RawSymbol("past", 64))), LoadOptions.defaults()))
                .isInstanceOf(LoadException.class).hasMessage("fw.bin: symbol 'past' offset 0x40 is outside the blob (size 0x7)");
        assertThatThrownBy(() -> ImageLoader.loadRaw(new RawBlob("fw.bin", CODE, Arch.ARM64, 0x1234, Permissions.ALL,
                List.of()), LoadOptions.defaults())).isInstanceOf(LoadException.class).hasMessageContaining("page-aligned");
        assertThatThrownBy(() -> ImageLoader.loadRaw(new RawBlob("fw.bin", new byte[0], Arch.ARM64, 0, Permissions.ALL,
                List.of()), LoadOptions.defaults())).isInstanceOf(LoadException.class).hasMessageContaining("empty");
        assertThatThrownBy(() -> ImageLoader.loadRaw(new RawBlob("fw.bin", new byte[8192], Arch.ARM64, 0,
                Permissions.ALL, List.of()), LoadOptions.defaults().withMaxImageSize(4096)))
                .isInstanceOf(LoadException.class).hasMessageContaining("cap");
    }
}
