package io.hvprobe.loader;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import io.hvprobe.elf.ElfFile;
import io.hvprobe.elf.ElfRelocationSection;
import io.hvprobe.elf.ElfSection;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Several hundred deterministic corruptions of real objects (bit flips, truncations, header/section/symbol/
 * relocation fields overwritten with boundary values): each either loads into a consistent image or fails with
 * a {@link LoadException}; nothing else escapes and nothing hangs. The fixtures are gcc builds of
 * {@code module.c} ({@code -O2 -c -ffreestanding}, x86_64 also {@code -mcmodel=kernel -mno-red-zone -fno-pic})
 * and of {@code shared.c} ({@code -shared -fPIC -nostdlib -O2 -Wl,-z,noseparate-code -Wl,--build-id=none},
 * arm64 also {@code -Wl,-z,max-page-size=4096}).
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class MutatedObjectTest {
    /** Per strategy; raise with -Dhvprobe.mutations=N (and vary -Dhvprobe.mutationSeed) for a deeper local run. */
    private static final int MUTATIONS_PER_STRATEGY = Integer.getInteger("hvprobe.mutations", 110);
    private static final long SEED = Long.getLong("hvprobe.mutationSeed", 0);
    /** A small cap keeps corrupt .bss sizes from costing real memory while still exercising the check. */
    private static final LoadOptions OPTIONS = LoadOptions.defaults().withMaxImageSize(32L << 20);
    private static final long[] BOUNDARY = {0, 1, 2, 0x7f, 0x80, 0xff, 0xff00, 0xfff1, 0xfff2, 0xffff, 0x10000,
            0x7fff_ffffL, 0x8000_0000L, 0xffff_ffffL, 0x1_0000_0000L, Long.MAX_VALUE, Long.MIN_VALUE, -1, -8};

    private record Field(int offset, int size) {
    }

    @ParameterizedTest
    @ValueSource(strings = {"module-x86_64.o", "module-arm64.o", "shared-x86_64.so", "shared-arm64.so"})
    void corruptObjectsLoadOrFailWithLoadException(String fixture) throws Exception {
        byte[] good;
        try (InputStream in = getClass().getResourceAsStream("/io/hvprobe/loader/" + fixture)) {
            good = in.readAllBytes();
        }
        ImageLoader.load(fixture, good, OPTIONS); // the pristine fixture must load
        List<Field> fields = structuredFields(ElfFile.parse(fixture, good), good);
        SplittableRandom random = new SplittableRandom(fixture.hashCode() ^ SEED);
        int loaded = 0;
        int rejected = 0;
        for (int i = 0; i < 3 * MUTATIONS_PER_STRATEGY; i++) {
            byte[] bad = good.clone();
            String what = switch (i % 3) {
                case 0 -> flipBits(bad, random);
                case 1 -> null;
                default -> overwriteField(bad, fields, random);
            };
            if (what == null) {
                int length = random.nextInt(good.length);
                bad = Arrays.copyOf(good, length);
                what = "truncated to " + length;
            }
            try {
                GuestImage image = ImageLoader.load(fixture, bad, OPTIONS);
                checkConsistent(image);
                loaded++;
            } catch (LoadException e) {
                assertThat(e.getMessage()).startsWith(fixture + ": ").doesNotContain("\n");
                rejected++;
            } catch (Throwable t) {
                fail("mutation " + i + " (" + what + ") of " + fixture + " escaped as " + t, t);
            }
        }
        assertThat(loaded + rejected).isEqualTo(3 * MUTATIONS_PER_STRATEGY);
        assertThat(rejected).as("most corruptions are detected").isGreaterThan(MUTATIONS_PER_STRATEGY);
    }

    private static String flipBits(byte[] b, SplittableRandom random) {
        int flips = 1 + random.nextInt(8);
        StringBuilder what = new StringBuilder("bit flips at");
        for (int f = 0; f < flips; f++) {
            // Half of the flips land in the headers, where they matter most.
            int at = random.nextBoolean() ? random.nextInt(Math.min(64, b.length)) : random.nextInt(b.length);
            int bit = random.nextInt(8);
            b[at] ^= (byte) (1 << bit);
            what.append(' ').append(at).append('.').append(bit);
        }
        return what.toString();
    }

    private static String overwriteField(byte[] b, List<Field> fields, SplittableRandom random) {
        Field f = fields.get(random.nextInt(fields.size()));
        long value = random.nextInt(4) == 0 ? random.nextLong() : BOUNDARY[random.nextInt(BOUNDARY.length)];
        if (random.nextInt(6) == 0) {
            value = b.length + random.nextInt(-2, 3); // around the file length
        }
        ByteBuffer w = ByteBuffer.wrap(b).order(ByteOrder.LITTLE_ENDIAN);
        switch (f.size()) {
            case 1 -> w.put(f.offset(), (byte) value);
            case 2 -> w.putShort(f.offset(), (short) value);
            case 4 -> w.putInt(f.offset(), (int) value);
            default -> w.putLong(f.offset(), value);
        }
        return "field @" + f.offset() + "/" + f.size() + " = 0x" + Long.toHexString(value);
    }

    /** Offsets of every header, section-header, symbol and relocation field of the pristine file. */
    private static List<Field> structuredFields(ElfFile elf, byte[] bytes) {
        List<Field> out = new ArrayList<>();
        int[][] ehdr = {{4, 1}, {5, 1}, {16, 2}, {18, 2}, {24, 8}, {32, 8}, {40, 8}, {52, 2}, {54, 2}, {56, 2},
                {58, 2}, {60, 2}, {62, 2}};
        for (int[] f : ehdr) {
            out.add(new Field(f[0], f[1]));
        }
        long shoff = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN).getLong(40);
        int[][] shdr = {{0, 4}, {4, 4}, {8, 8}, {24, 8}, {32, 8}, {40, 4}, {44, 4}, {48, 8}, {56, 8}};
        for (ElfSection s : elf.sections()) {
            for (int[] f : shdr) {
                out.add(new Field((int) (shoff + 64L * s.index() + f[0]), f[1]));
            }
        }
        long phoff = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN).getLong(32);
        int[][] phdr = {{0, 4}, {4, 4}, {8, 8}, {16, 8}, {32, 8}, {40, 8}};
        for (int p = 0; p < elf.programHeaders().size(); p++) {
            for (int[] f : phdr) {
                out.add(new Field((int) (phoff + 56L * p + f[0]), f[1]));
            }
        }
        ElfSection symtab = elf.section(".symtab").orElseThrow();
        int[][] sym = {{0, 4}, {4, 1}, {6, 2}, {8, 8}, {16, 8}};
        for (long at = symtab.offset(); at < symtab.offset() + symtab.size(); at += 24) {
            for (int[] f : sym) {
                out.add(new Field((int) (at + f[0]), f[1]));
            }
        }
        int[][] rela = {{0, 8}, {8, 4}, {12, 4}, {16, 8}};
        for (ElfRelocationSection rs : elf.relocationSections()) {
            for (long at = rs.section().offset(); at < rs.section().offset() + rs.section().size(); at += 24) {
                for (int[] f : rela) {
                    out.add(new Field((int) (at + f[0]), f[1]));
                }
            }
        }
        return out;
    }

    private static void checkConsistent(GuestImage image) {
        long total = 0;
        long previousEnd = Long.MIN_VALUE;
        for (Segment s : image.segments()) {
            assertThat(s.address()).isGreaterThanOrEqualTo(previousEnd);
            previousEnd = s.end();
            total += s.size();
        }
        assertThat(total).isLessThanOrEqualTo(OPTIONS.maxImageSize());
        for (GuestSymbol f : image.functions()) {
            image.symbolize(f.address());
        }
    }
}
