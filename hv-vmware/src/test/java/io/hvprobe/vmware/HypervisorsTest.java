package io.hvprobe.vmware;

import io.hvprobe.spi.Hypervisors;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** How {@link Hypervisors} finds this plugin through ServiceLoader, and what it says when no plugin is there. */
class HypervisorsTest {

    @Test
    void withNoModelOnTheClassPathTheMessageNamesTheArtifactToAdd() {
        Thread thread = Thread.currentThread();
        ClassLoader saved = thread.getContextClassLoader();
        // ServiceLoader looks through the context class loader: one that sees only the JDK finds no plugin.
        thread.setContextClassLoader(ClassLoader.getPlatformClassLoader());
        try {
            assertThatThrownBy(() -> Hypervisors.byName("vmware")).isInstanceOf(IllegalArgumentException.class)
                    .hasMessage("no hypervisor model named 'vmware': none is on the class path; add the dependency"
                            + " io.hvprobe:hvprobe-hv-vmware (hvprobe's models are the artifacts"
                            + " io.hvprobe:hvprobe-hv-<name>, found through ServiceLoader)");
        } finally {
            thread.setContextClassLoader(saved);
        }
    }

    @Test
    void anUnknownNameAmongModelsListsThem() {
        assertThatThrownBy(() -> Hypervisors.byName("xen")).hasMessageStartingWith("no hypervisor model named 'xen'"
                + " (available: ");
    }
}
