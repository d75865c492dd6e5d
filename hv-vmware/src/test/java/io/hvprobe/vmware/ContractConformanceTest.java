package io.hvprobe.vmware;

import io.hvprobe.arch.GuestRegister;
import io.hvprobe.arch.X86Register;
import io.hvprobe.spi.CommandDescriptor;
import io.hvprobe.spi.RegisterContract;
import io.hvprobe.spi.RegisterWrite;
import io.hvprobe.spi.TrapDetail;
import io.hvprobe.spi.TrapForm;
import io.hvprobe.vmware.abi.Backdoor;
import io.hvprobe.vmware.mouse.AbsPointerCommands;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The register-contract table against what the handlers really do: every command, sub-command and variant
 * is run over every entry path it has, and
 * <ul>
 *   <li>no call changes a register outside its contract's WRITTEN set (so nothing outside written ∪ may-change);</li>
 *   <li>over all runs of a contract, the registers the model wrote are exactly the contract's WRITTEN set
 *       (the table does not declare outputs no handler produces);</li>
 *   <li>the contract a call reports is the one {@code catalog()} prints for that command and path, and every
 *       contract in the catalogue was reached.</li>
 * </ul>
 */
class ContractConformanceTest {

    private static final long STEAL_AREA = 0x10040;
    private static final long BATCH_PAGE = 0x11000;

    /** What the runs of one profile showed, by contract name. */
    private static final class Observed {
        final Map<String, RegisterContract> contracts = new TreeMap<>();
        final Map<String, Set<GuestRegister>> written = new TreeMap<>();

