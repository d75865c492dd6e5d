package io.hvprobe.tests;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A new user's project, generated here: a Maven project that knows hvprobe only through its installed artifacts
 * (the library modules, installed by this module's build into the private repository {@code target/it-repo}; every
 * other artifact comes from the build's own local repository, read as a file mirror, so nothing is downloaded and
 * the shared local repository is never written) writes a JUnit 5 test with the extension and the assertions
 * against a sample object. It passes; a wrong expectation fails with a one-paragraph message.
 */
class LibraryAcceptanceIT {
    private static final Path ROOT = Path.of(property("hvprobe.root")).toAbsolutePath().normalize();
    private static final Path WORK = Path.of(property("hvprobe.it.dir")).toAbsolutePath();
    private static final Path OBJECT = Path.of(property("hvprobe.matrix.dir"))
            .resolve("x86_64/gcc/O2/detect-port.o").toAbsolutePath().normalize();

    private static String property(String name) {
        String v = System.getProperty(name);
        if (v == null) {
            throw new IllegalStateException("system property " + name + " is not set (run through Maven)");
        }
        return v;
    }

    @BeforeAll
    static void settings() throws IOException {
        Files.createDirectories(WORK);
        Files.writeString(WORK.resolve("settings.xml"), """
                <settings>
                  <mirrors>
                    <mirror>
                      <id>build-repository</id>
                      <mirrorOf>*</mirrorOf>
                      <url>%s</url>
                    </mirror>
                  </mirrors>
                </settings>
                """.formatted(Path.of(property("hvprobe.outer.repo")).toUri()));
    }

    /** Writes a user project whose test makes {@code assertion} on {@code hv_detect}'s verification. */
    private static Path project(String name, String assertion) throws IOException {
        Path dir = WORK.resolve(name);
        Path test = dir.resolve("src/test/java/com/example/DetectTest.java");
        Files.createDirectories(test.getParent());
        Files.writeString(dir.resolve("pom.xml"), """
                <project xmlns="http://maven.apache.org/POM/4.0.0">
                  <modelVersion>4.0.0</modelVersion>
                  <groupId>com.example</groupId>
                  <artifactId>%s</artifactId>
                  <version>1</version>
                  <properties>
                    <maven.compiler.release>25</maven.compiler.release>
                    <project.build.sourceEncoding>UTF-8</project.build.sourceEncoding>
                  </properties>
                  <dependencyManagement>
                    <dependencies>
                      <dependency>
                        <groupId>org.junit</groupId>
                        <artifactId>junit-bom</artifactId>
                        <version>%s</version>
                        <type>pom</type>
                        <scope>import</scope>
                      </dependency>
                    </dependencies>
                  </dependencyManagement>
                  <dependencies>
                    <dependency>
                      <groupId>io.hvprobe</groupId>
                      <artifactId>hvprobe-junit</artifactId>
                      <version>%s</version>
                      <scope>test</scope>
                    </dependency>
                    <dependency>
                      <groupId>io.hvprobe</groupId>
                      <artifactId>hvprobe-hv-vmware</artifactId>
                      <version>%3$s</version>
                      <scope>test</scope>
                    </dependency>
                    <dependency>
                      <groupId>org.junit.jupiter</groupId>
                      <artifactId>junit-jupiter</artifactId>
                      <scope>test</scope>
                    </dependency>
                  </dependencies>
                  <build>
                    <plugins>
                      <plugin>
                        <artifactId>maven-compiler-plugin</artifactId>
                        <version>%s</version>
                      </plugin>
                      <plugin>
                        <artifactId>maven-resources-plugin</artifactId>
                        <version>%s</version>
                      </plugin>
                      <plugin>
                        <artifactId>maven-surefire-plugin</artifactId>
                        <version>%s</version>
                        <configuration>
                          <argLine>--enable-native-access=ALL-UNNAMED</argLine>
                        </configuration>
                      </plugin>
                    </plugins>
                  </build>
                </project>
                """.formatted(name, property("hvprobe.junit.version"), property("hvprobe.version"),
                property("hvprobe.compiler.version"), property("hvprobe.resources.version"),
                property("hvprobe.surefire.version")));
        Files.writeString(test, """
                package com.example;

                import io.hvprobe.junit.Call;
                import io.hvprobe.junit.HvprobeTest;
                import io.hvprobe.verify.Verification;
                import org.junit.jupiter.api.Test;

                import static io.hvprobe.arch.X86Register.RCX;
                import static io.hvprobe.junit.HvprobeAssertions.assertThatRun;
                import static io.hvprobe.spi.Severity.WARNING;
                import static io.hvprobe.spi.TrapForm.IN;

                @HvprobeTest(object = "%s", profile = "vmware")
                class DetectTest {
                    @Test
                    @Call("hv_detect")
                    void detectsTheHypervisor(Verification v) {
                        %s;
                    }
                }
                """.formatted(OBJECT, assertion));
        return dir;
    }

