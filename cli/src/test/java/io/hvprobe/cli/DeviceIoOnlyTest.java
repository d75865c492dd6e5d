package io.hvprobe.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.hvprobe.coverage.ObjectCoverage;
import io.hvprobe.loader.LoadOptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.stream.StreamSupport;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code check} lists an object whose trap sites are all device I/O ({@link DeviceIoOnly}) instead of running it,
 * runs any object that may address a model, and runs everything with {@code --deep}.
 */
class DeviceIoOnlyTest {
    @TempDir
    static Path dir;
    /** Port I/O on an immediate port and on a port passed in DX, no hypercall magic anywhere. */
    private static Path device;
    /** The same driver plus one function that loads the backdoor magic before port I/O on a port passed in DX. */
    private static Path backdoor;

    @BeforeAll
    static void objects() throws Exception {
        String driver = """
                unsigned char speaker(void) {
                    unsigned char v;
                    __asm__ volatile("inb $0x61, %0" : "=a"(v));
                    return v;
                }
                unsigned device_read(unsigned short port) {
                    unsigned v;
                    __asm__ volatile("inl %w1, %0" : "=a"(v) : "Nd"(port));
                    return v;
                }
                """;
        String magic = """
                unsigned backdoor(unsigned short port) {
                    unsigned eax = 0x564d5868, ebx = ~0u, ecx = 10;
                    __asm__ volatile("inl %%dx, %%eax" : "+a"(eax), "+b"(ebx), "+c"(ecx) : "d"(port));
                    return ebx;
                }
                """;
        Path tree = Files.createDirectories(dir.resolve("tree"));
        device = compile(driver, tree.resolve("device.o"));
        backdoor = compile(driver + magic, tree.resolve("backdoor.o"));
    }

    private static Path compile(String source, Path object) throws Exception {
        Path c = dir.resolve(object.getFileName() + ".c");
        Files.writeString(c, source);
        return Gcc.build(c, object, "-O2", "-c");
    }

    private static ObjectTriage.Decision triage(Path object) {
        return new ObjectTriage(LoadOptions.defaults(), false).decide(object);
    }

    @Test
    void anImmediatePortAndADxPortWithoutMagicAreDeviceIo() {
        ObjectTriage.Decision d = triage(device);
        assertThat(d).isInstanceOf(ObjectTriage.DeviceIo.class);
        assertThat(((ObjectTriage.DeviceIo) d).sites()).extracting(s -> s.location())
                .containsExactly("speaker", "device_read+0x2");
    }

    @Test
    void theBackdoorMagicAnywhereInTheObjectMakesItRun() {
        assertThat(triage(backdoor)).isInstanceOf(ObjectTriage.Run.class);
    }

    /** clang -O0 balloon-port.o: the port is not found statically and only the balloon's magic is in the object. */
    @Test
    void theBalloonMagicMakesItRunAndWithoutItTheSameObjectIsListed() throws Exception {
        Path balloon = Path.of("../firmware-samples/target/matrix/x86_64/clang/O0/balloon-port.o");
        assertThat(balloon).as("the built sample matrix (firmware-samples)").exists();
        assertThat(triage(balloon)).isInstanceOf(ObjectTriage.Run.class);

        byte[] bytes = Files.readAllBytes(balloon);
        byte[] elmo = {0x6f, 0x6d, 0x6c, 0x45};
        int replaced = 0;
        for (int i = 0; i + 4 <= bytes.length; i++) {
            if (Arrays.equals(bytes, i, i + 4, elmo, 0, 4)) {
                bytes[i] = 0x00;
                replaced++;
            }
        }
        assertThat(replaced).as("the balloon magic in the sample").isPositive();
        Path without = Files.write(dir.resolve("balloon-without-magic.o"), bytes);
        assertThat(triage(without)).isInstanceOf(ObjectTriage.DeviceIo.class);
        assertThat(new ObjectTriage(LoadOptions.defaults(), true).decide(without))
                .as("--deep").isInstanceOf(ObjectTriage.Run.class);
    }

    @Test
    void checkListsTheDeviceOnlyObjectWithoutRunsAndDeepRunsIt() throws Exception {
        String tree = device.getParent().toString();
        JsonNode json = new ObjectMapper().readTree(check("check", tree, "-q", "--format", "json", "--fail-on", "never"));
        assertThat(functionsOf(json, device)).isEmpty();
        assertThat(functionsOf(json, backdoor)).contains("backdoor", "speaker", "device_read");
        JsonNode listed = StreamSupport.stream(json.get("objects").spliterator(), false)
                .filter(o -> o.get("object").asText().equals(device.toString())).findFirst().orElseThrow();
        assertThat(listed.get("deviceIoSites").asInt()).isEqualTo(2);
        assertThat(listed.get("trapSites").findValues("why")).extracting(JsonNode::asText)
                .containsOnly(ObjectCoverage.LISTED_DEVICE_IO).hasSize(2);

        assertThat(check("check", device.toString(), "-q", "--fail-on", "never")).contains(device
                + " (x86_64, profile vmware): hypercall sites 0, reached 0 (0 forced); device I/O sites 2,"
                + " not run (device I/O only)\n");

        JsonNode deep = new ObjectMapper().readTree(check("check", tree, "-q", "--format", "json", "--fail-on",
                "never", "--deep"));
        assertThat(functionsOf(deep, device)).contains("speaker", "device_read");
        assertThat(deep.get("objects").findValues("why")).extracting(JsonNode::asText)
                .doesNotContain(ObjectCoverage.LISTED_DEVICE_IO);
    }

    private static List<String> functionsOf(JsonNode report, Path object) {
        return StreamSupport.stream(report.get("results").spliterator(), false)
                .filter(r -> r.get("object").asText().equals(object.toString()))
                .map(r -> r.get("function").asText()).toList();
    }

    /** The report {@code hvprobe ARGS -o FILE} writes. */
    private static String check(String... args) throws Exception {
        CliOutcome o = CliOutcome.toFile(dir, args);
        assertThat(o.exit()).as(o.err()).isZero();
        return o.out();
    }
}
