package io.hvprobe.loader;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

/** Naming guest addresses: code addresses and return addresses. */
class SymbolTableTest {
    private final SymbolTable table = new SymbolTable(List.of(
            new GuestSymbol("probe", 0x1000, 0x40, SymbolType.FUNCTION, SymbolBinding.GLOBAL, ".text"),
            new GuestSymbol("next", 0x1040, 0x10, SymbolType.FUNCTION, SymbolBinding.LOCAL, ".text")),
            List.of(new Stub("printk", 0x2000, 16, StubKind.FUNCTION, 0)));

    @Test
    void symbolizeNamesTheSymbolHoldingAnAddress() {
        assertThat(table.symbolize(0x1000)).isEqualTo("probe");
        assertThat(table.symbolize(0x101c)).isEqualTo("probe+0x1c");
        assertThat(table.symbolize(0x1040)).isEqualTo("next");
        assertThat(table.symbolize(0x2000)).isEqualTo("printk");
        assertThat(table.symbolize(0x3000)).isEqualTo("0x3000");
    }

    @Test
    void aReturnAddressIsNamedAfterTheFunctionHoldingTheCall() {
        assertThat(table.symbolizeReturn(0x1020)).isEqualTo("probe+0x20");
        // The call ended probe (a __stack_chk_fail call): its return address is where next starts.
        assertThat(table.symbolizeReturn(0x1040)).isEqualTo("probe+0x40");
        assertThat(table.symbolizeReturn(0x3000)).isEqualTo("0x3000");
    }
}
