package io.hvprobe.unicorn;

import static io.hvprobe.unicorn.GuestCode.CODE;
import static io.hvprobe.unicorn.GuestCode.DATA;
import static io.hvprobe.unicorn.GuestCode.arm64;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.hvprobe.arch.Arch;
import io.hvprobe.arch.Arm64Register;
import io.hvprobe.arch.RegisterSnapshot;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Runs real AArch64 code through the binding. Encodings are from GNU as; the assembly is beside each. */
class UnicornArm64Test {
    private static final int MOV_X0_1234 = 0xd2824680;       // mov x0, #0x1234
    private static final int ADD_X1_X0_1 = 0x91000401;       // add x1, x0, #1
    private static final int MOV_X2_1000 = 0xd2820002;       // mov x2, #0x1000
    private static final int MRS_XZR_MDCCSR = 0xd533011f;    // mrs xzr, mdccsr_el0 (VMware arm64 backdoor trap)
    private static final int ADD_X3_X0_X1 = 0x8b010003;      // add x3, x0, x1
    private static final int CMP_X0_X0 = 0xeb00001f;         // cmp x0, x0
    private static final int UDF_0 = 0x00000000;             // udf #0
    private static final int MOV_X5_7 = 0xd28000e5;          // mov x5, #7
    private static final int STR_X0_AT_X2 = 0xf9000040;      // str x0, [x2]
    private static final int LDR_X4_AT_X9 = 0xf9400124;      // ldr x4, [x9]

    @Test
    void runsCodeAndSetsNzcv() {
        byte[] code = arm64(MOV_X0_1234, ADD_X1_X0_1, CMP_X0_X0);
        try (Unicorn uc = GuestCode.load(Arch.ARM64, code)) {
            assertThat(uc.emuStart(CODE, CODE + code.length, 0, 0)).isEqualTo(StopReason.REACHED_END);

            RegisterSnapshot regs = uc.readSnapshot();
            assertThat(regs.get(Arm64Register.X1)).isEqualTo(0x1235);
            assertThat(regs.get(Arm64Register.PC)).isEqualTo(CODE + code.length);
            assertThat(regs.get(Arm64Register.NZCV)).as("Z and C after comparing equal values").isEqualTo(0x6000_0000L);
            assertThat(uc.regRead(UcArm64Reg.PSTATE) & 0xF000_0000L).isEqualTo(0x6000_0000L);
        }
    }

    /**
     * A batch read skips reloading the native id array when the ids are the same as the last read's (the tracer's
     * per-instruction read): a 32-bit register must still read without the upper bytes a batch write left in its
     * slot, and changed ids in the same Java array must be read, not the old ones.
     */
    @Test
    void batchReadsAfterWritesAndWithChangedIdsInTheSameArray() {
        try (Unicorn uc = Unicorn.open(Arch.ARM64)) {
            int[] ids = {UcArm64Reg.X0, UcArm64Reg.NZCV};
            long[] read = new long[2];
            uc.regReadBatch(ids, read);
            uc.regWriteBatch(new int[] {UcArm64Reg.X1, UcArm64Reg.X2}, new long[] {0x11, 0xFFFF_FFFF_0000_0000L});
            uc.regWriteBatch(new int[] {UcArm64Reg.X0}, new long[] {0x5});
            uc.regWrite(UcArm64Reg.NZCV, 0x6000_0000L);

            uc.regReadBatch(ids, read);
            assertThat(read).as("X0, then NZCV without the X2 value's upper bytes").containsExactly(0x5, 0x6000_0000L);
            uc.regReadBatch(ids, read);
            assertThat(read).containsExactly(0x5, 0x6000_0000L);

            ids[0] = UcArm64Reg.X1;
            uc.regReadBatch(ids, read);
            assertThat(read).containsExactly(0x11, 0x6000_0000L);
        }
    }

    @Test
    void registersRoundTripIncludingSystemRegisters() {
        try (Unicorn uc = Unicorn.open(Arch.ARM64)) {
            int[] ids = {UcArm64Reg.X29, UcArm64Reg.X30, UcArm64Reg.SP, UcArm64Reg.TPIDR_EL0, UcArm64Reg.TPIDR_EL1,
                    UcArm64Reg.VBAR_EL1, UcArm64Reg.SP_EL0};
            long[] written = {0x29, 0x30, 0x7FFF_0000L, 0x1111_0000L, 0x2222_0000L, 0x8_0000L, 0x3333_0000L};
            uc.regWriteBatch(ids, written);
            long[] read = new long[ids.length];
            uc.regReadBatch(ids, read);
            assertThat(read).containsExactly(written);

            uc.regWrite(UcArm64Reg.NZCV, 0x9000_0000L);
            assertThat(uc.readSnapshot().get(Arm64Register.NZCV)).isEqualTo(0x9000_0000L);

            RegisterSnapshot snapshot = uc.readSnapshot().with(Arm64Register.X7, 7).with(Arm64Register.X30, -1L)
                    .with(Arm64Register.PC, CODE).with(Arm64Register.NZCV, 0x4000_0000L);
            uc.writeSnapshot(snapshot);
            assertThat(uc.readSnapshot()).isEqualTo(snapshot);
            assertThat(uc.regRead(UcArm64Reg.LR)).isEqualTo(-1L);
        }
    }

