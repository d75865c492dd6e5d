package io.hvprobe.vmware;

import io.hvprobe.arch.Arch;
import io.hvprobe.arch.Arm64Register;
import io.hvprobe.arch.GuestRegister;
import io.hvprobe.arch.X86Register;
import io.hvprobe.spi.RegisterContract;
import io.hvprobe.vmware.contract.ArgContract;
import io.hvprobe.vmware.contract.ContractMapper;
import io.hvprobe.vmware.contract.ContractTable;
import io.hvprobe.vmware.entry.Direction;
import io.hvprobe.vmware.entry.EntryPath;
import io.hvprobe.vmware.profile.ProfileBuilder;
import io.hvprobe.vmware.profile.VmwareProfile;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The written width of every output of every command on every entry path is the audit in docs/vmware-model.md,
 * section "Output widths" (each row cites the spec section it was checked against): same contracts, same outputs,
 * same widths, and the same extra registers per path.
 */
class OutputWidthAuditTest {
    private static final List<String> ARG_NAMES = List.of("EAX", "EBX", "ECX", "EDX", "ESI", "EDI", "EBP");

    private final VmwareProfile vmware = ProfileBuilder.builtIn("vmware").build();

    @Test
    void everyContractOutputHasTheAuditedWidth() throws IOException {
        Map<String, Map<Integer, Integer>> audited = contractRows();
        Map<String, Map<Integer, Integer>> actual = new TreeMap<>();
        ContractTable.all().forEach((key, c) -> {
            Map<Integer, Integer> widths = new TreeMap<>();
            c.args().forEach((arg, role) -> {
                if (role.written()) {
                    widths.put(arg, role.width());
                }
            });
            actual.put(key, widths);
        });
        assertThat(actual).isEqualTo(new TreeMap<>(audited));
    }

    @Test
    void everyPathWritesTheAuditedOutputsAndNothingElse() throws IOException {
        Map<String, Map<Integer, Integer>> audited = contractRows();
        Map<EntryPath, Map<GuestRegister, Integer>> extras = pathRows();
        assertThat(extras.keySet()).containsExactlyInAnyOrder(EntryPath.values());
        List<String> checked = new ArrayList<>();
        ContractTable.all().forEach((key, c) -> {
            for (EntryPath path : pathsOf(c)) {
                Map<GuestRegister, Integer> expected = new LinkedHashMap<>(extras.get(path));
                audited.get(key).forEach((arg, width) -> expected.put(path.registers().require(arg), width));
                for (Direction d : Direction.values()) {
                    RegisterContract mapped = ContractMapper.map(c, path, d, vmware, false);
                    Map<GuestRegister, Integer> written = new LinkedHashMap<>();
                    for (GuestRegister r : mapped.written()) {
                        written.put(r, mapped.role(r).writeWidth());
                    }
                    assertThat(written).as("%s on %s", key, path).containsExactlyInAnyOrderEntriesOf(expected);
                }
                checked.add(key + "/" + path);
            }
        });
        assertThat(checked).as("every contract was checked on each of its paths").hasSize(
                ContractTable.all().values().stream().mapToInt(c -> pathsOf(c).size()).sum())
                .contains("GETVERSION/TDCALL", "MESSAGE.HB_IN/ARM64_MRS", "BALLOON.START/IO_PORT");
    }

    @Test
    void balloonStartDefinesAllOfRcx() {
        RegisterContract start = ContractMapper.map(ContractTable.get("BALLOON.START"), EntryPath.IO_PORT, Direction.IN,
                vmware, false);
        assertThat(start.role(X86Register.RCX).writeWidth()).isEqualTo(64);
        // EAX comes from IN EAX, DX, which zero-extends on the CPU; the status is a 32-bit write.
        assertThat(start.role(X86Register.RAX).writeWidth()).isEqualTo(32);
    }

