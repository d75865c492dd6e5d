package io.hvprobe.vmware.contract;

import io.hvprobe.vmware.contract.ArgContract.ArgRole;
import io.hvprobe.vmware.contract.ArgContract.Kind;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;

/**
 * THE register-contract data of the VMware model: for every command, sub-command and variant,
 * which arguments are inputs (with their bit masks) and which the hypervisor writes. Handlers only
 * pick a key; the session enforces that every answer writes a subset of the key's outputs.
 * Sources: spec §2.5/§2.6 (Linux contracts), §3 (catalogue), §4 (MESSAGE), §6 (balloon), §7–§8 (vmmouse).
 */
public final class ContractTable {
    private static final long M16 = 0xFFFFL;
    private static final long M32 = 0xFFFF_FFFFL;
    private static final long HI16 = 0xFFFF_0000L;
    private static final long ALL = -1L;

    private static final Map<String, ArgContract> TABLE = build();

    private ContractTable() {
    }

    /**
     * The contract for {@code key}.
     *
     * @throws IllegalArgumentException if there is none (a model bug)
     */
    public static ArgContract get(String key) {
        ArgContract c = TABLE.get(key);
        if (c == null) {
            throw new IllegalArgumentException("no register contract for " + key);
        }
        return c;
    }

    /** Whether {@code key} has a contract. */
    public static boolean contains(String key) {
        return TABLE.containsKey(key);
    }

    /** Every contract by key. */
    public static Map<String, ArgContract> all() {
        return TABLE;
    }

    /** The contract of a configured fixed answer writing {@code outputs} (arg indices). */
    public static ArgContract fixedAnswer(int number, java.util.Set<Integer> outputs) {
        B b = lb("FIXED." + number, "configured fixed answer for command " + number);
        for (int arg : outputs) {
            b.out(arg, "configured value");
        }
        return b.build();
    }

