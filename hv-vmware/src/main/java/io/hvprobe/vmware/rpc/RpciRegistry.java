package io.hvprobe.vmware.rpc;

import java.util.Map;
import java.util.TreeMap;

/**
 * RPCI commands by prefix. A key matches a command word exactly, or, if the key ends with
 * {@code .}, every command word starting with it (the longest such key wins). Unknown commands get
 * {@value #UNKNOWN}.
 */
public final class RpciRegistry {
    /** Reply to an unknown command ({@code RPCI_UNKNOWN_COMMAND}). */
    public static final String UNKNOWN = "0 Unknown command";

    private final Map<String, RpciHandler> handlers = new TreeMap<>();

    /** Registers (or replaces) the handler for {@code prefix}. */
    public void register(String prefix, RpciHandler handler) {
        if (prefix.isEmpty() || prefix.contains(" ")) {
            throw new IllegalArgumentException("RPCI prefix must be one non-empty word: '" + prefix + "'");
        }
        handlers.put(prefix, handler);
    }

    /** Removes every handler. */
    public void clear() {
        handlers.clear();
    }

    /** The registered prefixes. */
    public java.util.Set<String> prefixes() {
        return java.util.Collections.unmodifiableSet(handlers.keySet());
    }

    /** The reply to the message {@code text}. */
    public String dispatch(String text) {
        int space = text.indexOf(' ');
        String command = space < 0 ? text : text.substring(0, space);
        String args = space < 0 ? "" : text.substring(space + 1);
        RpciHandler h = handlers.get(command);
        if (h == null) {
            String best = null;
            for (String key : handlers.keySet()) {
                if (key.endsWith(".") && command.startsWith(key) && (best == null || key.length() > best.length())) {
                    best = key;
                }
            }
            h = best == null ? null : handlers.get(best);
        }
        return h == null ? UNKNOWN : h.handle(command, args);
    }
}
