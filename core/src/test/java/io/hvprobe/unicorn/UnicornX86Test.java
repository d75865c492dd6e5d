package io.hvprobe.unicorn;

import static io.hvprobe.unicorn.GuestCode.CODE;
import static io.hvprobe.unicorn.GuestCode.DATA;
import static io.hvprobe.unicorn.GuestCode.x86;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.hvprobe.arch.Arch;
import io.hvprobe.arch.RegisterSnapshot;
import io.hvprobe.arch.X86Register;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** Runs real x86_64 code through the binding. Encodings are from GNU as; the assembly is beside each. */
class UnicornX86Test {
    private static final int[] MOVABS_RAX = {0x48, 0xb8, 0x88, 0x77, 0x66, 0x55, 0x44, 0x33, 0x22, 0x11}; // movabs rax,0x1122334455667788
    private static final int[] ADD_RAX_RBX = {0x48, 0x01, 0xd8};             // add rax, rbx
    private static final int[] MOV_EDX_5658 = {0xba, 0x58, 0x56, 0x00, 0x00}; // mov edx, 0x5658
    private static final int[] MOV_EAX_MAGIC = {0xb8, 0x68, 0x58, 0x4d, 0x56}; // mov eax, 0x564d5868
    private static final int[] IN_EAX_DX = {0xed};                            // in eax, dx
    private static final int[] IN_AL_DX = {0xec};                             // in al, dx
    private static final int[] OUT_DX_AL = {0xee};                            // out dx, al
    private static final int[] MOV_RCX_RBX = {0x48, 0x89, 0xd9};             // mov rcx, rbx
    private static final int[] MOV_RBX_RAX = {0x48, 0x89, 0xc3};             // mov rbx, rax
    private static final int[] MOV_EAX_40000000 = {0xb8, 0x00, 0x00, 0x00, 0x40}; // mov eax, 0x40000000
    private static final int[] CPUID = {0x0f, 0xa2};                          // cpuid
    private static final int[] VMCALL = {0x0f, 0x01, 0xc1};                   // vmcall
    private static final int[] MOV_EBX_7 = {0xbb, 0x07, 0x00, 0x00, 0x00};    // mov ebx, 7
    private static final int[] LOAD_RAX_500000 = {0x48, 0x8b, 0x04, 0x25, 0x00, 0x00, 0x50, 0x00}; // mov rax, [0x500000]
    private static final int[] JMP_SELF = {0xeb, 0xfe};                       // 1: jmp 1b
    private static final int[] INC_RAX = {0x48, 0xff, 0xc0};                  // 2: inc rax
    private static final int[] JMP_BACK_3 = {0xeb, 0xfb};                     //    jmp 2b
    private static final int[] STORE_RAX_AT_RDI = {0x48, 0x89, 0x07};        // mov [rdi], rax
    private static final int[] SYSCALL = {0x0f, 0x05};                        // syscall
    private static final int[] NOP = {0x90};

    @Test
    void runsCodeAndReadsResultRegister() {
        byte[] code = x86(MOVABS_RAX, ADD_RAX_RBX);
        try (Unicorn uc = GuestCode.load(Arch.X86_64, code)) {
            uc.regWrite(UcX86Reg.RBX, 0x11);

            StopReason reason = uc.emuStart(CODE, CODE + code.length, 0, 0);

            assertThat(reason).isEqualTo(StopReason.REACHED_END);
            assertThat(uc.regRead(UcX86Reg.RAX)).isEqualTo(0x1122334455667799L);
            assertThat(uc.pc()).isEqualTo(CODE + code.length);
        }
    }

    @Test
    void registersRoundTripSingleBatchedAndAsSnapshot() {
        try (Unicorn uc = Unicorn.open(Arch.X86_64)) {
            uc.regWrite(UcX86Reg.R15, 0xDEAD_BEEF_0000_0001L);
            assertThat(uc.regRead(UcX86Reg.R15)).isEqualTo(0xDEAD_BEEF_0000_0001L);

            int[] ids = {UcX86Reg.RAX, UcX86Reg.RSI, UcX86Reg.R9, UcX86Reg.FS_BASE, UcX86Reg.GS_BASE};
            long[] written = {1, -2, 0x7FFF_FFFF_FFFF_FFFFL, 0x7000_0000_1000L, 0xFFFF_8000_0000_0000L};
            uc.regWriteBatch(ids, written);
            long[] read = new long[ids.length];
            uc.regReadBatch(ids, read);
            assertThat(read).containsExactly(written);

            RegisterSnapshot snapshot = uc.readSnapshot()
                    .with(X86Register.RDX, 0x5658).with(X86Register.RIP, CODE).with(X86Register.R8, 42);
            uc.writeSnapshot(snapshot);
            assertThat(uc.readSnapshot()).isEqualTo(snapshot);
            assertThat(uc.regRead(UcX86Reg.EDX)).as("32-bit view").isEqualTo(0x5658);
        }
    }