    private static Map<String, ArgContract> build() {
        Map<String, ArgContract> t = new LinkedHashMap<>();
        // Answers without a command.
        put(t, lb("UNKNOWN", "unknown or unmodelled command: EAX = 0xFFFFFFFF, nothing else").out(0, "0xFFFFFFFF"));
        put(t, new B("BAD_MAGIC", Kind.LB, "wrong magic: EAX = 0xFFFFFFFF, nothing else")
                .in(0, M32, "magic (wrong)").in(3, M16, "port / flags").out(0, "0xFFFFFFFF"));
        put(t, hb("HB.UNKNOWN", "unknown HB command: EAX = 0xFFFFFFFF").out(0, "0xFFFFFFFF"));

        put(t, lb("GETMHZ", "CPU speed in MHz").out(0, "MHz"));
        put(t, lb("GETPTRLOCATION", "host pointer position").out(0, "(x << 16) | y"));
        put(t, lb("SETPTRLOCATION", "moves the host pointer").in(1, M32, "(x << 16) | y").out(0, "0"));
        put(t, lb("GETSELLENGTH", "host clipboard length").out(0, "length, or -1/-2"));
        put(t, lb("GETNEXTPIECE", "next 4 host clipboard bytes").out(0, "4 bytes, little-endian"));
        put(t, lb("SETSELLENGTH", "starts a guest clipboard transfer").in(1, M32, "length").out(0, "0"));
        put(t, lb("SETNEXTPIECE", "next 4 guest clipboard bytes").in(1, M32, "4 bytes, little-endian"));
        put(t, lb("GETVERSION", "backdoor version and product type")
                .out(0, "version (6)").out(1, "magic").out(2, "product type"));
        put(t, lb("GETDEVICELISTELEMENT", "4 bytes of a removable-device record")
                .in(1, M32, "(device << 16) | offset").out(0, "1 ok / 0 fail").out(1, "4 record bytes"));
        put(t, lb("TOGGLEDEVICE", "connects or disconnects a device").in(1, M32, "device | 0x80000000 connect")
                .out(0, "1 ok / 0 fail"));
        put(t, lb("GETGUIOPTIONS", "GUI option bits").out(0, "option bits"));
        put(t, lb("SETGUIOPTIONS", "sets GUI option bits").in(1, M32, "option bits"));
        put(t, lb("GETSCREENSIZE", "host screen size").out(0, "(width << 16) | height"));
        put(t, lb("GETHWVERSION", "virtual hardware version").out(0, "hardware version").out(1, "magic"));
        put(t, lb("OSNOTFOUND", "tells the host no OS was found"));
        put(t, lb("GETUUID", "BIOS UUID").out(0, "bytes 0-3").out(1, "bytes 4-7").out(2, "bytes 8-11")
                .out(3, "bytes 12-15"));
        put(t, lb("GETMEMSIZE", "VM memory in MiB").out(0, "MiB"));
        put(t, lb("GETMEMSIZE.qemu", "QEMU: RAM bytes truncated to 32 bits").out(0, "bytes (truncated)")
                .out(1, "0x1177"));
        put(t, lb("GETTIME", "host time (deprecated)").out(0, "seconds").out(1, "microseconds")
                .out(2, "max time lag (us)").out(3, "UTC offset (minutes east)"));
        put(t, lb("STOPCATCHUP", "stops time catch-up"));
        put(t, lb("ISMOUSEABSOLUTE", "absolute pointer available").out(0, "1 / 0"));
        put(t, lb("GETHZ", "TSC and APIC bus frequencies").out(0, "TSC Hz [31:0]").out(1, "TSC Hz [63:32]")
                .out(2, "APIC bus Hz"));
        put(t, lb("GETTIMEFULL", "host time, 64-bit seconds; EAX stays = magic on success")
                .out(1, "microseconds").out(2, "max time lag (us)").out(3, "seconds [31:0]").out(4, "seconds [63:32]"));
        put(t, lb("GETTIMEFULL_WITH_LAG", "as GETTIMEFULL plus interrupt lag; EAX stays = magic on success")
                .out(1, "microseconds").out(2, "max lag without interrupt lag (us)").out(3, "seconds [31:0]")
                .out(4, "seconds [63:32]").out(5, "interrupt lag (us)"));
        put(t, lb("NESTING_CONTROL.RESTRICT_BACKDOOR", "restricts the backdoor for nested guests").sub());
        put(t, lb("NESTING_CONTROL.OPEN_BACKDOOR", "opens the backdoor for nested guests").sub());
        put(t, lb("NESTING_CONTROL.QUERY", "nesting support level").sub().out(0, "level (>= 2 supported)"));
        put(t, lb("GET_VCPU_INFO", "vCPU feature bits").out(0, "feature bits"));
        put(t, lb("MKS_GUEST_STATS.RESET", "drops all MKS guest-stats pages").sub().in(1, M32, "0"));
        // Linux passes a 64-bit PPN in RBX; which bits VMware reads is UNCERTAIN (spec §2.3): setting mks-ppn-bits.
        for (String op : new String[]{"ADD_PPN", "REMOVE_PPN"}) {
            String what = op.equals("ADD_PPN") ? "adds an MKS guest-stats page" : "removes an MKS guest-stats page";
            put(t, lb("MKS_GUEST_STATS." + op, what).sub().inValue(1, M32, "PPN"));
            put(t, lb("MKS_GUEST_STATS." + op + ".64", what + " (64-bit PPN)").sub().in(1, ALL, "PPN"));
        }
        put(t, lb("STEALCLOCK", "enables/disables the stolen-time area").in(1, M32, "0")
                .in(3, HI16, "0").inValue(4, M32, "PA [63:32] (0 to disable)").inValue(5, M32, "PA [31:0] (1 to disable)")
                .out(0, "1 enabled / 0 disabled / -1 absent"));
        put(t, lb("GUEST_PAGE_HINTS", "page-sharing hints (not supported)").sub().in(1, ALL, "PPN")
                .inValue(4, M16, "page count").out(0, "0xFFFFFFFF (not supported)"));
        put(t, lb("PRECISIONCLOCK.GETTIME", "PTP clock time").sub().in(1, M32, "0").out(0, "0 ok")
                .out(1, "ns [63:32]").out(2, "ns [31:0]"));
        for (String op : new String[]{"SETTIME", "ADJTIME", "ADJFREQ"}) {
            put(t, lb("PRECISIONCLOCK." + op, "PTP clock " + op.toLowerCase(java.util.Locale.ROOT)).sub()
                    .in(1, M32, "0").in(3, HI16, "0").inValue(4, M32, "value [63:32]").inValue(5, M32, "value [31:0]")
                    .out(0, "0 ok"));
        }
        put(t, lb("GETBUILDNUM", "host build number").out(0, "build number"));
        put(t, lb("REPORTGUESTCRASH", "reports a guest crash").in(1, M32, "0"));

        // vmmouse (spec §7); QEMU rewrites EAX..EDI as 32-bit values (spec §8).
        put(t, lb("ABSPOINTER_STATUS", "vmmouse status and queue length").out(0, "(status << 16) | words"));
        put(t, lb("ABSPOINTER_COMMAND", "vmmouse command").in(1, M32, "sub-command"));
        put(t, lb("ABSPOINTER_RESTRICT", "vmmouse access restriction").in(1, M32, "0 any / 1 CPL0 / 2 IOPL"));
        put(t, lb("ABSPOINTER_DATA.REFUSED", "vmmouse data with a bad count: nothing returned, mouse disabled")
                .in(1, M32, "word count"));
        for (int n = 1; n <= 6; n++) {
            B b = lb("ABSPOINTER_DATA." + n, "pops " + n + " vmmouse word(s)").in(1, M32, "word count (" + n + ")");
            for (int i = 0; i < n; i++) {
                b.out(i, "word " + i);
            }
            put(t, b);
        }
        for (String key : new String[]{"ABSPOINTER_STATUS", "ABSPOINTER_COMMAND", "ABSPOINTER_DATA"}) {
            B b = lb(key + ".qemu", "QEMU vmmouse: all six registers rewritten as 32-bit values")
                    .in(1, M32, "parameter");
            for (int i = 0; i < 6; i++) {
                b.out(i, i == 0 ? "result" : "rewritten (32-bit)");
            }
            put(t, b);
        }

        // GuestRPC (spec §4).
        B open = lb("MESSAGE.OPEN", "opens a GuestRPC channel with cookies").sub()
                .in(1, M32, "protocol | 0x80000000").out(0, "0").out(2, "status << 16").out(3, "channel << 16")
                .out(4, "cookie high").out(5, "cookie low");
        put(t, open);
        put(t, lb("MESSAGE.OPEN.NOCOOKIE", "opens a GuestRPC channel without cookies").sub()
                .in(1, M32, "protocol").out(0, "0").out(2, "status << 16").out(3, "channel << 16"));
        putMessage(t, lb("MESSAGE.SENDSIZE", "announces the guest message length").in(1, M32, "length")
                .out(0, "0").out(2, "status << 16"));
        putMessage(t, lb("MESSAGE.SENDPAYLOAD", "sends 4 message bytes").in(1, M32, "4 bytes")
                .out(0, "0").out(2, "status << 16"));
        putMessage(t, lb("MESSAGE.RECVSIZE", "asks for the reply length").out(0, "0").out(1, "reply length")
                .out(2, "status << 16").out(3, "1 << 16"));
        putMessage(t, lb("MESSAGE.RECVPAYLOAD", "receives 4 reply bytes").in(1, M32, "1 (previous chunk ok)")
                .out(0, "0").out(1, "4 bytes").out(2, "status << 16").out(3, "2 << 16"));
        putMessage(t, lb("MESSAGE.RECVSTATUS", "acknowledges the reply").in(1, M32, "1 ok / 0 failed")
                .out(0, "0").out(2, "status << 16"));
        putMessage(t, lb("MESSAGE.CLOSE", "closes the channel").out(0, "0").out(2, "status << 16"));
        put(t, lb("MESSAGE.UNKNOWN", "unknown MESSAGE operation").sub().out(0, "0xFFFFFFFF"));
        B hbOut = hb("MESSAGE.HB_OUT", "sends the guest message from a buffer").in(1, M32, "(1 << 16) | 0")
                .in(2, ALL, "length").in(3, HI16, "channel").in(4, ALL, "buffer address")
                .in(5, M32, "cookie low").in(6, M32, "cookie high").out(0, "0").out(1, "status << 16");
        B hbIn = hb("MESSAGE.HB_IN", "receives the host reply into a buffer").in(1, M32, "(1 << 16) | 0")
                .in(2, ALL, "length").in(3, HI16, "channel").in(4, M32, "cookie high")
                .in(5, ALL, "buffer address").in(6, M32, "cookie low").out(0, "0").out(1, "status << 16");
        put(t, hbOut);
        put(t, hbIn);
        t.put("MESSAGE.HB_OUT.NOCOOKIE", hbOut.build().withoutInputs("MESSAGE.HB_OUT.NOCOOKIE", 5, 6));
        t.put("MESSAGE.HB_IN.NOCOOKIE", hbIn.build().withoutInputs("MESSAGE.HB_IN.NOCOOKIE", 4, 6));

        // Balloon (spec §6): EDI preserved; ESI/EDX may change (policy).
        put(t, balloon("BALLOON.START", "negotiates capabilities").in(1, M32, "guest capabilities")
                .out(0, "status").out64(2, "capabilities"));
        for (String name : new String[]{"GET_TARGET", "LOCK", "UNLOCK", "BATCHED_LOCK", "BATCHED_UNLOCK",
                "BATCHED_2M_LOCK", "BATCHED_2M_UNLOCK"}) {
            B b32 = balloon("BALLOON." + name, "balloon " + name.toLowerCase(java.util.Locale.ROOT))
                    .in(1, M32, name.equals("GET_TARGET") ? "guest page limit" : "PPN")
                    .out(0, "status").out(1, "target (pages)");
            B b64 = balloon("BALLOON." + name + ".64", "balloon " + name.toLowerCase(java.util.Locale.ROOT)
                    + " with 64-bit target").in(1, ALL, name.equals("GET_TARGET") ? "guest page limit" : "PPN")
                    .out(0, "status").out64(1, "target (pages)");
            if (!name.equals("GET_TARGET")) {
                b32.in(4, M32, "count");
                b64.in(4, M32, "count");
            }
            put(t, b32);
            put(t, b64);
        }
        put(t, balloon("BALLOON.GUEST_ID", "declares the guest type").in(1, M32, "guest type").out(0, "status"));
        put(t, balloon("BALLOON.VMCI_DOORBELL_SET", "sets the VMCI doorbell").in(1, M32, "context id")
                .in(4, M32, "resource id").out(0, "status"));
        put(t, balloon("BALLOON.UNKNOWN", "unknown balloon command").out(0, "ERROR_CMD_INVALID"));
        return Collections.unmodifiableMap(t);
    }

