package io.hvprobe.tests.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;

/**
 * Third-party validators fetched from package registries at test time into {@code target/registry} (never
 * committed): the official SARIF 2.1.0 schema and Microsoft's SARIF multitool from npm, Surefire's JUnit report
 * XSD from the Surefire source release on Maven Central. A missing network or npm fails the test clearly.
 */
final class Registry {
    /** The npm package carrying the multitool for Linux and the schema it validates against. */
    static final String MULTITOOL = "@microsoft/sarif-multitool-linux@5.7.0";
    static final String SUREFIRE_SOURCES = "https://repo1.maven.org/maven2/org/apache/maven/surefire/surefire/3.5.4/"
            + "surefire-3.5.4-source-release.zip";
    static final String SUREFIRE_XSD = "surefire-3.5.4/maven-surefire-plugin/src/site/resources/xsd/"
            + "surefire-test-report.xsd";

    private Registry() {
    }

    private static Path dir() throws Exception {
        // tests/target/registry, whatever this test JVM's working directory is (CliRun.workingDirectory()).
        return Files.createDirectories(Hvprobe.launcher().getParent().resolve("tests/target/registry"));
    }

    /** The unpacked multitool package ({@code package/Sarif.Multitool}, {@code package/sarif-2.1.0.json}). */
    static synchronized Path multitoolPackage() throws Exception {
        Path dir = dir().resolve("sarif-multitool");
        Path tool = dir.resolve("package/Sarif.Multitool");
        if (!Files.isExecutable(tool)) {
            Files.createDirectories(dir);
            run(dir, "npm", "pack", "--silent", MULTITOOL);
            Path tgz;
            try (var s = Files.list(dir)) {
                tgz = s.filter(p -> p.toString().endsWith(".tgz")).findFirst().orElseThrow(
                        () -> new AssertionError("npm pack " + MULTITOOL + " produced no tarball"));
            }
            run(dir, "tar", "xzf", tgz.getFileName().toString());
            assertThat(tool.toFile().setExecutable(true)).isTrue();
        }
        return dir.resolve("package");
    }

    /** Surefire's test report XSD (root element {@code testsuite}). */
    static synchronized Path surefireXsd() throws Exception {
        Path xsd = dir().resolve("surefire-test-report.xsd");
        if (!Files.isRegularFile(xsd)) {
            HttpResponse<InputStream> r = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NORMAL).build()
                    .send(HttpRequest.newBuilder(URI.create(SUREFIRE_SOURCES)).build(),
                            HttpResponse.BodyHandlers.ofInputStream());
            assertThat(r.statusCode()).as("GET " + SUREFIRE_SOURCES).isEqualTo(200);
            try (ZipInputStream zip = new ZipInputStream(r.body())) {
                for (ZipEntry e; (e = zip.getNextEntry()) != null; ) {
                    if (e.getName().equals(SUREFIRE_XSD)) {
                        Files.write(xsd, zip.readAllBytes());
                    }
                }
            }
            assertThat(xsd).as(SUREFIRE_XSD + " in " + SUREFIRE_SOURCES).isRegularFile();
        }
        return xsd;
    }

    /** Runs a command in {@code dir}, returning its output; fails on a non-zero exit. */
    static String run(Path dir, String... command) throws Exception {
        Process p = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true)
                .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null"))).start();
        String out = new String(p.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        assertThat(p.waitFor(10, TimeUnit.MINUTES)).as(String.join(" ", command) + " finished").isTrue();
        assertThat(p.exitValue()).as(String.join(" ", command) + ":\n" + out).isZero();
        return out;
    }
}
