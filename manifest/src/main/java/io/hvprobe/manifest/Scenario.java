package io.hvprobe.manifest;

import io.hvprobe.guest.GuestCall;
import io.hvprobe.spi.HypervisorOptions;

import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * One manifest entry resolved for one matrix object and one profile: the call to make, how to configure the
 * model, and what must be seen. Cell rules ({@code not-manifest}, {@code cell-findings},
 * {@code cells-return-unaffected}) are already applied.
 *
 * @param object         the matrix object
 * @param entry          the manifest entry
 * @param profile        the manifest's profile name ({@code vmware}, {@code qemu-vmport}, {@code vmware-port-only})
 * @param hypervisor     the plugin configuration for that profile and the entry's setup
 * @param cpuid          CPUID leaves the call must execute, in order (empty: not checked)
 * @param hypercalls     the backdoor calls in order (empty: not checked)
 * @param expectedReturn what the call returns in this cell
 * @param intendedReturn what correct code would return (differs from {@code expectedReturn} where a seeded bug
 *                       changes the result); a run that does not return it makes unconfirmed findings real
 * @param buffersAfter   buffer contents after the call, by argument name
 * @param findings       the errors/warnings that must be found, and no others
 * @param bugShows       for seeded bugs: whether the bug manifests in this cell (false for correct samples)
 * @param cellReason     why the cell rules changed the expectations, or {@code ""}
 */
public record Scenario(MatrixObject object, FunctionEntry entry, String profile, HypervisorOptions hypervisor,
                       Optional<List<Long>> cpuid, Optional<List<HypercallExpectation>> hypercalls,
                       ReturnExpectation expectedReturn, ReturnExpectation intendedReturn,
                       Map<String, BufferExpectation> buffersAfter, List<FindingExpectation> findings,
                       boolean bugShows, String cellReason) {
    public Scenario {
        buffersAfter = Map.copyOf(buffersAfter);
        findings = List.copyOf(findings);
    }

    /** The guest call: the entry's function with its arguments. */
    public GuestCall call() {
        return new GuestCall(entry.name(), entry.args().stream().map(ArgumentSpec::toArgument).toList());
    }

    /** Position of argument {@code name}, or -1. */
    public int argumentIndex(String name) {
        for (int i = 0; i < entry.args().size(); i++) {
            if (entry.args().get(i).name().equals(name)) {
                return i;
            }
        }
        return -1;
    }

    /** {@code x86_64/gcc/O2/rpc-port.o:rpc_call@vmware}. */
    public String id() {
        return object.cell() + "/" + object.unit() + "-" + object.variant() + ".o:" + entry.name() + "@" + profile;
    }

    /** With another expected (and intended) return value: for checking that a stale expectation is reported. */
    public Scenario withExpectedReturn(ReturnExpectation r) {
        return new Scenario(object, entry, profile, hypervisor, cpuid, hypercalls, r, r, buffersAfter, findings,
                bugShows, cellReason);
    }

    /** With other expected findings. */
    public Scenario withFindings(List<FindingExpectation> f) {
        return new Scenario(object, entry, profile, hypervisor, cpuid, hypercalls, expectedReturn, intendedReturn,
                buffersAfter, f, bugShows, cellReason);
    }

    @Override
    public String toString() {
        return id();
    }
}
