package io.hvprobe.vmware.profile;

import io.hvprobe.spi.Severity;
import io.hvprobe.vmware.finding.Rules;

import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;
import java.util.function.BiConsumer;

/**
 * Mutable builder for a {@link VmwareProfile}, starting from a built-in profile. Every setting has a
 * string key (the same in profile files and {@code HypervisorOptions.settings()}); see
 * {@link #keys()} and {@code docs/vmware-model.md}.
 */
public final class ProfileBuilder {
    /** Name of the default built-in profile. */
    public static final String VMWARE = "vmware";
    /** Name of the QEMU vmport built-in profile. */
    public static final String QEMU_VMPORT = "qemu-vmport";

    private String name;
    private Flavor flavor = Flavor.VMWARE;
    // identity
    private String product = "esx";
    private String productVersion = "8.0.3";
    private long vmxType = 2;
    private long versionMagic = 6;
    private long buildNumber = 24022510;
    private long hwVersion = 21;
    private UUID uuid = UUID.fromString("564d6876-7072-6f62-6500-000000000001");
    private long memoryMb = 4096;
    private int screenWidth = 1920;
    private int screenHeight = 1080;
    private long vcpuInfo = 0xA;
    private long guiOptions = 0;
    private boolean mouseAbsolute = true;
    private long nestingQuery = 2;
    // time
    private TimeSource timeSource = TimeSource.FIXED;
    private Instant fixedEpoch = Instant.parse("2026-01-01T00:00:00Z");
    private long fixedUptimeNanos = 1_000_000_000L;
    private long tscHz = 2_000_000_000L;
    private long busHz = 66_000_000L;
    private int utcOffsetMinutes = 0;
    private long maxTimeLagMicros = 500_000;
    private long interruptLagMicros = 0;
    private boolean precisionClockAdjust = true;
    // entry
    private boolean advertiseVmcall = true;
    private boolean advertiseVmmcall = true;
    private boolean advertiseTdx = true;
    private boolean hbPort = true;
    private HbSemantics hbSemantics = HbSemantics.VMWARE;
    private boolean outAsIn = true;
    private boolean acceptHbPort565b = true;
    private boolean arm64Brk = false;
    private boolean pseudoPmc = true;
    private int commandMask = 0xFFFF;
    private MayChangePolicy mayChange = MayChangePolicy.DEFINED_OUTPUTS;
    private OutputUpperHalf outputUpperHalf = OutputUpperHalf.UNDEFINED;
    private int mksPpnBits = 32;
    private String cpuidVendor = "VMwareVMware";
    // rpc
    private boolean rpcEnabled = true;
    private boolean rpcAdvertiseHb = true;
    private int rpcMaxMessage = 65536;
    private int rpcMaxChannels = 128;
    private long rpcCookieSeed = 0x5EED;
    private Map<String, String> guestInfo = Map.of();
    // balloon
    private boolean balloonEnabled = true;
    private long balloonCapabilities = 0x3E;
    private long balloonTargetPages = 0;
    // limits
    private int mouseQueueWords = 1024;
    private int clipboardMax = 65436;
    private int guestInfoMaxKeys = 4096;
    private int logMaxEntries = 10_000;
    private int mksMaxPages = 4096;
    private int rpcStoreMaxBytes = 1 << 20;
    private final Map<Integer, Map<Integer, Long>> fixedAnswers = new TreeMap<>();
    private final Map<String, Severity> severities = new TreeMap<>();
    private java.util.List<Long> mouseAbsolutePackets = java.util.List.of();

    private static final Map<String, BiConsumer<ProfileBuilder, String>> SETTERS = new LinkedHashMap<>();