    @Test
    void zeroExtendedOutputsAreDeclared64BitWrites() {
        VmwareProfile zero = ProfileBuilder.builtIn("vmware").set("output-upper-half", "zero-extended").build();
        ContractTable.all().forEach((key, c) -> {
            for (EntryPath path : pathsOf(c)) {
                RegisterContract mapped = ContractMapper.map(c, path, Direction.IN, zero, false);
                for (GuestRegister r : mapped.written()) {
                    assertThat(mapped.role(r).writeWidth()).as("%s %s on %s", key, r, path).isEqualTo(64);
                }
            }
        });
    }

    /** The entry paths a contract exists on: LB everywhere, HB not over TDX, the balloon only on its port. */
    private static List<EntryPath> pathsOf(ArgContract c) {
        return switch (c.bandwidth()) {
            case LB -> List.of(EntryPath.values());
            case HB -> java.util.Arrays.stream(EntryPath.values()).filter(EntryPath::supportsHb).toList();
            case BALLOON -> List.of(EntryPath.IO_PORT);
        };
    }

    private static String section() throws IOException {
        String doc = Files.readString(Path.of("..", "docs", "vmware-model.md"));
        int start = doc.indexOf("## Output widths");
        assertThat(start).as("docs/vmware-model.md has the output-width audit").isNotNegative();
        int end = doc.indexOf("\n## ", start + 1);
        return doc.substring(start, end < 0 ? doc.length() : end);
    }

    /** {@code | `KEY` | KIND | EAX 32, ECX 64 | §… |} rows: written arg → width. */
    private static Map<String, Map<Integer, Integer>> contractRows() throws IOException {
        Map<String, Map<Integer, Integer>> rows = new LinkedHashMap<>();
        Matcher m = Pattern.compile("^\\| `([A-Z0-9_.a-z]+)` \\| (LB|HB|BALLOON) \\| ([^|]+) \\| §[^|]+\\|$",
                Pattern.MULTILINE).matcher(section());
        while (m.find()) {
            Map<Integer, Integer> widths = new TreeMap<>();
            for (Map.Entry<String, Integer> e : parseWrites(m.group(3)).entrySet()) {
                int arg = ARG_NAMES.indexOf(e.getKey());
                assertThat(arg).as("argument register %s in row %s", e.getKey(), m.group(1)).isNotNegative();
                widths.put(arg, e.getValue());
            }
            assertThat(rows.put(m.group(1), widths)).as("one row for %s", m.group(1)).isNull();
            assertThat(ContractTable.contains(m.group(1))).as("row %s is a contract", m.group(1)).isTrue();
            assertThat(ContractTable.get(m.group(1)).bandwidth().name()).as(m.group(1)).isEqualTo(m.group(2));
        }
        return rows;
    }

    /** {@code | `path` | RAX 64, R10 64 | §… |} rows: path → extra written register → width. */
    private static Map<EntryPath, Map<GuestRegister, Integer>> pathRows() throws IOException {
        Map<EntryPath, Map<GuestRegister, Integer>> rows = new LinkedHashMap<>();
        Matcher m = Pattern.compile("^\\| `([a-z0-9]+)` \\| ([^|]+) \\| §[^|]+\\|$", Pattern.MULTILINE)
                .matcher(section());
        while (m.find()) {
            EntryPath path = java.util.Arrays.stream(EntryPath.values()).filter(p -> p.label().equals(m.group(1)))
                    .findFirst().orElseThrow(() -> new AssertionError("no entry path " + m.group(1)));
            Map<GuestRegister, Integer> extra = new LinkedHashMap<>();
            parseWrites(m.group(2)).forEach((name, width) -> extra.put(path.arch() == Arch.X86_64
                    ? X86Register.valueOf(name) : Arm64Register.valueOf(name), width));
            assertThat(rows.put(path, extra)).as("one row for %s", path).isNull();
        }
        return rows;
    }

    /** {@code EAX 32, ECX 64} or {@code —}. */
    private static Map<String, Integer> parseWrites(String cell) {
        Map<String, Integer> out = new LinkedHashMap<>();
        String c = cell.trim();
        if (c.equals("—")) {
            return out;
        }
        for (String part : c.split(",")) {
            String[] w = part.trim().split(" ");
            assertThat(w).as("'%s' is REGISTER WIDTH", part).hasSize(2);
            out.put(w[0], Integer.parseInt(w[1]));
        }
        return out;
    }
}