    @Test
    void msrWriteOfFsBaseIsVisibleAsFsBaseRegister() {
        try (Unicorn uc = Unicorn.open(Arch.X86_64)) {
            uc.msrWrite(0xC000_0100, 0x1234_5000L); // IA32_FS_BASE

            assertThat(uc.regRead(UcX86Reg.FS_BASE)).isEqualTo(0x1234_5000L);
            assertThat(uc.msrRead(0xC000_0100)).isEqualTo(0x1234_5000L);
        }
    }

    @Test
    void codeHookOnTheInSiteEmulatesTheBackdoorAndSkipsTheInstruction() {
        byte[] code = x86(MOV_EDX_5658, MOV_EAX_MAGIC, IN_EAX_DX, MOV_RCX_RBX);
        long site = CODE + 10;
        try (Unicorn uc = GuestCode.load(Arch.X86_64, code)) {
            AtomicInteger inHookCalls = new AtomicInteger();
            uc.hookIn((u, port, size) -> inHookCalls.incrementAndGet());
            List<Long> seen = new ArrayList<>();
            uc.hookCode(site, site, (u, address, size) -> {
                seen.add(address);
                u.regWriteBatch(new int[] {UcX86Reg.RAX, UcX86Reg.RBX}, new long[] {0x1234, 0x564D5868});
                u.setPc(address + 1);
            });

            uc.emuStart(CODE, CODE + code.length, 0, 0);

            assertThat(seen).containsExactly(site);
            assertThat(inHookCalls).as("the IN itself never executed").hasValue(0);
            assertThat(uc.regRead(UcX86Reg.RAX)).isEqualTo(0x1234);
            assertThat(uc.regRead(UcX86Reg.RCX)).as("code after the site ran").isEqualTo(0x564D5868);
        }
    }

    @Test
    void inHookSeesPortAndSizeAndItsResultLandsInTheAccumulator() {
        byte[] code = x86(MOV_EDX_5658, IN_EAX_DX, MOV_RBX_RAX, IN_AL_DX);
        try (Unicorn uc = GuestCode.load(Arch.X86_64, code)) {
            List<String> accesses = new ArrayList<>();
            uc.hookIn((u, port, size) -> {
                accesses.add(Integer.toHexString(port) + "/" + size);
                return size == 4 ? 0xCAFE_F00D : 0x42;
            });
            uc.regWrite(UcX86Reg.RAX, 0xFFFF_FFFF_FFFF_FF00L);

            uc.emuStart(CODE, CODE + code.length, 0, 0);

            assertThat(accesses).containsExactly("5658/4", "5658/1");
            assertThat(uc.regRead(UcX86Reg.RBX)).isEqualTo(0xCAFE_F00DL);
            assertThat(uc.regRead(UcX86Reg.RAX) & 0xFF).isEqualTo(0x42);
        }
    }

    @Test
    void outAndSyscallHooksFire() {
        byte[] code = x86(SYSCALL, OUT_DX_AL);
        try (Unicorn uc = GuestCode.load(Arch.X86_64, code)) {
            List<String> events = new ArrayList<>();
            uc.hookSyscall(u -> events.add("syscall"));
            uc.hookOut((u, port, size, value) -> events.add("out " + Integer.toHexString(port) + "/" + size + "=" + value));
            uc.regWriteBatch(new int[] {UcX86Reg.RDX, UcX86Reg.RAX}, new long[] {0x80, 0x5A});

            uc.emuStart(CODE, CODE + code.length, 0, 0);

            assertThat(events).containsExactly("syscall", "out 80/1=90");
        }
    }