    static {
        s("flavor", (b, v) -> b.flavor = parseEnum(Flavor.class, v));
        s("product", (b, v) -> b.product = v);
        s("product-version", (b, v) -> b.productVersion = v);
        s("vmx-type", (b, v) -> b.vmxType = u32(v));
        s("version-magic", (b, v) -> b.versionMagic = u32(v));
        s("build-number", (b, v) -> b.buildNumber = u32(v));
        s("hw-version", (b, v) -> b.hwVersion = u32(v));
        s("uuid", (b, v) -> b.uuid = parseUuid(v));
        s("memory-mb", (b, v) -> b.memoryMb = range(v, 1, 1L << 30));
        s("screen-width", (b, v) -> b.screenWidth = (int) range(v, 0, 0xFFFF));
        s("screen-height", (b, v) -> b.screenHeight = (int) range(v, 0, 0xFFFF));
        s("vcpu-info", (b, v) -> b.vcpuInfo = u32(v));
        s("gui-options", (b, v) -> b.guiOptions = u32(v));
        s("mouse-absolute", (b, v) -> b.mouseAbsolute = bool(v));
        s("nesting-query", (b, v) -> b.nestingQuery = u32(v));
        s("time-source", (b, v) -> b.timeSource = parseEnum(TimeSource.class, v));
        s("fixed-epoch", (b, v) -> b.fixedEpoch = parseInstant(v));
        s("fixed-uptime-ns", (b, v) -> b.fixedUptimeNanos = range(v, 0, Long.MAX_VALUE / 4));
        s("tsc-hz", (b, v) -> b.tscHz = range(v, 0, 8_000_000_000L));
        s("bus-hz", (b, v) -> b.busHz = range(v, 0, 0xFFFF_FFFFL));
        s("utc-offset-minutes", (b, v) -> b.utcOffsetMinutes = (int) range(v, -24 * 60, 24 * 60));
        s("max-time-lag-us", (b, v) -> b.maxTimeLagMicros = u32(v));
        s("interrupt-lag-us", (b, v) -> b.interruptLagMicros = u32(v));
        s("precisionclock-adjust", (b, v) -> b.precisionClockAdjust = bool(v));
        s("advertise-vmcall", (b, v) -> b.advertiseVmcall = bool(v));
        s("advertise-vmmcall", (b, v) -> b.advertiseVmmcall = bool(v));
        s("advertise-tdx", (b, v) -> b.advertiseTdx = bool(v));
        s("hb-port", (b, v) -> b.hbPort = bool(v));
        s("hb-semantics", (b, v) -> b.hbSemantics = parseEnum(HbSemantics.class, v));
        s("out-as-in", (b, v) -> b.outAsIn = bool(v));
        s("accept-hb-port-565b", (b, v) -> b.acceptHbPort565b = bool(v));
        s("arm64-brk", (b, v) -> b.arm64Brk = bool(v));
        s("pseudo-pmc", (b, v) -> b.pseudoPmc = bool(v));
        s("command-mask", (b, v) -> b.commandMask = parseCommandMask(v));
        s("may-change", (b, v) -> b.mayChange = parseEnum(MayChangePolicy.class, v));
        s("output-upper-half", (b, v) -> b.outputUpperHalf = parseEnum(OutputUpperHalf.class, v));
        s("mks-ppn-bits", (b, v) -> b.mksPpnBits = parseWidth(v));
        s("cpuid-vendor", (b, v) -> b.cpuidVendor = parseVendor(v));
        s("rpc-enabled", (b, v) -> b.rpcEnabled = bool(v));
        s("rpc-advertise-hb", (b, v) -> b.rpcAdvertiseHb = bool(v));
        s("rpc-max-message", (b, v) -> b.rpcMaxMessage = (int) range(v, 0, 16L << 20));
        s("rpc-max-channels", (b, v) -> b.rpcMaxChannels = (int) range(v, 1, 128));
        s("rpc-cookie-seed", (b, v) -> b.rpcCookieSeed = number(v));
        s("guestinfo", (b, v) -> b.guestInfo = parseGuestInfo(v));
        s("balloon-enabled", (b, v) -> b.balloonEnabled = bool(v));
        s("balloon-capabilities", (b, v) -> b.balloonCapabilities = range(v, 0, 0x3E));
        s("balloon-target-pages", (b, v) -> b.balloonTargetPages = range(v, 0, 1L << 40));
        s("mouse-queue-words", (b, v) -> b.mouseQueueWords = (int) range(v, 4, 1 << 20));
        s("clipboard-max", (b, v) -> b.clipboardMax = (int) range(v, 0, 1 << 20));
        s("guestinfo-max-keys", (b, v) -> b.guestInfoMaxKeys = (int) range(v, 0, 1 << 20));
        s("log-max-entries", (b, v) -> b.logMaxEntries = (int) range(v, 0, 1 << 20));
        s("mouse-absolute-packets", (b, v) -> b.mouseAbsolutePackets = parsePackets(v));
        s("mks-max-pages", (b, v) -> b.mksMaxPages = (int) range(v, 0, 1 << 20));
        s("rpc-store-max-bytes", (b, v) -> b.rpcStoreMaxBytes = (int) range(v, 0, 256L << 20));
    }