    private static void put(Map<String, ArgContract> t, B b) {
        ArgContract c = b.build();
        if (t.put(c.key(), c) != null) {
            throw new IllegalStateException("duplicate contract " + c.key());
        }
    }

    /** MESSAGE ops after OPEN: with cookies (ESI/EDI inputs) and a {@code .NOCOOKIE} variant. */
    private static void putMessage(Map<String, ArgContract> t, B b) {
        b.sub().in(3, HI16, "channel").in(4, M32, "cookie high").in(5, M32, "cookie low");
        ArgContract c = b.build();
        t.put(c.key(), c);
        t.put(c.key() + ".NOCOOKIE", c.withoutInputs(c.key() + ".NOCOOKIE", 4, 5));
    }

    /** LB command: magic in arg0, command in arg2[15:0], port/flags in arg3[15:0]. */
    private static B lb(String key, String description) {
        return new B(key, Kind.LB, description).in(0, M32, "magic").in(2, M16, "command").in(3, M16, "port / flags");
    }

    private static B hb(String key, String description) {
        return new B(key, Kind.HB, description).in(0, M32, "magic").in(1, M16, "HB command")
                .in(3, M16, "port / flags");
    }

    private static B balloon(String key, String description) {
        return new B(key, Kind.BALLOON, description).in(0, M32, "balloon magic").in(2, M32, "command")
                .in(3, M16, "port 0x5670");
    }