    @Test
    void cpuidHookReplacesTheInstruction() {
        byte[] code = x86(MOV_EAX_40000000, CPUID, NOP);
        try (Unicorn uc = GuestCode.load(Arch.X86_64, code)) {
            List<Long> leaves = new ArrayList<>();
            uc.hookCpuid(u -> {
                leaves.add(u.regRead(UcX86Reg.RAX));
                u.regWriteBatch(new int[] {UcX86Reg.RAX, UcX86Reg.RBX, UcX86Reg.RCX, UcX86Reg.RDX},
                        new long[] {0x40000010, 0x61774d56, 0x4d566572, 0x65726177}); // "VMwareVMware"
                return true;
            });

            uc.emuStart(CODE, CODE + code.length, 0, 0);

            assertThat(leaves).containsExactly(0x40000000L);
            assertThat(uc.regRead(UcX86Reg.RBX)).isEqualTo(0x61774d56);
            assertThat(uc.regRead(UcX86Reg.RAX)).isEqualTo(0x40000010);
        }
    }

    @Test
    void vmcallRaisesInvalidInstructionAtItsAddress() {
        byte[] code = x86(VMCALL, MOV_EBX_7);
        try (Unicorn uc = GuestCode.load(Arch.X86_64, code)) {
            List<Long> sites = new ArrayList<>();
            uc.hookInvalidInstruction(u -> {
                sites.add(u.pc());
                u.setPc(u.pc() + 3);
                return true;
            });

            StopReason first = uc.emuStart(CODE, CODE + code.length, 0, 0);

            assertThat(sites).containsExactly(CODE);
            assertThat(first).as("Unicorn 2.0.1 ends the run after a handled invalid instruction")
                    .isEqualTo(StopReason.INVALID_INSTRUCTION_HANDLED);
            assertThat(uc.pc()).isEqualTo(CODE + 3);
            assertThat(uc.emuStart(uc.pc(), CODE + code.length, 0, 0)).isEqualTo(StopReason.REACHED_END);
            assertThat(uc.regRead(UcX86Reg.RBX)).isEqualTo(7);
        }
    }

    @Test
    void vmcallWithoutHandlerFailsWithTypedError() {
        byte[] code = x86(VMCALL);
        try (Unicorn uc = GuestCode.load(Arch.X86_64, code)) {
            assertThatThrownBy(() -> uc.emuStart(CODE, CODE + code.length, 0, 0))
                    .isInstanceOfSatisfying(UnicornException.class,
                            e -> assertThat(e.error()).isEqualTo(UcError.INSN_INVALID))
                    .hasMessageContaining("UC_ERR_INSN_INVALID").hasMessageStartingWith("uc_emu_start: ");
        }
    }

    @Test
    void unmappedReadIsReportedWithItsAddressAndEndsWithTypedError() {
        byte[] code = x86(LOAD_RAX_500000);
        try (Unicorn uc = GuestCode.load(Arch.X86_64, code)) {
            List<String> faults = new ArrayList<>();
            uc.hookMemoryFault(UcHookType.MEM_INVALID, (u, type, address, size, value) -> {
                faults.add(type + "@" + Long.toHexString(address) + "/" + size);
                return false;
            });

            assertThatThrownBy(() -> uc.emuStart(CODE, CODE + code.length, 0, 0))
                    .isInstanceOfSatisfying(UnicornException.class, e -> {
                        assertThat(e.error()).isEqualTo(UcError.READ_UNMAPPED);
                        assertThat(e.error().isMemoryFault()).isTrue();
                        assertThat(e.description()).isNotBlank();
                    });
            assertThat(faults).containsExactly("READ_UNMAPPED@500000/8");
        }
    }

    @Test
    void faultHookThatMapsTheMemoryLetsTheAccessComplete() {
        byte[] code = x86(LOAD_RAX_500000);
        try (Unicorn uc = GuestCode.load(Arch.X86_64, code)) {
            uc.hookMemoryFault(UcHookType.MEM_READ_UNMAPPED, (u, type, address, size, value) -> {
                u.memMap(address & ~0xFFFL, 0x1000, UcProt.READ);
                u.memWrite(address, new byte[] {0x2A});
                return true;
            });

            assertThat(uc.emuStart(CODE, CODE + code.length, 0, 0)).isEqualTo(StopReason.REACHED_END);
            assertThat(uc.regRead(UcX86Reg.RAX)).isEqualTo(0x2A);
        }
    }

    @Test
    void memoryWriteHookSeesAddressSizeAndValue() {
        byte[] code = x86(STORE_RAX_AT_RDI);
        try (Unicorn uc = GuestCode.load(Arch.X86_64, code)) {
            List<String> writes = new ArrayList<>();
            uc.hookMemoryWrite(DATA, DATA + 0xFFF, (u, type, address, size, value) ->
                    writes.add(type + "@" + Long.toHexString(address) + "/" + size + "=" + Long.toHexString(value)));
            uc.regWriteBatch(new int[] {UcX86Reg.RDI, UcX86Reg.RAX}, new long[] {DATA + 8, 0x0102030405060708L});

            uc.emuStart(CODE, CODE + code.length, 0, 0);

            assertThat(writes).containsExactly("WRITE@20008/8=102030405060708");
            assertThat(uc.memRead(DATA + 8, 2)).containsExactly(0x08, 0x07);
        }
    }