    private static void s(String key, BiConsumer<ProfileBuilder, String> setter) {
        SETTERS.put(key, setter);
    }

    private ProfileBuilder(String name) {
        this.name = name;
    }

    /** Names of the built-in profiles, default first. */
    public static java.util.List<String> builtInNames() {
        return java.util.List.of(VMWARE, QEMU_VMPORT);
    }

    /**
     * A builder holding the built-in profile {@code name}.
     *
     * @throws IllegalArgumentException naming the built-in profiles
     */
    public static ProfileBuilder builtIn(String name) {
        return switch (name) {
            case VMWARE -> new ProfileBuilder(VMWARE);
            case QEMU_VMPORT -> qemuVmport();
            default -> throw new IllegalArgumentException("unknown vmware profile '" + name
                    + "' (built-in: " + String.join(", ", builtInNames()) + ")");
        };
    }

    private static ProfileBuilder qemuVmport() {
        ProfileBuilder b = new ProfileBuilder(QEMU_VMPORT);
        b.flavor = Flavor.QEMU;
        b.product = "qemu";
        b.productVersion = "vmport";
        b.vmxType = 2;
        b.buildNumber = 0;
        b.vcpuInfo = 0x8;
        b.advertiseVmcall = false;
        b.advertiseVmmcall = false;
        b.advertiseTdx = false;
        b.hbPort = false;
        b.commandMask = 0xFF;
        b.rpcEnabled = false;
        b.rpcAdvertiseHb = false;
        b.balloonEnabled = false;
        b.precisionClockAdjust = false;
        b.pseudoPmc = true;
        return b;
    }

    /** Every scalar setting key, in documentation order; plus the map keys {@code fixed-answers} and {@code severity}. */
    public static Set<String> keys() {
        return Collections.unmodifiableSet(SETTERS.keySet());
    }

    /** Sets the profile's name (e.g. after loading a file). */
    public ProfileBuilder name(String newName) {
        this.name = newName;
        return this;
    }

    /**
     * Applies one setting. Keys {@code fixed-answer.<command>} (value {@code eax=0,ebx=0x10}) and
     * {@code severity.<rule-id>} (value {@code error|warning|note}) set map entries.
     *
     * @throws IllegalArgumentException for an unknown key or a bad value, naming both
     */
    public ProfileBuilder set(String key, String value) {
        String k = key.trim();
        try {
            if (k.startsWith("fixed-answer.")) {
                fixedAnswer(k.substring("fixed-answer.".length()), value);
                return this;
            }
            if (k.startsWith("severity.")) {
                severity(k.substring("severity.".length()), value);
                return this;
            }
            BiConsumer<ProfileBuilder, String> setter = SETTERS.get(k);
            if (setter == null) {
                throw new IllegalArgumentException("unknown setting (known: " + String.join(", ", SETTERS.keySet())
                        + ", fixed-answer.<n>, severity.<rule>)");
            }
            setter.accept(this, value == null ? "" : value.trim());
            return this;
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("setting '" + k + "' = '" + value + "': " + e.getMessage(), e);
        }
    }

