package io.hvprobe.report.html;

import io.hvprobe.arch.GuestRegister;
import io.hvprobe.spi.RegisterContract;

import java.util.Map;

/** A command's register contract as a table: per register, input bits, what happens to it, and its meaning. */
public final class ContractTable {
    private ContractTable() {
    }

    /** Writes {@code contract}; registers it does not list are preserved non-inputs, as the table's last row says. */
    public static void write(Html h, RegisterContract contract) {
        h.open("table", "class", "contract").open("caption").text("contract ").element("code", contract.command())
                .close();
        h.open("thead").open("tr").element("th", "register").element("th", "in").element("th", "after the trap")
                .element("th", "meaning").close().close().open("tbody");
        for (Map.Entry<GuestRegister, RegisterContract.Role> e : contract.roles().entrySet()) {
            RegisterContract.Role r = e.getValue();
            h.open("tr").element("td", e.getKey().displayName(), "class", "loc")
                    .element("td", r.isInput() ? "0x" + Long.toHexString(r.inputMask()) : "-", "class", "loc")
                    .element("td", effect(r)).element("td", r.meaning()).close();
        }
        h.open("tr").element("td", "others").element("td", "-").element("td", "preserved").element("td", "")
                .close();
        h.close().close();
    }

    private static String effect(RegisterContract.Role r) {
        return switch (r.effect()) {
            case PRESERVED -> "preserved";
            case WRITTEN -> "out (" + r.writeWidth() + "-bit write)";
            case MAY_CHANGE -> "may change";
        };
    }
}