    /** {@code mvn test} of the user project with the project's own wrapper; the output. */
    private static Run mavenTest(Path project) throws IOException, InterruptedException {
        Path log = project.resolve("build.log");
        ProcessBuilder pb = new ProcessBuilder(ROOT.resolve("mvnw").toString(), "-B", "-ntp",
                "-s", WORK.resolve("settings.xml").toString(),
                "-Dmaven.repo.local=" + Path.of(property("hvprobe.it.repo")).toAbsolutePath(),
                "test").directory(project.toFile()).redirectErrorStream(true).redirectOutput(log.toFile());
        pb.environment().put("JAVA_HOME", System.getProperty("java.home"));
        Process p = pb.start();
        if (!p.waitFor(20, TimeUnit.MINUTES)) {
            p.destroyForcibly();
            throw new AssertionError("mvn test of " + project + " did not finish in 20 minutes; see " + log);
        }
        return new Run(p.exitValue(), Files.readString(log), project);
    }

    private record Run(int status, String output, Path project) {
        /** The message of the one failure surefire recorded. */
        String failureMessage() throws IOException {
            String report = Files.readString(project.resolve("target/surefire-reports/TEST-com.example.DetectTest.xml"));
            Matcher m = Pattern.compile("<failure message=\"([^\"]*)\"").matcher(report);
            assertThat(m.find()).as("a <failure> in the surefire report").isTrue();
            return m.group(1).replace("&quot;", "\"").replace("&lt;", "<").replace("&gt;", ">")
                    .replace("&amp;", "&");
        }
    }

    @Test
    void aUsersTestWithTheExtensionAndAssertionsPasses() throws Exception {
        Run run = mavenTest(project("passes", """
                assertThatRun(v).madeHypercall("GETVERSION").with(RCX, 10).via(IN).returned(6)
                                .consumedNoUndefinedRegister().hasNoFindingsAtOrAbove(WARNING)"""));
        assertThat(run.status()).as(run.output()).isZero();
        assertThat(run.output()).contains("Tests run: 1, Failures: 0, Errors: 0, Skipped: 0")
                .doesNotContain("WARNING: A restricted method");
    }

    @Test
    void aWrongExpectationFailsWithOneReadableParagraph() throws Exception {
        Run run = mavenTest(project("fails", "assertThatRun(v).madeHypercall(\"GETVERSION\").returned(7)"));
        assertThat(run.status()).as(run.output()).isEqualTo(1);
        assertThat(run.output()).contains("Tests run: 1, Failures: 1");
        String message = run.failureMessage();
        assertThat(message).isEqualTo("Expected hv_detect to return 0x7, but hv_detect returned 0x6 after 2"
                + " hypercalls (CPUID 0x40000000, GETVERSION); no findings");
        assertThat(List.of(message.split("\n"))).hasSize(1);
    }
}
