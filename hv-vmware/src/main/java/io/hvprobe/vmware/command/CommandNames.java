package io.hvprobe.vmware.command;

import java.util.Optional;
import java.util.Set;

/** Names of the backdoor commands 0..104 in {@code backdoor_def.h} (spec §3.1). */
public final class CommandNames {
    private CommandNames() {
    }

    private static final String[] NAMES = {
            null, "GETMHZ", "APMFUNCTION", "GETDISKGEO", "GETPTRLOCATION", "SETPTRLOCATION", "GETSELLENGTH",
            "GETNEXTPIECE", "SETSELLENGTH", "SETNEXTPIECE", "GETVERSION", "GETDEVICELISTELEMENT", "TOGGLEDEVICE",
            "GETGUIOPTIONS", "SETGUIOPTIONS", "GETSCREENSIZE", "MONITOR_CONTROL", "GETHWVERSION", "OSNOTFOUND",
            "GETUUID", "GETMEMSIZE", "HOSTCOPY", "PMC", "GETTIME", "STOPCATCHUP", "PUTCHR", "ENABLE_MSG",
            "GOTO_TCL", "INITPCIOPROM", "INT13", "MESSAGE", "SIDT", "SGDT", "SLDT_STR", "ISACPIDISABLED", "TOE",
            "ISMOUSEABSOLUTE", "PATCH_SMBIOS_STRUCTS", "MAPMEM", "ABSPOINTER_DATA", "ABSPOINTER_STATUS",
            "ABSPOINTER_COMMAND", "TIMER_SPONGE", "PATCH_ACPI_TABLES", "DEVEL_FAKEHARDWARE", "GETHZ", "GETTIMEFULL",
            "STATELOGGER", "CHECKFORCEBIOSSETUP", "LAZYTIMEREMULATION", "BIOSBBS", "VASSERT", "ISGOSDARWIN",
            "DEBUGEVENT", "OSNOTMACOSXSERVER", "GETTIMEFULL_WITH_LAG", "ACPI_HOTPLUG_DEVICE", "ACPI_HOTPLUG_MEMORY",
            "ACPI_HOTPLUG_CBRET", "GET_HOST_VIDEO_MODES", "ACPI_HOTPLUG_CPU", "USB_HOTPLUG_MOUSE", "XPMODE",
            "NESTING_CONTROL", "FIRMWARE_INIT", "FIRMWARE_ACPI_SERVICES", "SENDPSHAREHINTS", "ENABLE_USB_MOUSE",
            "GET_VCPU_INFO", "EFI_SERIALCON_CONFIG", "BUG328986", "FIRMWARE_ERROR", "VMK_INFO", "EFI_BOOT_CONFIG",
            "GET_HW_MODEL", "GET_SVGA_CAPABILITIES", "GET_FORCE_X2APIC", "SET_PCI_HOLE", "GET_PCI_HOLE",
            "GET_PCI_BAR", "SHOULD_GENERATE_SYSTEMID", "READ_DEBUG_FILE", "SCREENSHOT", "INJECT_KEY",
            "INJECT_MOUSE", "MKS_GUEST_STATS", "ABSPOINTER_RESTRICT", "GUEST_INTEGRITY", "MKSTEST", "SECUREBOOT",
            "COPY_PHYSMEM", "STEALCLOCK", "GUEST_PAGE_HINTS", "FIRMWARE_UPDATE", "FUZZER_HELPER", "PUTCHR12",
            "GMM", "PRECISIONCLOCK", "COREDUMP_UNSYNC", "APPLE_GPU_RES_SET", "GETBUILDNUM", "GETENTROPY",
            "REPORTGUESTCRASH", "PK_UPDATE", "GET_FWTRCLOG_MASK"};

    /** Commands the spec lists as UNCERTAIN (§10): unknown-command answer unless configured. */
    public static final Set<Integer> UNCERTAIN = Set.of(3, 16, 22, 25, 28, 31, 32, 33, 34, 37, 52, 53, 67, 89, 95, 99,
            101, 104);

    /** Number of defined command slots ({@code BDOOR_CMD_MAX}). */
    public static final int MAX = 105;

    /** The name of {@code number}, empty for 0 and numbers from 105 on. */
    public static Optional<String> name(int number) {
        return number > 0 && number < NAMES.length ? Optional.of(NAMES[number]) : Optional.empty();
    }

    /** {@code NAME} or {@code command 0x1234}. */
    public static String display(int number) {
        return name(number).orElse("command 0x" + Integer.toHexString(number));
    }
}
