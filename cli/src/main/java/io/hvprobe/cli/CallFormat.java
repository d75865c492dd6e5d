package io.hvprobe.cli;

/** What run and compare print: {@code --format text|json|html}. */
enum CallFormat {
    /** Lines for people (coloured on a terminal). */
    TEXT,
    /** One JSON document. */
    JSON,
    /** One self-contained HTML page (hypercall sequence diagram, contracts; compare: cost bars, inputs diffed). */
    HTML
}