    @Test
    void interruptFromAnotherThreadStopsAnEndlessLoop() throws InterruptedException {
        byte[] code = x86(JMP_SELF);
        try (Unicorn uc = GuestCode.load(Arch.X86_64, code)) {
            // A stop that lands before emulation starts is ignored, so the watchdog asks until the loop has ended.
            java.util.concurrent.atomic.AtomicBoolean ended = new java.util.concurrent.atomic.AtomicBoolean();
            Thread watchdog = Thread.ofPlatform().daemon().start(() -> {
                while (!ended.get()) {
                    uc.interrupt();
                    try {
                        Thread.sleep(10);
                    } catch (InterruptedException e) {
                        return;
                    }
                }
            });
            StopReason reason = uc.emuStart(CODE, CODE + code.length, 0, 0);
            ended.set(true);
            watchdog.join();
            assertThat(reason).as("an interrupt is not a stop a hook requested").isEqualTo(StopReason.OTHER);
            assertThat(uc.pc()).isEqualTo(CODE);
        }
    }

    @Test
    void instructionCountLimitStopsAfterExactlyThatManyInstructions() {
        byte[] code = x86(INC_RAX, JMP_BACK_3);
        try (Unicorn uc = GuestCode.load(Arch.X86_64, code)) {
            assertThat(uc.emuStart(CODE, CODE + code.length, 0, 10)).isEqualTo(StopReason.COUNT_EXHAUSTED);
            assertThat(uc.regRead(UcX86Reg.RAX)).as("5 x (inc, jmp)").isEqualTo(5);
        }
    }

    @Test
    void hltIsNotMistakenForTheCountLimit() {
        byte[] code = x86(NOP, new int[] {0xf4}, NOP); // nop; hlt; nop
        try (Unicorn uc = GuestCode.load(Arch.X86_64, code)) {
            assertThat(uc.emuStart(CODE, CODE + code.length, 0, 100)).isEqualTo(StopReason.OTHER);
            assertThat(uc.pc()).as("after the hlt").isEqualTo(CODE + 2);
        }
    }

    @Test
    void emuStopFromAHookIsReportedAsStopRequested() {
        byte[] code = x86(INC_RAX, JMP_BACK_3);
        try (Unicorn uc = GuestCode.load(Arch.X86_64, code)) {
            uc.hookCode(CODE, CODE, (u, address, size) -> {
                if (u.regRead(UcX86Reg.RAX) == 3) {
                    u.emuStop();
                }
            });
            assertThat(uc.emuStart(CODE, CODE + code.length, 0, 0)).isEqualTo(StopReason.STOP_REQUESTED);
            assertThat(uc.regRead(UcX86Reg.RAX)).isEqualTo(3);
        }
    }

    @Test
    void deletedHookNoLongerFires() {
        byte[] code = x86(NOP, NOP);
        try (Unicorn uc = GuestCode.load(Arch.X86_64, code)) {
            AtomicInteger calls = new AtomicInteger();
            Hook hook = uc.hookCode(1, 0, (u, address, size) -> calls.incrementAndGet());
            uc.emuStart(CODE, CODE + code.length, 0, 0);
            assertThat(calls).hasValue(2);

            uc.hookDelete(hook);
            uc.emuStart(CODE, CODE + code.length, 0, 0);

            assertThat(calls).hasValue(2);
            assertThatThrownBy(() -> uc.hookDelete(hook)).isInstanceOf(IllegalStateException.class);
        }
    }

    @Test
    void hookCanDeleteItselfWhileEmulationRuns() {
        byte[] code = x86(NOP, NOP, NOP);
        try (Unicorn uc = GuestCode.load(Arch.X86_64, code)) {
            List<Long> seen = new ArrayList<>();
            Hook[] self = new Hook[1];
            self[0] = uc.hookCode(1, 0, (u, address, size) -> {
                seen.add(address);
                u.hookDelete(self[0]);
            });

            assertThat(uc.emuStart(CODE, CODE + code.length, 0, 0)).isEqualTo(StopReason.REACHED_END);

            assertThat(seen).containsExactly(CODE);
        }
    }
}