        void add(GuestCpu cpu) {
            for (GuestCpu.Applied a : cpu.history) {
                RegisterContract c = a.outcome().contract().orElseThrow();
                if (c.command().endsWith("(unclaimed port)")) {
                    continue;
                }
                assertThat(c.written()).as("%s changed only registers it declares written", c.command())
                        .containsAll(a.changed());
                RegisterContract before = contracts.putIfAbsent(c.command(), c);
                assertThat(before == null ? c : before).as("one contract per name: %s", c.command()).isEqualTo(c);
                Set<GuestRegister> w = written.computeIfAbsent(c.command(), k -> new LinkedHashSet<>());
                for (RegisterWrite write : a.outcome().registerWrites()) {
                    w.add(write.register());
                }
            }
            cpu.history.clear();
        }
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"vmware", "vmware architectural HB", "qemu-vmport"})
    void everyContractIsWhatItsHandlersWrite(String profile) {
        Map<String, String> settings = profile.contains("architectural") ? Map.of("hb-semantics", "architectural")
                : Map.of();
        java.util.function.Supplier<VmwareSession> open = profile.equals("qemu-vmport") ? Sessions::qemu
                : () -> Sessions.vmware(settings);
        Observed seen = new Observed();
        for (Transport t : Transport.allLb(open)) {
            exercise(t);
            seen.add(t.cpu);
        }

        List<CommandDescriptor> catalog = open.get().catalog();
        List<String> unreached = new ArrayList<>();
        Set<String> catalogued = new LinkedHashSet<>();
        for (CommandDescriptor d : catalog) {
            for (RegisterContract c : d.contracts()) {
                catalogued.add(c.command());
                RegisterContract runtime = seen.contracts.get(c.command());
                if (runtime == null) {
                    unreached.add(c.command());
                    continue;
                }
                assertThat(runtime).as("catalogue entry %s is the contract calls report", c.command()).isEqualTo(c);
                assertThat(seen.written.get(c.command())).as("registers %s actually writes", c.command())
                        .containsExactlyInAnyOrderElementsOf(c.written());
            }
        }
        assertThat(unreached).as("catalogue contracts no call reached").isEmpty();
        assertThat(catalogued).as("contracts calls report are all in the catalogue")
                .containsAll(seen.contracts.keySet());
    }

    /** Runs everything the transport's path can carry on its own fresh session. */
    private static void exercise(Transport t) {
        VmwareSession s = t.cpu.session;
        boolean qemu = s.configuration().name().equals("qemu-vmport");
        boolean tdx = t.toString().equals("tdcall");
        t.cpu.poison();
        s.gui().addDevice("cdrom0", true);

        // Every command number with EBX = 0, then the sub-commands of the commands that have them.
        for (int n = 0; n <= 110; n++) {
            t.call(n, 0);
        }
        if (!tdx) {
            t.call(0x1234, 0);
        }
        for (int n : new int[]{63, 85, 97}) {
            for (int op = 0; op <= 4; op++) {
                t.call((long) op << 16 | n, 0);
            }
        }
        t.call(11, 0);                                               // device 0, offset 0: a record word
        t.arg(0, Backdoor.MAGIC).arg(1, 0).arg(2, 91).arg(3, 0).arg(4, 0).arg(5, STEAL_AREA);
        t.lb();                                                      // STEALCLOCK enable
        if (!t.toString().endsWith("mcall")) {                     // without the magic VMCALL/VMMCALL are not VMware's
            t.arg(0, 0x1234_5678L).arg(2, 10).arg(3, 0);
            t.lb();                                                  // bad magic
        }

        // vmmouse: enable, read the id, then packets of every length, then an over-long request.
        t.call(41, AbsPointerCommands.ENABLE);
        t.call(40, 0);
        t.call(39, 1);
        for (int i = 0; i < 5; i++) {
            s.mouse().queueAbsolute(0x20, 100 + i, 200 + i, 0);
        }
        for (int words : new int[]{4, 5, 6, 2, 3}) {
            t.call(39, words);
        }
        t.call(39, 7);
        t.call(86, 0);

        if (!qemu) {
            guestRpc(t, tdx);
        }
        if (t.toString().equals("port") && !qemu) {
            balloon(t);
        }
        if (t.cpu.arch == io.hvprobe.arch.Arch.X86_64 && !tdx) {
            t.cpu.set(X86Register.RAX, 0x4000_0000L);
            t.cpu.trap(TrapForm.CPUID, new TrapDetail.Cpuid(0x4000_0000L, 0));
            t.cpu.set(X86Register.RCX, 0x10000);
            t.cpu.trap(TrapForm.RDPMC, new TrapDetail.PmcRead(0x10000));
        }
    }

    private static void guestRpc(Transport t, boolean tdx) {
        for (boolean cookies : new boolean[]{true, false}) {
            RpcClient rpc = new RpcClient(t);
            rpc.open(RpcClient.RPCI, cookies);
            rpc.call("info-set guestinfo.k v", false);
            rpc.call("info-get guestinfo.k", false);
            if (!tdx) {
                rpc.call("info-get guestinfo.k", true);
            }
            rpc.lb(7, 0);                                            // no such MESSAGE operation
            rpc.close();
        }
        if (!tdx) {
            t.arg(0, Backdoor.MAGIC).arg(1, 2).arg(2, 0).arg(3, 0);  // HB command 2 does not exist
            t.hbIn();
        }
    }

    private static void balloon(Transport t) {
        GuestCpu cpu = t.cpu;
        VmwareSession s = cpu.session;
        s.balloon().setTarget(4096);
        cpu.memory.putU64(BATCH_PAGE, 0x5000);
        cpu.memory.putU64(BATCH_PAGE + 8, 0x40_0000);
        for (long caps : new long[]{0x1E, 0x3E}) {                   // without, then with the 64-bit target
            balloonCall(cpu, 0, caps, 0);
            balloonCall(cpu, 1, 0x10_0000, 0);
            balloonCall(cpu, 2, 7, 1);
            balloonCall(cpu, 3, 7, 1);
            balloonCall(cpu, 4, 1, 0);
            balloonCall(cpu, 6, BATCH_PAGE >>> 12, 1);
            balloonCall(cpu, 7, BATCH_PAGE >>> 12, 1);
            cpu.memory.putU64(BATCH_PAGE, 0x40_0000);
            balloonCall(cpu, 8, BATCH_PAGE >>> 12, 1);
            balloonCall(cpu, 9, BATCH_PAGE >>> 12, 1);
            cpu.memory.putU64(BATCH_PAGE, 0x5000);
            balloonCall(cpu, 10, 1, 2);
            balloonCall(cpu, 11, 0, 0);
        }
    }

    private static void balloonCall(GuestCpu cpu, long cmd, long rbx, long rsi) {
        cpu.set(X86Register.RAX, Backdoor.BALLOON_MAGIC).set(X86Register.RCX, cmd).set(X86Register.RDX, 0x5670)
                .set(X86Register.RBX, rbx).set(X86Register.RSI, rsi);
        cpu.in();
    }
}
