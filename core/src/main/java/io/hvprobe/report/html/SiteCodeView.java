package io.hvprobe.report.html;

import io.hvprobe.coverage.SiteCode;
import io.hvprobe.run.SourceLocation;

import java.util.function.UnaryOperator;

/**
 * The code at a trap site, in the trap-site table: the source position (file, line, function, inline chain) with
 * the lines around it, the site's line marked; or, without debug information, the disassembly around the site
 * with the trap instruction marked.
 */
public final class SiteCodeView {
    private SiteCodeView() {
    }

    /** Writes {@code code}; {@code relative} writes source paths relative to the source root. */
    public static void write(Html h, SiteCode code, UnaryOperator<String> relative) {
        switch (code) {
            case SiteCode.Source s -> source(h, s, relative);
            case SiteCode.Disassembly d -> {
                h.open("pre", "class", "code asm");
                for (SiteCode.CodeLine l : d.lines()) {
                    String line = String.format(java.util.Locale.ROOT, "%8x  %s", l.address(), l.text());
                    if (l.trap()) {
                        h.element("b", line, "class", "at");
                    } else {
                        h.text(line);
                    }
                    h.text("\n");
                }
                h.close();
            }
            case SiteCode.Unavailable u -> h.element("span", u.why(), "class", "none");
        }
    }

    private static void source(Html h, SiteCode.Source s, UnaryOperator<String> relative) {
        SourceLocation at = s.at();
        h.open("div", "class", "src").element("code", relative.apply(at.file()) + ":" + at.line()
                + (at.column() > 0 ? ":" + at.column() : ""));
        if (!at.function().isEmpty()) {
            h.text(" in ").element("code", at.function());
        }
        at.inlinedFrom().forEach(i -> h.text(", inlined into ").element("code", i.function() + " at "
                + relative.apply(i.file()) + ":" + i.line()));
        h.close();
        if (s.text().isEmpty()) {
            return;
        }
        h.open("pre", "class", "code src-text");
        for (SiteCode.TextLine l : s.text()) {
            String line = String.format(java.util.Locale.ROOT, "%5d  %s", l.number(), l.text());
            if (l.number() == at.line()) {
                h.element("b", line, "class", "at");
            } else {
                h.text(line);
            }
            h.text("\n");
        }
        h.close();
    }
}
