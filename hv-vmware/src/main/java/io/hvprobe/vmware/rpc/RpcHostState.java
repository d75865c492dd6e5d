package io.hvprobe.vmware.rpc;

import java.util.ArrayDeque;
import java.util.Collections;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Host-side state behind the standard RPCI commands: the guestinfo store, the tools version, the
 * capabilities the tools registered and the {@code log} lines, all bounded in count and in characters
 * (a guest may send 64 KiB messages in a loop: counts alone would let it park gigabytes here).
 */
public final class RpcHostState {
    /** Reply of {@code info-get} for a missing key (spec default). */
    public static final String NO_VALUE = "0 No value found";
    /** guestinfo namespace. */
    public static final String GUESTINFO = "guestinfo.";

    private final int maxKeys;
    private final int maxLog;
    private final long maxChars;
    private long guestInfoChars;
    private long logChars;
    private long capabilityChars;
    private final Map<String, String> guestInfo = new LinkedHashMap<>();
    private final Deque<String> log = new ArrayDeque<>();
    private final List<String> capabilities = new java.util.ArrayList<>();
    private String toolsVersion;

    /**
     * State bounded to {@code maxKeys} guestinfo keys (and capability registrations), {@code maxLog} log lines
     * and {@code maxChars} characters per store.
     */
    public RpcHostState(int maxKeys, int maxLog, long maxChars) {
        this.maxKeys = maxKeys;
        this.maxLog = maxLog;
        this.maxChars = maxChars;
    }

    /** Registers the standard handlers on {@code registry}. */
    public void registerStandardHandlers(RpciRegistry registry) {
        registry.register("info-get", (c, a) -> {
            String v = guestInfo.get(a.trim());
            return v == null ? NO_VALUE : "1 " + v;
        });
        registry.register("info-set", (c, a) -> {
            int space = a.indexOf(' ');
            String key = space < 0 ? a : a.substring(0, space);
            String value = space < 0 ? "" : a.substring(space + 1);
            if (!key.startsWith(GUESTINFO) || key.length() == GUESTINFO.length()) {
                return "0 Invalid key";
            }
            if (!guestInfo.containsKey(key) && guestInfo.size() >= maxKeys) {
                return "0 Too many keys";
            }
            if (guestInfoChars - entryChars(key, guestInfo.get(key)) + entryChars(key, value) > maxChars) {
                return "0 Too much guestinfo data";
            }
            putGuestInfo(key, value);
            return "1 ";
        });
        registry.register("tools.set.version", (c, a) -> {
            toolsVersion = a.trim();
            return "1 ";
        });
        registry.register("tools.set.versiontype", (c, a) -> {
            toolsVersion = a.trim();
            return "1 ";
        });
        registry.register("log", (c, a) -> {
            addLog(a);
            return "1 ";
        });
        registry.register("tools.capability.", (c, a) -> {
            String registration = a.isEmpty() ? c : c + " " + a;
            if (capabilities.size() < maxKeys && capabilityChars + registration.length() <= maxChars) {
                capabilities.add(registration);
                capabilityChars += registration.length();
            }
            return "1 ";
        });
    }

    private void addLog(String line) {
        if (maxLog == 0 || maxChars == 0) {
            return;
        }
        String kept = line.length() > maxChars ? line.substring(0, (int) maxChars) : line;
        while (!log.isEmpty() && (log.size() == maxLog || logChars + kept.length() > maxChars)) {
            logChars -= log.removeFirst().length();
        }
        log.addLast(kept);
        logChars += kept.length();
    }

    private static long entryChars(String key, String value) {
        return value == null ? 0 : key.length() + value.length();
    }

    private void putGuestInfo(String key, String value) {
        guestInfoChars += entryChars(key, value) - entryChars(key, guestInfo.get(key));
        guestInfo.put(key, value);
    }

    /** The guestinfo store (read-only view). */
    public Map<String, String> guestInfo() {
        return Collections.unmodifiableMap(guestInfo);
    }

    /** Sets a guestinfo value from the host side (e.g. a test); the host is not bound by the guest's limits. */
    public void setGuestInfo(String key, String value) {
        putGuestInfo(key, value);
    }

    /** {@code log} lines in order (the newest that fit the limits; a line longer than the limit is cut). */
    public List<String> log() {
        return List.copyOf(log);
    }

    /** Capability registrations ({@code tools.capability.*}). */
    public List<String> capabilities() {
        return List.copyOf(capabilities);
    }

    /** The version from {@code tools.set.version(type)}. */
    public Optional<String> toolsVersion() {
        return Optional.ofNullable(toolsVersion);
    }

    /** Makes the stores equal to {@code other}'s (same limits assumed). */
    public void copyFrom(RpcHostState other) {
        guestInfoChars = other.guestInfoChars;
        logChars = other.logChars;
        capabilityChars = other.capabilityChars;
        guestInfo.clear();
        guestInfo.putAll(other.guestInfo);
        log.clear();
        log.addAll(other.log);
        capabilities.clear();
        capabilities.addAll(other.capabilities);
        toolsVersion = other.toolsVersion;
    }
}
