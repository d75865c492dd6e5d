package io.hvprobe.tests;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What {@code ./mvnw install} publishes (issue 16): no module builds or needs a test jar — code shared between
 * modules' tests lives in {@code test-support}, which, like every test-only module, is never installed or deployed.
 */
class PublishedArtifactsTest {
    private static final Pattern MODULE = Pattern.compile("<module>([^<]+)</module>");

    @Test
    void noModuleBuildsOrDependsOnATestJar() throws IOException {
        List<String> offenders = new ArrayList<>();
        for (String module : modules()) {
            if (Files.readString(Samples.projectRoot().resolve(module).resolve("pom.xml")).contains("test-jar")) {
                offenders.add(module);
            }
        }
        assertThat(offenders).as("poms naming a test-jar (goal or dependency type)").isEmpty();
    }

    @Test
    void testOnlyModulesAreNeitherInstalledNorDeployed() throws IOException {
        for (String module : List.of("test-support", "tests", "firmware-samples")) {
            String pom = Files.readString(Samples.projectRoot().resolve(module).resolve("pom.xml"));
            assertThat(pom).as(module).contains("<maven.install.skip>true</maven.install.skip>",
                    "<maven.deploy.skip>true</maven.deploy.skip>");
        }
    }

    /** Every module of the root pom, profiles included. */
    private static List<String> modules() throws IOException {
        List<String> modules = new ArrayList<>();
        Matcher m = MODULE.matcher(Files.readString(Samples.projectRoot().resolve("pom.xml")));
        while (m.find()) {
            modules.add(m.group(1));
        }
        assertThat(modules).contains("core", "test-support", "tests");
        return modules;
    }
}
