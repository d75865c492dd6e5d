package io.hvprobe.report.html;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Locale;

/** The page's own style sheet and script, inlined into every page (no network, no external files). */
enum PageConstant {
    /** page.css */
    STYLE("page.css"),
    /** page.js: the finding filters (rule, severity, object) */
    SCRIPT("page.js");

    private final String text;

    PageConstant(String resource) {
        try (InputStream in = PageConstant.class.getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalStateException("missing resource " + resource);
            }
            text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        // Inlined verbatim into <style>/<script>: nothing in it may end the element early.
        if (text.toLowerCase(Locale.ROOT).contains("</")) {
            throw new IllegalStateException(resource + " contains '</'");
        }
    }

    String text() {
        return text;
    }
}