    /** Small builder so the table above reads as data. */
    private static final class B {
        private final String key;
        private final Kind kind;
        private final String description;
        private final Map<Integer, ArgRole> args = new TreeMap<>();

        B(String key, Kind kind, String description) {
            this.key = key;
            this.kind = kind;
            this.description = description;
        }

        /** Adds input bits (merged with what the arg already reads). */
        B in(int arg, long mask, String meaning) {
            ArgRole old = args.get(arg);
            if (old == null) {
                args.put(arg, new ArgRole(mask, false, 0, false, meaning));
            } else {
                args.put(arg, new ArgRole(old.inputMask() | mask, old.written(), old.width(), old.wideValue(),
                        old.meaning() + "; " + meaning));
            }
            return this;
        }

        /** Input bits of a value that can be wider than {@code mask}: set bits outside it are truncated. */
        B inValue(int arg, long mask, String meaning) {
            in(arg, mask, meaning);
            ArgRole r = args.get(arg);
            args.put(arg, new ArgRole(r.inputMask(), r.written(), r.width(), true, r.meaning()));
            return this;
        }

        /** ECX[31:16] is a sub-command (input). */
        B sub() {
            return in(2, HI16, "sub-command");
        }

        B out(int arg, String meaning) {
            return write(arg, 32, meaning);
        }

        B out64(int arg, String meaning) {
            return write(arg, 64, meaning);
        }

        private B write(int arg, int width, String meaning) {
            ArgRole old = args.get(arg);
            long mask = old == null ? 0 : old.inputMask();
            String m = old == null ? "out: " + meaning : old.meaning() + "; out: " + meaning;
            args.put(arg, new ArgRole(mask, true, width, old != null && old.wideValue(), m));
            return this;
        }

        ArgContract build() {
            return new ArgContract(key, kind, description, args);
        }
    }
}
