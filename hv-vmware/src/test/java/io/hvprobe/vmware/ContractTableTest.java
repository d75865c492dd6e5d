package io.hvprobe.vmware;

import io.hvprobe.arch.Arm64Register;
import io.hvprobe.arch.X86Register;
import io.hvprobe.spi.CommandDescriptor;
import io.hvprobe.spi.HypervisorOptions;
import io.hvprobe.spi.RegisterContract;
import io.hvprobe.spi.RegisterWrite;
import io.hvprobe.vmware.contract.ArgContract;
import io.hvprobe.vmware.contract.ContractMapper;
import io.hvprobe.vmware.contract.ContractTable;
import io.hvprobe.vmware.entry.Direction;
import io.hvprobe.vmware.entry.EntryPath;
import io.hvprobe.vmware.profile.ProfileBuilder;
import io.hvprobe.vmware.profile.VmwareProfile;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The contract data, its mapping to registers per path, and the catalogue built from it. */
class ContractTableTest {
    private final VmwareProfile vmware = ProfileBuilder.builtIn("vmware").build();

    @Test
    void everyLowBandwidthContractReadsMagicAndCommand() {
        for (ArgContract c : ContractTable.all().values()) {
            // A wrong magic stops VMware before it reads the command.
            if (c.bandwidth() == ArgContract.Kind.LB && !c.key().equals("BAD_MAGIC")) {
                assertThat(c.args().get(0).inputMask()).as(c.key()).isEqualTo(0xFFFF_FFFFL);
                assertThat(c.args().get(2).inputMask() & 0xFFFF).as(c.key()).isEqualTo(0xFFFF);
            }
        }
    }

    @Test
    void getVersionOnTdxMapsToR12R13AndDeclaresTheStatusRegisters() {
        RegisterContract c = ContractMapper.map(ContractTable.get("GETVERSION"), EntryPath.TDCALL, Direction.IN, vmware, false);
        assertThat(c.written()).containsExactlyInAnyOrder(X86Register.R12, X86Register.RBX, X86Register.R13,
                X86Register.RAX, X86Register.R10);
        assertThat(c.inputs()).contains(X86Register.R10, X86Register.R11, X86Register.RDX, X86Register.RCX);
        assertThat(c.role(X86Register.R10).writeWidth()).isEqualTo(64);
    }

    @Test
    void arm64ContractsReadX7AndPreserveIt() {
        RegisterContract c = ContractMapper.map(ContractTable.get("MESSAGE.RECVSIZE"), EntryPath.ARM64_MRS,
                Direction.IN, vmware, false);
        assertThat(c.role(Arm64Register.X7).isInput()).isTrue();
        assertThat(c.clobbered()).containsExactlyInAnyOrder(Arm64Register.X0, Arm64Register.X1, Arm64Register.X2,
                Arm64Register.X3, Arm64Register.NZCV);
    }

    @Test
    void hbContractsKeepTheStringRegistersUnderVmwareSemantics() {
        RegisterContract c = ContractMapper.map(ContractTable.get("MESSAGE.HB_OUT"), EntryPath.IO_PORT,
                Direction.OUT, vmware, false);
        assertThat(c.written()).containsExactlyInAnyOrder(X86Register.RAX, X86Register.RBX);
        assertThat(c.role(X86Register.RSI).inputMask()).isEqualTo(-1L);
        assertThat(c.role(X86Register.RBP).isInput()).isTrue();
    }

    @Test
    void openVmToolsPolicyMarksTheOtherLbRegistersMayChange() {
        VmwareProfile p = ProfileBuilder.builtIn("vmware").set("may-change", "open-vm-tools").build();
        RegisterContract c = ContractMapper.map(ContractTable.get("GETVERSION"), EntryPath.IO_PORT, Direction.IN, p, false);
        assertThat(c.mayChange()).containsExactlyInAnyOrder(X86Register.RDX, X86Register.RSI, X86Register.RDI,
                X86Register.RFLAGS);
        assertThat(c.clobbered()).doesNotContain(X86Register.RBP, X86Register.R8);
    }

    @Test
    void writesOutsideTheContractAreAModelBug() {
        RegisterContract c = ContractMapper.map(ContractTable.get("GETMHZ"), EntryPath.IO_PORT, Direction.IN, vmware, false);
        assertThatThrownBy(() -> OutcomeAssembler.checkAgainstContract("GETMHZ",
                List.of(RegisterWrite.w32(X86Register.RBX, 1)), c))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("rbx");
    }

    @Test
    void unknownKeyIsRefused() {
        assertThatThrownBy(() -> ContractTable.get("NOPE")).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void catalogListsCommandsWithAContractPerPath() {
        List<CommandDescriptor> catalog = new VmwareHypervisor().catalog(HypervisorOptions.defaults());
        CommandDescriptor version = catalog.stream().filter(d -> d.name().equals("GETVERSION")).findFirst().orElseThrow();
        assertThat(version.number()).isEqualTo(10);
        assertThat(version.contracts()).extracting(RegisterContract::command).containsExactly("GETVERSION (port)",
                "GETVERSION (vmcall)", "GETVERSION (vmmcall)", "GETVERSION (tdcall)", "GETVERSION (mrs)",
                "GETVERSION (hvc)", "GETVERSION (brk)");
        assertThat(catalog).extracting(CommandDescriptor::name).contains("MESSAGE.OPEN", "MESSAGE.HB_IN",
                "BALLOON.START", "ABSPOINTER_DATA.4", "STEALCLOCK", "PRECISIONCLOCK.ADJFREQ", "CPUID", "RDPMC");
        CommandDescriptor hbIn = catalog.stream().filter(d -> d.name().equals("MESSAGE.HB_IN")).findFirst().orElseThrow();
        assertThat(hbIn.contracts()).extracting(RegisterContract::command).doesNotContain("MESSAGE.HB_IN (tdcall HB)");
    }

    @Test
    void qemuCatalogHasQemuContractsAndNoMessage() {
        List<CommandDescriptor> catalog = new VmwareHypervisor().catalog(HypervisorOptions.profile("qemu-vmport"));
        assertThat(catalog).extracting(CommandDescriptor::name).contains("ABSPOINTER_DATA.qemu", "GETMEMSIZE.qemu")
                .doesNotContain("MESSAGE.OPEN", "BALLOON.START", "ABSPOINTER_DATA.4");
        CommandDescriptor data = catalog.stream().filter(d -> d.name().equals("ABSPOINTER_DATA.qemu")).findFirst()
                .orElseThrow();
        assertThat(data.contracts().getFirst().written()).contains(X86Register.RSI, X86Register.RDI);
    }

    @Test
    void unclaimedPortContractWritesAtMostTheReadRegister() {
        RegisterContract c = ContractMapper.unclaimed("IN port 0x5658 (8-bit)", io.hvprobe.arch.Arch.X86_64,
                Optional.of(new RegisterWrite(X86Register.RAX, 8, 0xFF)));
        assertThat(c.written()).containsExactly(X86Register.RAX);
        assertThat(c.role(X86Register.RAX).writeWidth()).isEqualTo(8);
    }

    @Test
    void fixedAnswersAppearInTheCatalog() {
        List<CommandDescriptor> catalog = new VmwareHypervisor().catalog(new HypervisorOptions(Optional.empty(),
                Optional.empty(), Map.of("fixed-answer.89", "eax=1")));
        assertThat(catalog).extracting(CommandDescriptor::name).contains("FIXED.89");
    }
}