    /** Configures a fixed answer for command {@code command}: {@code spec} like {@code eax=0,ebx=1}. */
    public ProfileBuilder fixedAnswer(String command, String spec) {
        int number = (int) range(command, 0, 0xFFFF);
        Map<Integer, Long> args = new TreeMap<>();
        for (String part : spec.split(",")) {
            String p = part.trim();
            if (p.isEmpty()) {
                continue;
            }
            int eq = p.indexOf('=');
            if (eq < 0) {
                throw new IllegalArgumentException("expected reg=value, got '" + p + "'");
            }
            args.put(argIndex(p.substring(0, eq).trim()), u32(p.substring(eq + 1).trim()));
        }
        fixedAnswers.put(number, args);
        return this;
    }

    /** Overrides the severity of a VMware rule. */
    public ProfileBuilder severity(String ruleId, String severity) {
        Rules.byId(ruleId);
        try {
            severities.put(ruleId, Severity.parse(severity));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("severity must be error, warning or note: " + severity);
        }
        return this;
    }

    /** The immutable profile. */
    public VmwareProfile build() {
        return new VmwareProfile(name, flavor,
                new VmwareProfile.Identity(product, productVersion, vmxType, versionMagic, buildNumber, hwVersion,
                        uuid, memoryMb, screenWidth, screenHeight, vcpuInfo, guiOptions, mouseAbsolute, nestingQuery),
                new VmwareProfile.TimeSettings(timeSource, fixedEpoch, fixedUptimeNanos, tscHz, busHz,
                        utcOffsetMinutes, maxTimeLagMicros, interruptLagMicros, precisionClockAdjust),
                new VmwareProfile.EntrySettings(advertiseVmcall, advertiseVmmcall, advertiseTdx, hbPort, hbSemantics,
                        outAsIn, acceptHbPort565b, arm64Brk, pseudoPmc, commandMask, mayChange, outputUpperHalf,
                        mksPpnBits, cpuidVendor),
                new VmwareProfile.RpcSettings(rpcEnabled, rpcAdvertiseHb, rpcMaxMessage, rpcMaxChannels, rpcCookieSeed,
                        guestInfo),
                new VmwareProfile.BalloonSettings(balloonEnabled, balloonCapabilities, balloonTargetPages),
                new VmwareProfile.Limits(mouseQueueWords, clipboardMax, guestInfoMaxKeys, logMaxEntries, mksMaxPages,
                        rpcStoreMaxBytes),
                fixedAnswers, severities, mouseAbsolutePackets);
    }

    /**
     * {@code guestinfo.a=value;guestinfo.b=value}: the host's guestinfo store at session start (a value runs to
     * the next {@code ;}); empty = none.
     */
    static Map<String, String> parseGuestInfo(String v) {
        Map<String, String> out = new TreeMap<>();
        if (v.isBlank()) {
            return out;
        }
        for (String entry : v.split(";")) {
            int eq = entry.indexOf('=');
            String key = eq < 0 ? entry.trim() : entry.substring(0, eq).trim();
            if (eq < 0 || !key.startsWith("guestinfo.") || key.length() == "guestinfo.".length() || key.contains(" ")) {
                throw new IllegalArgumentException("a guestinfo entry is guestinfo.<name>=<value>, got '" + entry.trim() + "'");
            }
            out.put(key, entry.substring(eq + 1));
        }
        if (out.size() > 256) {
            throw new IllegalArgumentException("at most 256 guestinfo entries");
        }
        return out;
    }

    /** {@code b,x,y,w;b,x,y,w...}: 32-bit words, four per packet; empty = none. */
    static java.util.List<Long> parsePackets(String v) {
        java.util.List<Long> words = new java.util.ArrayList<>();
        if (v.isBlank()) {
            return words;
        }
        for (String packet : v.split(";")) {
            String[] w = packet.split(",");
            if (w.length != 4) {
                throw new IllegalArgumentException("a vmmouse packet is 4 words (buttons,x,y,wheel), got '" + packet.trim() + "'");
            }
            for (String word : w) {
                words.add(u32(word));
            }
        }
        if (words.size() > 4 * 256) {
            throw new IllegalArgumentException("at most 256 vmmouse packets");
        }
        return words;
    }

