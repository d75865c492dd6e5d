package io.hvprobe.cli;

/** What scan, disasm and commands print: {@code --format text|json}. */
enum ListingFormat {
    /** Lines for people (coloured on a terminal). */
    TEXT,
    /** One JSON document. */
    JSON
}
