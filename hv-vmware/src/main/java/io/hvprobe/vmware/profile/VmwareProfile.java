package io.hvprobe.vmware.profile;

import io.hvprobe.spi.Severity;

import java.time.Instant;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;

/**
 * The complete, immutable configuration of one VMware model session. Build one with
 * {@link ProfileBuilder} or load one with {@link ProfileLoader}; every key is documented in
 * {@code docs/vmware-model.md}.
 *
 * @param name         profile name, e.g. {@code vmware}
 * @param flavor       whose behaviour is reproduced
 * @param identity     what the VM reports about itself
 * @param time         clocks and frequencies
 * @param entry        which entry paths exist and how they behave
 * @param rpc          GuestRPC settings
 * @param balloon      balloon device settings
 * @param limits       bounds on guest-controlled state
 * @param fixedAnswers configured answers for commands without known semantics: command number to
 *                     (arg index to 32-bit value)
 * @param severities   per-rule severity overrides
 * @param mouseAbsolutePackets vmmouse packets (buttons, x, y, wheel: 4 words each) queued when the guest
 *                     requests absolute mode, so a driver's read loop has data in a deterministic run
 */
public record VmwareProfile(String name, Flavor flavor, Identity identity, TimeSettings time, EntrySettings entry,
                            RpcSettings rpc, BalloonSettings balloon, Limits limits,
                            Map<Integer, Map<Integer, Long>> fixedAnswers, Map<String, Severity> severities,
                            java.util.List<Long> mouseAbsolutePackets) {

    public VmwareProfile {
        mouseAbsolutePackets = java.util.List.copyOf(mouseAbsolutePackets);
        if (mouseAbsolutePackets.size() % 4 != 0) {
            throw new IllegalArgumentException("vmmouse packets have 4 words each");
        }
        Map<Integer, Map<Integer, Long>> answers = new TreeMap<>();
        fixedAnswers.forEach((k, v) -> answers.put(k, Map.copyOf(new TreeMap<>(v))));
        fixedAnswers = java.util.Collections.unmodifiableMap(answers);
        severities = Map.copyOf(severities);
    }

    /**
     * What the VM reports about itself.
     *
     * @param product        product name, informational (e.g. {@code esx})
     * @param productVersion product version, informational
     * @param vmxType        GETVERSION ECX (2 = ESX, 4 = Workstation)
     * @param versionMagic   GETVERSION EAX (6)
     * @param buildNumber    GETBUILDNUM EAX
     * @param hwVersion      GETHWVERSION EAX
     * @param uuid           BIOS UUID (GETUUID)
     * @param memoryMb       VM memory in MiB (GETMEMSIZE; balloon page range)
     * @param screenWidth    GETSCREENSIZE width
     * @param screenHeight   GETSCREENSIZE height
     * @param vcpuInfo       GET_VCPU_INFO EAX bits
     * @param guiOptions     initial GETGUIOPTIONS bits
     * @param mouseAbsolute  ISMOUSEABSOLUTE answer
     * @param nestingQuery   NESTING_CONTROL QUERY answer
     */
    public record Identity(String product, String productVersion, long vmxType, long versionMagic, long buildNumber,
                           long hwVersion, UUID uuid, long memoryMb, int screenWidth, int screenHeight,
                           long vcpuInfo, long guiOptions, boolean mouseAbsolute, long nestingQuery) {
    }

    /**
     * Clocks and frequencies.
     *
     * @param source               fixed or host clock
     * @param fixedEpoch           wall-clock time of a fixed clock at session start
     * @param fixedUptimeNanos     uptime of a fixed clock at session start
     * @param tscHz                TSC frequency (GETHZ, GETMHZ, CPUID 0x40000010, pseudo-TSC)
     * @param busHz                APIC bus frequency
     * @param utcOffsetMinutes     GETTIME EDX (minutes east of UTC)
     * @param maxTimeLagMicros     GETTIME/GETTIMEFULL ECX
     * @param interruptLagMicros   GETTIMEFULL_WITH_LAG EDI
     * @param precisionClockAdjust whether PRECISIONCLOCK SETTIME/ADJTIME/ADJFREQ (2025 ops) exist
     */
    public record TimeSettings(TimeSource source, Instant fixedEpoch, long fixedUptimeNanos, long tscHz, long busHz,
                               int utcOffsetMinutes, long maxTimeLagMicros, long interruptLagMicros,
                               boolean precisionClockAdjust) {
    }

    /**
     * Entry paths.
     *
     * @param advertiseVmcall  CPUID 0x40000010 ECX bit 1
     * @param advertiseVmmcall CPUID 0x40000010 ECX bit 0
     * @param advertiseTdx     CPUID 0x40000010 ECX bit 3
     * @param hbPort           whether high-bandwidth transfers exist (port 0x5659 and vmcall HB)
     * @param hbSemantics      register side effects of {@code rep insb/outsb}
     * @param outAsIn          {@code out dx, eax} on 0x5658 behaves like {@code in}
     * @param acceptHbPort565b accept port 0x565B as the HB-out port (old vmwgfx quirk)
     * @param arm64Brk         {@code brk #0x86} enabled ({@code monitor_control.hv_hypercall})
     * @param pseudoPmc        RDPMC pseudo-PMCs enabled
     * @param commandMask      mask applied to ECX to decode the command (0xFFFF VMware, 0xFF QEMU)
     * @param mayChange        which registers contracts mark as may-change
     * @param outputUpperHalf  what bits 63:32 of a register written with a 32-bit value are (UNCERTAIN, spec §2.3)
     * @param mksPpnBits       width of the PPN MKS_GUEST_STATS ADD_PPN/REMOVE_PPN read from RBX, 32 or 64 (UNCERTAIN)
     * @param cpuidVendor      12-character CPUID 0x40000000 vendor
     */
    public record EntrySettings(boolean advertiseVmcall, boolean advertiseVmmcall, boolean advertiseTdx,
                                boolean hbPort, HbSemantics hbSemantics, boolean outAsIn, boolean acceptHbPort565b,
                                boolean arm64Brk, boolean pseudoPmc, int commandMask, MayChangePolicy mayChange,
                                OutputUpperHalf outputUpperHalf, int mksPpnBits, String cpuidVendor) {
    }

    /**
     * GuestRPC (command 30).
     *
     * @param enabled      whether MESSAGE exists
     * @param advertiseHb  report the HB status bit in SENDSIZE/RECVSIZE replies
     * @param maxMessage   largest guest-declared message size accepted
     * @param maxChannels  number of channels (at most 128)
     * @param cookieSeed   seed of the deterministic cookie generator
     * @param guestInfo    guestinfo keys ({@code guestinfo.<name>}) and values the host holds at session start
     */
    public record RpcSettings(boolean enabled, boolean advertiseHb, int maxMessage, int maxChannels, long cookieSeed,
                              Map<String, String> guestInfo) {
        public RpcSettings {
            guestInfo = java.util.Collections.unmodifiableMap(new TreeMap<>(guestInfo));
        }
    }

    /**
     * The balloon device (port 0x5670).
     *
     * @param enabled      whether the port exists
     * @param capabilities host capabilities (bit 1 basic .. bit 5 64-bit target)
     * @param targetPages  initial balloon target in 4 KiB pages
     */
    public record BalloonSettings(boolean enabled, long capabilities, long targetPages) {
    }

    /**
     * Bounds on guest-controlled state.
     *
     * @param mouseQueueWords  vmmouse queue capacity in 32-bit words
     * @param clipboardMax     largest guest clipboard (SETSELLENGTH)
     * @param guestInfoMaxKeys most guestinfo keys
     * @param logMaxEntries    most kept {@code log} lines
     * @param mksMaxPages      most MKS_GUEST_STATS pages tracked
     * @param rpcStoreMaxBytes most characters kept per GuestRPC host store (guestinfo, {@code log} lines,
     *                         capability registrations, TCLO answers): the key/line counts alone would let a
     *                         guest park 64 KiB messages thousands of times over
     */
    public record Limits(int mouseQueueWords, int clipboardMax, int guestInfoMaxKeys, int logMaxEntries,
                         int mksMaxPages, int rpcStoreMaxBytes) {
    }

    /** The severity of {@code ruleId} in this profile (override or the rule's default). */
    public Severity severityOf(String ruleId, Severity ruleDefault) {
        return severities.getOrDefault(ruleId, ruleDefault);
    }
}
