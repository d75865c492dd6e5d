package io.hvprobe.report.html;

import java.util.List;

/**
 * The {@code compare --format html} page: the two functions' costs side by side as bars, and what the
 * hypervisor saw from each, hypercall by hypercall, with the differences marked.
 */
public final class ComparePage {
    private ComparePage() {
    }

    /** The page of {@code compare}. */
    public static String render(CompareView v) {
        CompareView.Side a = v.first();
        CompareView.Side b = v.second();
        Html h = Html.page("hvprobe compare " + a.function() + " " + b.function());
        h.element("h1", a.function() + " vs " + b.function());
        h.open("p").text("in ").element("code", v.object()).text(" (arguments: " + v.arguments() + ")").close();
        h.element("p", "verdict: " + v.verdict(), "id", "verdict");
        h.element("p", "results: " + v.results());
        h.element("h2", "Cost");
        h.open("table", "id", "cost").open("thead").open("tr").element("th", "")
                .element("th", a.function()).element("th", b.function()).element("th", "").close().close()
                .open("tbody");
        for (int i = 0; i < Math.min(a.cost().size(), b.cost().size()); i++) {
            Measure x = a.cost().get(i);
            Measure y = b.cost().get(i);
            long whole = Math.max(1, Math.max(x.value(), y.value()));
            h.open("tr", "class", x.value() == y.value() ? "same" : "differ").element("th", x.name())
                    .element("td", String.valueOf(x.value()), "class", "n")
                    .element("td", String.valueOf(y.value()), "class", "n").open("td");
            Bar.write(h, whole, List.of(new Bar.Part(x.value(), "a")));
            h.empty("br");
            Bar.write(h, whole, List.of(new Bar.Part(y.value(), "b")));
            h.close().close();
        }
        h.close().close();
        h.element("h2", "What the hypervisor saw", "id", "inputs-title");
        h.open("table", "id", "inputs").open("thead").open("tr").element("th", "#").element("th", a.function())
                .element("th", b.function()).close().close().open("tbody");
        for (int i = 0; i < Math.max(a.hypercalls().size(), b.hypercalls().size()); i++) {
            String x = i < a.hypercalls().size() ? a.hypercalls().get(i) : "(no hypercall)";
            String y = i < b.hypercalls().size() ? b.hypercalls().get(i) : "(no hypercall)";
            h.open("tr", "class", x.equals(y) ? "same" : "differ").element("td", String.valueOf(i), "class", "n")
                    .element("td", x, "class", "loc").element("td", y, "class", "loc").close();
        }
        h.close().close();
        if (v.firstDifference() >= 0) {
            h.element("p", "first difference at hypercall #" + v.firstDifference(), "id", "first-difference");
        }
        return h.finish();
    }
}
