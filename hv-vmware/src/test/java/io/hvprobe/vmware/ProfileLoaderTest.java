package io.hvprobe.vmware;

import io.hvprobe.spi.Hypervisor;
import io.hvprobe.spi.HypervisorOptions;
import io.hvprobe.spi.Hypervisors;
import io.hvprobe.spi.Severity;
import io.hvprobe.vmware.profile.Flavor;
import io.hvprobe.vmware.profile.HbSemantics;
import io.hvprobe.vmware.profile.ProfileBuilder;
import io.hvprobe.vmware.profile.ProfileLoader;
import io.hvprobe.vmware.profile.TimeSource;
import io.hvprobe.vmware.profile.VmwareProfile;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Built-in profiles, profile files (YAML/JSON), settings and the ServiceLoader registration. */
class ProfileLoaderTest {
    @TempDir
    Path dir;

    private static HypervisorOptions file(Path p) {
        return new HypervisorOptions(Optional.empty(), Optional.of(p), Map.of());
    }

    @Test
    void pluginIsFoundByName() {
        Hypervisor h = Hypervisors.byName("vmware");
        assertThat(h.profiles()).containsExactly("vmware", "qemu-vmport");
        assertThat(h.openSession(HypervisorOptions.defaults()).profile()).isEqualTo("vmware");
    }

    @Test
    void defaultsAreTheDocumentedOnes() {
        VmwareProfile p = ProfileLoader.load(HypervisorOptions.defaults());
        assertThat(p.flavor()).isEqualTo(Flavor.VMWARE);
        assertThat(p.time().source()).isEqualTo(TimeSource.FIXED);
        assertThat(p.entry().hbSemantics()).isEqualTo(HbSemantics.VMWARE);
        assertThat(p.rpc().maxMessage()).isEqualTo(65536);
        assertThat(p.rpc().maxChannels()).isEqualTo(128);
        assertThat(p.entry().commandMask()).isEqualTo(0xFFFF);
    }

    @Test
    void yamlFileOverridesTheBuiltInProfile() throws IOException {
        Path f = dir.resolve("lab.yaml");
        Files.writeString(f, """
                base: qemu-vmport
                name: lab
                tsc-hz: 3_000_000_000
                memory-mb: 8192
                hb-semantics: architectural
                uuid: 00112233-4455-6677-8899-aabbccddeeff
                fixed-answers:
                  34: {eax: 0}
                severity:
                  vmware.io-size: error
                """);
        VmwareProfile p = ProfileLoader.load(file(f));
        assertThat(p.name()).isEqualTo("lab");
        assertThat(p.flavor()).isEqualTo(Flavor.QEMU);
        assertThat(p.time().tscHz()).isEqualTo(3_000_000_000L);
        assertThat(p.identity().memoryMb()).isEqualTo(8192);
        assertThat(p.entry().hbSemantics()).isEqualTo(HbSemantics.ARCHITECTURAL);
        assertThat(p.fixedAnswers()).containsEntry(34, Map.of(0, 0L));
        assertThat(p.severities()).containsEntry("vmware.io-size", Severity.ERROR);
    }

    @Test
    void jsonFileAndSettingsOverrideInOrder() throws IOException {
        Path f = dir.resolve("p.json");
        Files.writeString(f, "{\"advertise-vmcall\": false, \"vmx-type\": \"0x4\", \"time-source\": \"host\"}");
        VmwareProfile p = ProfileLoader.load(new HypervisorOptions(Optional.of("vmware"), Optional.of(f),
                Map.of("vmx-type", "2")));
        assertThat(p.entry().advertiseVmcall()).isFalse();
        assertThat(p.time().source()).isEqualTo(TimeSource.HOST);
        assertThat(p.identity().vmxType()).isEqualTo(2);
    }

    @Test
    void unknownSettingInAFileNamesFileAndKey() throws IOException {
        Path f = dir.resolve("bad.yaml");
        Files.writeString(f, "tsc-mhz: 3000\n");
        assertThatThrownBy(() -> ProfileLoader.load(file(f))).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("bad.yaml").hasMessageContaining("tsc-mhz").hasMessageContaining("unknown setting");
    }

    @Test
    void badValueIsExplained() throws IOException {
        Path f = dir.resolve("bad.json");
        Files.writeString(f, "{\"hb-semantics\": \"sometimes\"}");
        assertThatThrownBy(() -> ProfileLoader.load(file(f))).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("hb-semantics").hasMessageContaining("vmware, architectural");
    }

    @Test
    void malformedYamlIsAOneLineError() throws IOException {
        Path f = dir.resolve("broken.yaml");
        Files.writeString(f, "tsc-hz: [1, 2\n");
        assertThatThrownBy(() -> ProfileLoader.load(file(f))).isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("profile file " + f + ": not valid YAML");
    }

    @Test
    void topLevelMustBeAMapping() throws IOException {
        Path f = dir.resolve("list.json");
        Files.writeString(f, "[1, 2]");
        assertThatThrownBy(() -> ProfileLoader.load(file(f))).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("mapping");
    }

    @Test
    void missingFileIsReported() {
        Path f = dir.resolve("none.yaml");
        assertThatThrownBy(() -> ProfileLoader.load(file(f))).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("profile file " + f + ": no such file");
    }

    @Test
    void unknownBaseInAFileNamesTheFile() throws IOException {
        Path f = dir.resolve("base.yaml");
        Files.writeString(f, "base: hyperv\n");
        assertThatThrownBy(() -> ProfileLoader.load(file(f))).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("profile file " + f + ": unknown vmware profile 'hyperv' (built-in: vmware, qemu-vmport)");
        Files.writeString(f, "base: [vmware]\n");
        assertThatThrownBy(() -> ProfileLoader.load(file(f))).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("profile file " + f + ": setting 'base': expected a single value");
    }

    @Test
    void unknownProfileNamesTheBuiltIns() {
        assertThatThrownBy(() -> ProfileLoader.load(HypervisorOptions.profile("hyperv")))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("vmware, qemu-vmport");
    }

    /** Every setting key is in the docs' settings table, and the table names no key the loader refuses. */
    @Test
    void everySettingIsDocumented() throws IOException {
        String doc = Files.readString(Path.of("..", "docs", "vmware-model.md"));
        String table = doc.substring(doc.indexOf("## Settings"), doc.indexOf("## UNCERTAIN"));
        java.util.Set<String> documented = new java.util.TreeSet<>();
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("^\\| `([a-z0-9-]+)`(?:, `([a-z0-9-]+)`)? \\|",
                java.util.regex.Pattern.MULTILINE).matcher(table);
        while (m.find()) {
            documented.add(m.group(1));
            if (m.group(2) != null) {
                documented.add(m.group(2));
            }
        }
        assertThat(documented).containsExactlyInAnyOrderElementsOf(ProfileBuilder.keys());
    }

    @Test
    void settingsValidateRanges() {
        assertThatThrownBy(() -> ProfileBuilder.builtIn("vmware").set("rpc-max-channels", "500"))
                .hasMessageContaining("rpc-max-channels").hasMessageContaining("1..128");
        assertThatThrownBy(() -> ProfileBuilder.builtIn("vmware").set("severity.vmware.nope", "error"))
                .hasMessageContaining("vmware.nope");
        assertThatThrownBy(() -> ProfileBuilder.builtIn("vmware").set("fixed-answer.34", "ebp=1"))
                .hasMessageContaining("ebp");
    }
}
