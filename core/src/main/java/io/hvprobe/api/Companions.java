package io.hvprobe.api;

import io.hvprobe.spi.GuestMemoryView;
import io.hvprobe.spi.Hypervisor;
import io.hvprobe.spi.HypervisorOptions;
import io.hvprobe.spi.HypervisorSession;
import io.hvprobe.spi.Hypervisors;
import io.hvprobe.spi.SessionState;
import io.hvprobe.spi.TrapEvent;
import io.hvprobe.spi.TrapOutcome;
import io.hvprobe.trap.TrapInterceptor;

import java.util.List;
import java.util.Map;

/**
 * The plugins on the class path other than the run's primary model, each active in every run for the traps it
 * {@linkplain HypervisorSession#claims claims} (a VMware backdoor call in a KVM run): asked in name order before the
 * primary model, never given a trap they do not claim. Each runs the profile {@link ProbeOptions#companions} names
 * for it, else its default profile, and, like the primary session, starts every run from one captured state.
 */
final class Companions implements AutoCloseable {

    /** One companion plugin: its session switch and the state every run starts from. */
    private static final class Companion {
        private final Hypervisor plugin;
        private final HypervisorOptions options;
        private final SessionSwitch sessions = new SessionSwitch();
        private SessionState start;

        Companion(Hypervisor plugin, HypervisorOptions options) {
            this.plugin = plugin;
            this.options = options;
            try (HypervisorSession fresh = plugin.openSession(options)) {
                this.start = fresh.capture();
            }
        }

        void plugFromStart() {
            plugFrom(start);
        }

        void plugFrom(SessionState state) {
            HypervisorSession s = plugin.openSession(options);
            s.restore(state);
            sessions.plug(s);
        }
    }

    /** Passes a trap on only when the companion claims it. */
    private record ClaimedOnly(SessionSwitch sessions) implements HypervisorSession {
        @Override
        public String profile() {
            return sessions.profile();
        }

        @Override
        public TrapOutcome handle(TrapEvent event, GuestMemoryView memory) {
            return sessions.claims(event) ? sessions.handle(event, memory) : TrapOutcome.NOT_MINE;
        }

        @Override
        public SessionState capture() {
            return sessions.capture();
        }

        @Override
        public void restore(SessionState state) {
            sessions.restore(state);
        }
    }

    private final List<Companion> companions;

    private Companions(List<Companion> companions) {
        this.companions = companions;
    }

    /**
     * Every plugin but {@code primary}, in name order, each with its options from {@code options} (the default
     * profile for a plugin not named there).
     *
     * @throws IllegalArgumentException when {@code options} names the primary model or no plugin, or a companion's
     *                                  profile or setting is invalid (the message says which)
     */
    static Companions of(Hypervisor primary, Map<String, HypervisorOptions> options) {
        List<Hypervisor> others = Hypervisors.all().stream().filter(h -> !h.name().equals(primary.name())).toList();
        for (String name : options.keySet()) {
            if (name.equals(primary.name())) {
                throw new IllegalArgumentException("companion profile for " + name + ", which is the primary model;"
                        + " give its profile as the run's profile");
            }
            if (others.stream().noneMatch(h -> h.name().equals(name))) {
                throw new IllegalArgumentException("companion profile for unknown hypervisor model '" + name
                        + "' (available: " + String.join(", ", others.stream().map(Hypervisor::name).toList()) + ")");
            }
        }
        return new Companions(others.stream().map(h -> new Companion(h, options.getOrDefault(h.name(),
                HypervisorOptions.defaults()))).toList());
    }

    /** The interceptor's sessions for the companions, to be asked before the primary model's. */
    List<TrapInterceptor.PluginSession> pluginSessions() {
        return companions.stream().map(c -> new TrapInterceptor.PluginSession(c.plugin.name(),
                (HypervisorSession) new ClaimedOnly(c.sessions))).toList();
    }

    /** Every companion starts the next run from its start state. */
    void plugFromStart() {
        companions.forEach(Companion::plugFromStart);
    }

    /** What each companion's session holds now, in the companions' order (for {@link #plugFrom}). */
    List<SessionState> capture() {
        return companions.stream().map(c -> c.sessions.capture()).toList();
    }

    /** Every companion starts the next run from the state {@link #capture} returned. */
    void plugFrom(List<SessionState> states) {
        for (int i = 0; i < companions.size(); i++) {
            companions.get(i).plugFrom(states.get(i));
        }
    }

    /** Plugs start sessions for companions that have none yet (a first continuing run). */
    void plugIfAbsent() {
        companions.stream().filter(c -> c.sessions.current() == null).forEach(Companion::plugFromStart);
    }

    /** What the companions hold now becomes the state later runs start from. */
    void startRunsFromHere() {
        for (Companion c : companions) {
            if (c.sessions.current() != null) {
                c.start = c.sessions.current().capture();
            }
        }
    }

    @Override
    public void close() {
        companions.forEach(c -> c.sessions.close());
    }
}
