package io.hvprobe.report.html;

import io.hvprobe.run.FindingSite;
import io.hvprobe.run.SourceLocation;
import io.hvprobe.spi.Finding;

import java.util.Locale;
import java.util.function.UnaryOperator;

/**
 * One finding as a collapsible block: a summary line (severity, where, message, rule) that opens onto where it
 * was made, its source line and {@link FindingPath its path}. The block carries the rule, severity and object as
 * data attributes, which the page's filters select on.
 */
public final class FindingBlock {
    private FindingBlock() {
    }

    /**
     * Writes finding number {@code n}.
     *
     * @param profiles the profiles that produced it, comma-separated, {@code ""} when none was named
     * @param relative  how source paths are written (relative to the source root)
     * @param contracts the model's contracts: those of the command the evidence names are referred to beside the
     *                  path (and shown there when the finding is opened)
     */
    public static void write(Html h, int n, Finding finding, FindingSite site, String profiles,
                             UnaryOperator<String> relative, ContractIndex contracts) {
        String sev = finding.severity().name().toLowerCase(Locale.ROOT);
        h.open("details", "class", "finding", "id", "f-" + n, "data-rule", finding.ruleId(), "data-severity", sev,
                "data-object", site.object());
        String where = site.source().map(s -> relative.apply(s.file()) + ":" + s.line())
                .orElse(site.object() + ":" + site.location());
        h.open("summary").element("span", sev, "class", "sev-" + sev).text(" ").element("code", where)
                .text(" " + finding.message() + " ").element("code", "[" + finding.ruleId() + "]").close();
        h.open("div", "class", "body");
        h.open("p").text("object ").element("code", site.object()).text(", function ")
                .element("code", site.location()).text(", " + site.arch().name().toLowerCase(Locale.ROOT));
        if (!site.variant().isEmpty()) {
            h.text(", variant " + site.variant());
        }
        if (!profiles.isEmpty()) {
            h.text(", profile " + profiles);
        }
        h.close();
        site.source().ifPresent(s -> source(h, s, relative));
        h.open("div", "class", "side").open("div");
        FindingPath.write(h, site.location(), finding.evidence());
        h.close();
        String command = finding.evidence().get("command");
        if (command != null) {
            contracts.reference(h, command, site.arch());
        }
        h.close().close().close().newline();
    }

    private static void source(Html h, SourceLocation s, UnaryOperator<String> relative) {
        h.open("p", "class", "source").text("source ").element("code", relative.apply(s.file()) + ":" + s.line()
                + (s.column() > 0 ? ":" + s.column() : ""));
        if (!s.function().isEmpty()) {
            h.text(" in ").element("code", s.function());
        }
        s.inlinedFrom().forEach(i -> h.text(", inlined from ").element("code", i.function() + " at "
                + relative.apply(i.file()) + ":" + i.line()));
        h.close();
    }
}
