package io.hvprobe.manifest;

import io.hvprobe.api.Probe;
import io.hvprobe.api.ProbeOptions;
import io.hvprobe.guest.UnknownFunctionException;
import io.hvprobe.loader.LoadException;
import io.hvprobe.spi.HypervisorOptions;
import io.hvprobe.verify.Verifier;
import io.hvprobe.verify.VerifyOptions;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Runs {@link Scenario}s through {@link Verifier#verify} and compares what happened with the manifest.
 * Probes are reused for consecutive scenarios of the same object and model configuration (run scenarios
 * object by object); a new object closes the previous object's probes. Not thread-safe.
 */
public final class ScenarioRunner implements AutoCloseable {
    private final VerifyOptions options;
    private final ProbeOptions base;
    /** Open probes of the current object by model and its configuration. */
    private final Map<Map.Entry<String, HypervisorOptions>, Probe> probes = new LinkedHashMap<>();
    private Path currentObject;

    /** A runner with default probe options. */
    public ScenarioRunner(VerifyOptions options) {
        this(options, ProbeOptions.defaults());
    }

    /** A runner whose probes start from {@code base} (hypervisor options and variant label are the scenario's). */
    public ScenarioRunner(VerifyOptions options, ProbeOptions base) {
        this.options = options;
        this.base = base;
    }

    /**
     * Runs one scenario.
     *
     * @throws LoadException            if the object cannot be loaded
     * @throws IllegalArgumentException if the model rejects the scenario's profile or settings
     */
    public ScenarioResult run(Scenario s) throws LoadException {
        Probe probe = probe(s);
        Verifier verifier = new Verifier(options.withReturnBits(s.entry().returnBits()));
        try {
            return new ScenarioChecker(s, verifier, probe, verifier.verify(probe, s.call())).check();
        } catch (UnknownFunctionException e) {
            Mismatch m = new Mismatch(s.id(), "function", "defined in " + s.object().path().getFileName(),
                    "not defined");
            return new ScenarioResult(s, Optional.empty(), List.of(m), List.of(), List.of(), List.of(), s.findings(),
                    List.of());
        }
    }

    private Probe probe(Scenario s) throws LoadException {
        Path object = s.object().path();
        if (!object.equals(currentObject)) {
            close();
            currentObject = object;
        }
        Map.Entry<String, HypervisorOptions> key = Map.entry(s.entry().hypervisor(), s.hypervisor());
        Probe p = probes.get(key);
        if (p == null) {
            p = Probe.open(object, base.withHypervisor(s.entry().hypervisor()).withHypervisorOptions(s.hypervisor())
                    .withVariant(s.object().cell() + "/" + s.object().variant()));
            probes.put(key, p);
        }
        return p;
    }

    /** Closes the cached probes. */
    @Override
    public void close() {
        probes.values().forEach(Probe::close);
        probes.clear();
        currentObject = null;
    }
}
