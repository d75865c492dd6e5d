package io.hvprobe.unicorn;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Every constant of the binding must equal the same-named constant in Unicorn's C headers. */
class UnicornHeaderConstantsTest {
    private static final Path INCLUDE = Path.of("/usr/include/unicorn");
    private static CHeaderConstants headers;

    @BeforeAll
    static void parseHeaders() throws Exception {
        assertTrue(Files.isRegularFile(INCLUDE.resolve("unicorn.h")),
                "/usr/include/unicorn/unicorn.h is absent: apt-get install libunicorn-dev (scripts/test installs it)");
        // unicorn.h includes the architecture headers after its own enums; parse them first so that names resolve.
        headers = CHeaderConstants.parse(INCLUDE.resolve("x86.h"), INCLUDE.resolve("arm64.h"),
                INCLUDE.resolve("unicorn.h"));
    }

    @Test
    void x86RegisterIdsMatchX86Header() throws Exception {
        assertMatches(UcX86Reg.class, "UC_X86_REG_", 40);
    }

    @Test
    void arm64RegisterIdsMatchArm64Header() throws Exception {
        assertMatches(UcArm64Reg.class, "UC_ARM64_REG_", 50);
    }

    @Test
    void x86InstructionIdsMatchX86Header() throws Exception {
        assertMatches(UcX86Insn.class, "UC_X86_INS_", 5);
    }

    @Test
    void hookTypesIncludingCombinedMacrosMatchUnicornHeader() throws Exception {
        assertMatches(UcHookType.class, "UC_HOOK_", 18);
    }

    @Test
    void permissionsMatchUnicornHeader() throws Exception {
        assertMatches(UcProt.class, "UC_PROT_", 5);
    }

    @Test
    void architectureModeAndQueryValuesMatchUnicornHeader() throws Exception {
        assertMatches(UcEnums.class, "UC_", 6);
    }

    @Test
    void everyErrorCodeMatchesUnicornHeader() {
        for (UcError e : UcError.values()) {
            if (e != UcError.UNKNOWN) {
                assertThat(headers.get("UC_ERR_" + e.name())).as("UC_ERR_" + e.name()).isEqualTo((long) e.code());
                assertThat(UcError.of(e.code())).isSameAs(e);
            }
        }
        assertThat(headers.get("UC_ERR_EXCEPTION")).as("last uc_err in 2.0.1").isEqualTo(21L);
    }

    @Test
    void everyMemoryAccessTypeMatchesUnicornHeader() {
        for (UcMemType t : UcMemType.values()) {
            assertThat(headers.get("UC_MEM_" + t.name())).as("UC_MEM_" + t.name()).isEqualTo((long) t.code());
            assertThat(UcMemType.of(t.code())).isSameAs(t);
        }
    }

    @Test
    void arm64RegisterHelperFollowsTheNonContiguousNumbering() {
        for (int n = 0; n <= 30; n++) {
            assertThat((long) UcArm64Reg.x(n)).as("x" + n).isEqualTo(headers.get("UC_ARM64_REG_X" + n));
        }
    }

    /** Compares every static int field of {@code type} with {@code prefix + fieldName} in the headers. */
    private static void assertMatches(Class<?> type, String prefix, int atLeast) throws IllegalAccessException {
        List<String> checked = new ArrayList<>();
        for (Field f : type.getDeclaredFields()) {
            if (Modifier.isStatic(f.getModifiers()) && f.getType() == int.class) {
                f.setAccessible(true);
                String name = prefix + f.getName();
                assertThat(headers.get(name)).as(name + " is declared in the headers").isNotNull();
                assertThat(headers.get(name)).as(type.getSimpleName() + "." + f.getName()).isEqualTo((long) f.getInt(null));
                checked.add(name);
            }
        }
        assertThat(checked).as("constants checked in " + type.getSimpleName()).hasSizeGreaterThanOrEqualTo(atLeast);
    }
}