    @Test
    void codeHookOnTheMrsSiteEmulatesTheTrapAndSkipsIt() {
        byte[] code = arm64(MOV_X0_1234, ADD_X1_X0_1, MOV_X2_1000, MRS_XZR_MDCCSR, ADD_X3_X0_X1);
        long site = CODE + 12;
        try (Unicorn uc = GuestCode.load(Arch.ARM64, code)) {
            List<Integer> interrupts = new ArrayList<>();
            uc.hookInterrupt((u, intno) -> interrupts.add(intno));
            uc.hookCode(site, site, (u, address, size) -> {
                u.regWriteBatch(new int[] {UcArm64Reg.X0, UcArm64Reg.X1}, new long[] {0x100, 0x23});
                u.setPc(address + 4);
            });

            assertThat(uc.emuStart(CODE, CODE + code.length, 0, 0)).isEqualTo(StopReason.REACHED_END);

            assertThat(interrupts).as("the MRS never executed").isEmpty();
            assertThat(uc.regRead(UcArm64Reg.X3)).isEqualTo(0x123);
        }
    }

    @Test
    void undefinedInstructionReachesTheInterruptHookAsUndef() {
        byte[] code = arm64(UDF_0, MOV_X5_7);
        try (Unicorn uc = GuestCode.load(Arch.ARM64, code)) {
            List<String> interrupts = new ArrayList<>();
            uc.hookInterrupt((u, intno) -> {
                interrupts.add(intno + "@" + Long.toHexString(u.pc()));
                u.setPc(u.pc() + 4);
            });

            assertThat(uc.emuStart(CODE, CODE + code.length, 0, 0)).isEqualTo(StopReason.REACHED_END);

            assertThat(interrupts).containsExactly("1@" + Long.toHexString(CODE));
            assertThat(uc.regRead(UcArm64Reg.X5)).as("execution continued after the UDF").isEqualTo(7);
        }
    }

    @Test
    void mrsOfTheDebugRegisterIsUndefWithoutACodeHook() {
        byte[] code = arm64(MRS_XZR_MDCCSR);
        try (Unicorn uc = GuestCode.load(Arch.ARM64, code)) {
            List<Integer> interrupts = new ArrayList<>();
            uc.hookInterrupt((u, intno) -> {
                interrupts.add(intno);
                u.emuStop();
            });

            assertThat(uc.emuStart(CODE, CODE + code.length, 0, 0)).isEqualTo(StopReason.STOP_REQUESTED);
            assertThat(interrupts).containsExactly(1);
        }
    }

    @Test
    void unmappedLoadIsReportedWithItsAddress() {
        byte[] code = arm64(LDR_X4_AT_X9);
        try (Unicorn uc = GuestCode.load(Arch.ARM64, code)) {
            List<String> faults = new ArrayList<>();
            uc.hookMemoryFault(UcHookType.MEM_UNMAPPED, (u, type, address, size, value) ->
                    faults.add(type + "@" + Long.toHexString(address)) && false);
            uc.regWrite(UcArm64Reg.X9, 0xDEAD_0000L);

            assertThatThrownBy(() -> uc.emuStart(CODE, CODE + code.length, 0, 0))
                    .isInstanceOfSatisfying(UnicornException.class,
                            e -> assertThat(e.error()).isEqualTo(UcError.READ_UNMAPPED));
            assertThat(faults).containsExactly("READ_UNMAPPED@dead0000");
        }
    }

    @Test
    void writeToReadOnlyPageIsAWriteProtectionFault() {
        byte[] code = arm64(MOV_X2_1000, STR_X0_AT_X2);
        try (Unicorn uc = GuestCode.load(Arch.ARM64, code)) {
            uc.memMap(0x1000, 0x1000, UcProt.READ);
            List<UcMemType> faults = new ArrayList<>();
            uc.hookMemoryFault(UcHookType.MEM_PROT, (u, type, address, size, value) -> faults.add(type) && false);

            assertThatThrownBy(() -> uc.emuStart(CODE, CODE + code.length, 0, 0))
                    .isInstanceOfSatisfying(UnicornException.class,
                            e -> assertThat(e.error()).isEqualTo(UcError.WRITE_PROT));
            assertThat(faults).containsExactly(UcMemType.WRITE_PROT);
            assertThat(uc.memRead(DATA, 1)).as("data page untouched").containsExactly(0);
        }
    }
}