    // ---- value parsing -------------------------------------------------------------------------

    /** Arg index of an x86 or arm64 register name ({@code eax}/{@code x0} = 0 ... {@code ebp}/{@code x6} = 6). */
    static int argIndex(String reg) {
        String r = reg.toLowerCase(Locale.ROOT);
        return switch (r) {
            case "eax", "rax", "x0", "w0", "arg0" -> 0;
            case "ebx", "rbx", "x1", "w1", "arg1" -> 1;
            case "ecx", "rcx", "x2", "w2", "arg2" -> 2;
            case "edx", "rdx", "x3", "w3", "arg3" -> 3;
            case "esi", "rsi", "x4", "w4", "arg4" -> 4;
            case "edi", "rdi", "x5", "w5", "arg5" -> 5;
            default -> throw new IllegalArgumentException("not a backdoor output register: " + reg);
        };
    }

    static long number(String v) {
        String t = v.trim().replace("_", "").toLowerCase(Locale.ROOT);
        try {
            boolean negative = t.startsWith("-");
            String digits = negative ? t.substring(1) : t;
            long n = digits.startsWith("0x") ? Long.parseUnsignedLong(digits.substring(2), 16) : Long.parseLong(digits);
            return negative ? -n : n;
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("not a number: '" + v + "'");
        }
    }

    static long range(String v, long min, long max) {
        long n = number(v);
        if (n < min || n > max) {
            throw new IllegalArgumentException(n + " is outside " + min + ".." + max);
        }
        return n;
    }

    static long u32(String v) {
        return range(v, 0, 0xFFFF_FFFFL);
    }

    static boolean bool(String v) {
        return switch (v.trim().toLowerCase(Locale.ROOT)) {
            case "true" -> true;
            case "false" -> false;
            default -> throw new IllegalArgumentException("expected true or false");
        };
    }

    static <E extends Enum<E>> E parseEnum(Class<E> type, String v) {
        String constant = v.trim().toUpperCase(Locale.ROOT).replace('-', '_');
        for (E e : type.getEnumConstants()) {
            if (e.name().equals(constant)) {
                return e;
            }
        }
        StringBuilder allowed = new StringBuilder();
        for (E e : type.getEnumConstants()) {
            allowed.append(allowed.isEmpty() ? "" : ", ").append(e.name().toLowerCase(Locale.ROOT).replace('_', '-'));
        }
        throw new IllegalArgumentException("expected one of " + allowed);
    }

    private static UUID parseUuid(String v) {
        try {
            return UUID.fromString(v.trim());
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("not a UUID");
        }
    }

    private static Instant parseInstant(String v) {
        try {
            return Instant.parse(v.trim());
        } catch (DateTimeParseException e) {
            throw new IllegalArgumentException("expected an ISO-8601 instant such as 2026-01-01T00:00:00Z");
        }
    }

    private static int parseCommandMask(String v) {
        long m = u32(v);
        if (m != 0xFF && m != 0xFFFF) {
            throw new IllegalArgumentException("command-mask must be 0xff (QEMU) or 0xffff (VMware)");
        }
        return (int) m;
    }

    private static int parseWidth(String v) {
        long w = number(v);
        if (w != 32 && w != 64) {
            throw new IllegalArgumentException("expected 32 or 64");
        }
        return (int) w;
    }

    private static String parseVendor(String v) {
        if (v.length() != 12 || !v.chars().allMatch(c -> c >= 0x20 && c < 0x7F)) {
            throw new IllegalArgumentException("cpuid-vendor must be 12 printable ASCII characters");
        }
        return v;
    }
}
