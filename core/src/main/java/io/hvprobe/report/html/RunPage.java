package io.hvprobe.report.html;

import io.hvprobe.run.LocatedFinding;
import io.hvprobe.spi.Finding;
import io.hvprobe.spi.ProtocolStep;

import java.util.List;
import java.util.Locale;
import java.util.function.UnaryOperator;

/**
 * The {@code run --format html} page: the call and its result, the cost, the findings on their path, the
 * hypercalls as a sequence diagram, and each hypercall with the register contract it was checked against.
 */
public final class RunPage {
    private RunPage() {
    }

    /** The page of {@code run}. */
    public static String render(RunView run) {
        Html h = Html.page("hvprobe run " + run.function());
        h.element("h1", run.function() + "(" + run.arguments() + ")", "id", "call");
        h.open("p").text("in ").element("code", run.object()).text(" [" + run.context() + "]").close();
        h.element("p", run.result(), "id", "result", "class", "mono");
        run.details().forEach(d -> h.element("p", d, "class", "mono detail"));
        h.element("h2", "Cost");
        costTable(h, run.cost());
        findings(h, run.findings(), UnaryOperator.identity());
        run.notes().forEach(n -> h.element("p", "note: " + n));
        h.element("h2", "Hypercalls (" + run.hypercallCount() + ")", "id", "hypercalls-title");
        SequenceDiagram.write(h, run.hypercalls(), run.hypercallCount());
        hypercalls(h, run.hypercalls());
        return h.finish();
    }

    /** The findings of a run, as blocks with a filter-free list. */
    static void findings(Html h, List<LocatedFinding> findings, UnaryOperator<String> relative) {
        h.element("h2", "Findings (" + findings.size() + ")", "id", "findings-title");
        h.open("div", "id", "finding-list");
        int n = 0;
        for (LocatedFinding f : findings) {
            FindingBlock.write(h, n++, f.finding(), f.site(), f.site().profile(), relative,
                    new ContractIndex(Contracts.none()));
        }
        h.close();
    }

    private static void costTable(Html h, List<Measure> cost) {
        h.open("table", "class", "cost").open("tbody");
        cost.forEach(m -> h.open("tr").element("th", m.name()).element("td", String.valueOf(m.value()), "class", "n")
                .close());
        h.close().close();
    }

    /** A call's protocol step in words: which exchange, what was asked and answered, the message it completed. */
    private static void step(Html h, ProtocolStep s) {
        h.open("p", "class", "step").text("step ").element("code", s.step()).text(" of " + s.exchange() + ": asked ")
                .element("code", HypercallView.facts(s.request())).text(", answered ")
                .element("code", HypercallView.facts(s.reply())).close();
        s.message().ifPresent(m -> h.open("p", "class", "step").text(m.direction()
                == ProtocolStep.Direction.TO_HYPERVISOR ? "message to the hypervisor (" : "message to the guest (")
                .text(m.size() + " bytes): ").element("code", SequenceDiagram.quote(m.text())).close());
    }

    private static void hypercalls(Html h, List<HypercallView> calls) {
        for (HypercallView c : calls) {
            h.open("details", "class", "hypercall", "id", "h-" + c.sequence());
            h.open("summary").element("code", "#" + c.sequence() + " " + c.command()).text(" via " + c.form()
                    + " at ").element("code", c.location())
                    .text(c.plugin().isEmpty() ? " unhandled" : " [" + c.plugin() + "] " + c.summary()).close();
            h.open("div", "class", "body side");
            h.open("div").open("p").text("in: ").element("code", HypercallView.registers(c.inputs())).close()
                    .open("p").text("changed: ").element("code", HypercallView.registers(c.changed())).close();
            c.step().ifPresent(s -> step(h, s));
            for (Finding f : c.findings()) {
                String sev = f.severity().name().toLowerCase(Locale.ROOT);
                h.open("p").element("span", sev, "class", "sev-" + sev).text(" " + f.message() + " ")
                        .element("code", "[" + f.ruleId() + "]").close();
            }
            h.close();
            c.contract().ifPresent(k -> ContractTable.write(h, k));
            h.close().close().newline();
        }
    }
}
