package io.hvprobe.report.html;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.regex.Pattern;

/**
 * A small HTML page writer that escapes by construction: text and attribute values are always escaped, tag and
 * attribute names must be plain words (they come from this code, never from an object), and the only
 * unescaped text is the page's own constant style sheet and script ({@link #constant}). Elements are closed in
 * order by {@link #close()}, so a page is always well nested.
 */
public final class Html {
    /** No network: only the page's inline style sheet, inline script and data: images. */
    private static final String POLICY = "default-src 'none'; style-src 'unsafe-inline'; script-src 'unsafe-inline';"
            + " img-src data:";

    private static final Pattern NAME = Pattern.compile("[a-zA-Z][a-zA-Z0-9-]*");

    private final StringBuilder out = new StringBuilder(1 << 16);
    private final Deque<String> open = new ArrayDeque<>();

    private Html() {
    }

    /**
     * Starts a self-contained page titled {@code title}: the head with the inline style sheet and a content
     * security policy that forbids every network request; the writer is left inside {@code <body>}.
     */
    public static Html page(String title) {
        Html h = new Html();
        h.out.append("<!DOCTYPE html>\n");
        h.open("html", "lang", "en").open("head").empty("meta", "charset", "utf-8")
                .empty("meta", "http-equiv", "Content-Security-Policy", "content", POLICY)
                .empty("meta", "name", "viewport", "content", "width=device-width, initial-scale=1")
                .element("title", title).open("style").constant(PageConstant.STYLE).close().close().newline()
                .open("body");
        return h;
    }

    /** Ends the page (the filter script, then {@code </body></html>}) and returns it. */
    public String finish() {
        newline().open("script").constant(PageConstant.SCRIPT).close().close().close().newline();
        return document();
    }

    /** Opens {@code tag} with {@code attributes} given as name, value, name, value, … (values escaped). */
    public Html open(String tag, String... attributes) {
        start(tag, attributes);
        open.push(tag);
        return this;
    }

    /** A void element ({@code br}, {@code meta}, …): no content, no closing tag. */
    public Html empty(String tag, String... attributes) {
        start(tag, attributes);
        return this;
    }

    /** Closes the innermost open element. */
    public Html close() {
        out.append("</").append(open.pop()).append('>');
        return this;
    }

    /** {@code <tag attributes>text</tag>}. */
    public Html element(String tag, String text, String... attributes) {
        return open(tag, attributes).text(text).close();
    }

    /** Escaped text. */
    public Html text(String text) {
        escape(text, out);
        return this;
    }

    /** A line break in the output, to keep the page readable as text (no meaning in HTML). */
    public Html newline() {
        out.append('\n');
        return this;
    }

    /**
     * One of the page's own constants (style sheet, script) written as is; {@link PageConstant} refuses anything
     * that could end the {@code <style>} or {@code <script>} element early.
     */
    private Html constant(PageConstant constant) {
        out.append(constant.text());
        return this;
    }

    private String document() {
        if (!open.isEmpty()) {
            throw new IllegalStateException("unclosed elements: " + open);
        }
        return out.toString();
    }

    private void start(String tag, String... attributes) {
        requireName(tag);
        if (attributes.length % 2 != 0) {
            throw new IllegalArgumentException("attributes come in name, value pairs");
        }
        out.append('<').append(tag);
        for (int i = 0; i < attributes.length; i += 2) {
            requireName(attributes[i]);
            out.append(' ').append(attributes[i]).append("=\"");
            escape(attributes[i + 1], out);
            out.append('"');
        }
        out.append('>');
    }

    private static void requireName(String name) {
        if (!NAME.matcher(name).matches()) {
            throw new IllegalArgumentException("not an HTML name: " + name);
        }
    }

    /** Escapes the five characters that can end text or an attribute value; drops NULs and other C0 controls. */
    private static void escape(String s, StringBuilder out) {
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '<' -> out.append("&lt;");
                case '>' -> out.append("&gt;");
                case '&' -> out.append("&amp;");
                case '"' -> out.append("&quot;");
                case '\'' -> out.append("&#39;");
                case '\n', '\t' -> out.append(c);
                default -> {
                    if (c < 0x20 || c == 0x7f) {
                        out.append("\uFFFD");
                    } else {
                        out.append(c);
                    }
                }
            }
        }
    }
}
