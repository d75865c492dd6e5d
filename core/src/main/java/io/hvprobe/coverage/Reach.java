package io.hvprobe.coverage;

/** How a run reached a trap site. */
public enum Reach {
    /** The module's lifecycle: {@code init_module}, its entry points and {@code cleanup_module} in one session. */
    LIFECYCLE,
    /** A function verified on its own (check's per-function runs). */
    ENTRY,
    /** A run steered towards the site: conditional branches leading away from it were taken the other way. */
    FORCED
}
