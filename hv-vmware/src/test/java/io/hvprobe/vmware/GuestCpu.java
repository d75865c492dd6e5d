package io.hvprobe.vmware;

import io.hvprobe.arch.Arch;
import io.hvprobe.arch.Arm64Register;
import io.hvprobe.arch.GuestRegister;
import io.hvprobe.arch.RegisterSnapshot;
import io.hvprobe.arch.X86Register;
import io.hvprobe.spi.MemoryWrite;
import io.hvprobe.spi.RegisterContract;
import io.hvprobe.spi.RegisterWrite;
import io.hvprobe.spi.TrapDetail;
import io.hvprobe.spi.TrapEvent;
import io.hvprobe.spi.TrapForm;
import io.hvprobe.spi.TrapOutcome;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A register file plus memory that issues synthetic traps to a session and applies its answers
 * the way the trap interception would (memory writes, then register writes). Every handled
 * answer is checked against its own contract: writes only to WRITTEN registers.
 */
final class GuestCpu {
    final Arch arch;
    final VmwareSession session;
    final FakeMemory memory;
    private long[] regs;
    private long sequence;
    RegisterSnapshot before;
    TrapOutcome.Handled last;
    /** Every handled trap with the registers it changed, in order. */
    final java.util.List<Applied> history = new java.util.ArrayList<>();

    /** One handled trap and the registers whose value it changed. */
    record Applied(TrapOutcome.Handled outcome, java.util.Set<GuestRegister> changed) {
    }

    private GuestCpu(Arch arch, VmwareSession session, FakeMemory memory) {
        this.arch = arch;
        this.session = session;
        this.memory = memory;
        this.regs = new long[arch.registers().size()];
    }

    static GuestCpu x86(VmwareSession s) {
        return new GuestCpu(Arch.X86_64, s, new FakeMemory(0x10000, 0x20000));
    }

    static GuestCpu arm64(VmwareSession s) {
        return new GuestCpu(Arch.ARM64, s, new FakeMemory(0x10000, 0x20000));
    }

    GuestCpu set(GuestRegister r, long v) {
        regs[r.index()] = v;
        return this;
    }

    long get(GuestRegister r) {
        return regs[r.index()];
    }

    long get32(GuestRegister r) {
        return regs[r.index()] & 0xFFFF_FFFFL;
    }

    /** Sets every general register to a distinct 64-bit pattern so untouched registers are visible. */
    GuestCpu poison() {
        for (GuestRegister r : arch.registers()) {
            regs[r.index()] = 0x5A5A_0000_0000_0000L | ((long) r.index() << 40) | 0x1111L * (r.index() + 1);
        }
        return this;
    }

    RegisterSnapshot snapshot() {
        return RegisterSnapshot.of(arch, regs);
    }

    TrapOutcome raw(TrapForm form, TrapDetail detail) {
        TrapEvent e = new TrapEvent(sequence++, form, 0x401000, new byte[]{(byte) 0xED}, form.name().toLowerCase(),
                "test+0x0", snapshot(), detail);
        return session.handle(e, memory);
    }

    /** Traps and applies the outcome; fails if the trap was not claimed. */
    TrapOutcome.Handled trap(TrapForm form, TrapDetail detail) {
        before = snapshot();
        TrapOutcome o = raw(form, detail);
        assertThat(o).as("trap %s claimed", form).isInstanceOf(TrapOutcome.Handled.class);
        TrapOutcome.Handled h = (TrapOutcome.Handled) o;
        assertThat(h.contract()).as("contract of %s", h.command()).isPresent();
        RegisterContract c = h.contract().get();
        for (RegisterWrite w : h.registerWrites()) {
            assertThat(c.written()).as("%s writes %s", h.command(), w.register()).contains(w.register());
        }
        for (MemoryWrite w : h.memoryWrites()) {
            memory.apply(w);
        }
        for (RegisterWrite w : h.registerWrites()) {
            regs[w.register().index()] = w.applyTo(regs[w.register().index()]);
        }
        last = h;
        history.add(new Applied(h, changed()));
        return h;
    }

    /** Registers whose value changed in the last trap. */
    java.util.Set<GuestRegister> changed() {
        return before.changesTo(snapshot()).keySet();
    }

    // ---- x86 forms ---------------------------------------------------------------------------------

    TrapOutcome.Handled in() {
        return trap(TrapForm.IN, io(4, TrapDetail.IoDirection.IN, false));
    }

    TrapOutcome.Handled out() {
        return trap(TrapForm.OUT, io(4, TrapDetail.IoDirection.OUT, false));
    }

    TrapOutcome.Handled repInsb() {
        return trap(TrapForm.INS, io(1, TrapDetail.IoDirection.IN, true));
    }

    TrapOutcome.Handled repOutsb() {
        return trap(TrapForm.OUTS, io(1, TrapDetail.IoDirection.OUT, true));
    }

    TrapDetail.Io io(int size, TrapDetail.IoDirection dir, boolean string) {
        return new TrapDetail.Io((int) (get(X86Register.RDX) & 0xFFFF), size, dir, false, string, string,
                string ? get(X86Register.RCX) : 1, false, 64);
    }

    TrapOutcome.Handled vmcall() {
        return trap(TrapForm.VMCALL, new TrapDetail.Hypercall());
    }

    TrapOutcome.Handled vmmcall() {
        return trap(TrapForm.VMMCALL, new TrapDetail.Hypercall());
    }

    TrapOutcome.Handled tdcall() {
        return trap(TrapForm.TDCALL, new TrapDetail.Hypercall());
    }

    // ---- arm64 forms -------------------------------------------------------------------------------

    static final TrapDetail.SystemRegister MDCCSR = new TrapDetail.SystemRegister(2, 3, 0, 1, 0, true, 31, "mdccsr_el0");

    TrapOutcome.Handled mrs() {
        return trap(TrapForm.MRS, MDCCSR);
    }

    TrapOutcome.Handled hvc() {
        return trap(TrapForm.HVC, new TrapDetail.ExceptionCall(0x86));
    }

    TrapOutcome.Handled brk() {
        return trap(TrapForm.BRK, new TrapDetail.ExceptionCall(0x86));
    }

    static final GuestRegister RAX = X86Register.RAX;
    static final GuestRegister X7 = Arm64Register.X7;
}
