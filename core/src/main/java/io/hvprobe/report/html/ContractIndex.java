package io.hvprobe.report.html;

import io.hvprobe.arch.Arch;
import io.hvprobe.spi.RegisterContract;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The contracts a page's findings refer to, each written once: a finding holds a reference (a link, which the
 * page's script fills with a copy of the table when the finding is opened), the tables follow in one section.
 * So 10,000 findings of one command carry one table, not 10,000.
 */
public final class ContractIndex {
    private final Contracts contracts;
    private final Map<RegisterContract, String> ids = new LinkedHashMap<>();

    /** An index over {@code contracts}; ids are given in order of first reference (deterministic). */
    public ContractIndex(Contracts contracts) {
        this.contracts = contracts;
    }

    /** Writes the reference to the contracts of {@code command} on {@code arch}; nothing when there are none. */
    void reference(Html h, String command, Arch arch) {
        List<RegisterContract> found = contracts.of(command, arch);
        if (found.isEmpty()) {
            return;
        }
        List<String> refs = new ArrayList<>();
        found.forEach(k -> refs.add(ids.computeIfAbsent(k, x -> "k-" + ids.size())));
        h.open("div", "class", "contract-ref", "data-contracts", String.join(" ", refs));
        for (int i = 0; i < found.size(); i++) {
            h.open("a", "href", "#" + refs.get(i)).text("contract " + found.get(i).command()).close().text(" ");
        }
        h.close();
    }

    /** Writes every referenced contract's table, in order of first reference (nothing when none was). */
    public void writeSection(Html h) {
        if (ids.isEmpty()) {
            return;
        }
        h.element("h2", "Register contracts", "id", "contracts-title");
        ids.forEach((k, id) -> {
            h.open("div", "class", "contract-def", "id", id);
            ContractTable.write(h, k);
            h.close().newline();
        });
    }
}
