package io.hvprobe.guest;

import io.hvprobe.unicorn.Hook;
import io.hvprobe.unicorn.Unicorn;

import java.util.Arrays;

/**
 * Code hooks on single instructions (trap and BUG sites) that are in the engine only while a call reaches them.
 *
 * <p>Why: while an instruction limit is set, Unicorn 2.0.1 walks its whole list of code hooks before every
 * instruction it executes (its instruction count is a code hook too), so each of a module's hundreds of sites cost
 * every instruction of every run — two thirds of a vmwgfx check. Here a site's hook is added when a translation
 * block holding the site is first entered in a call ({@link #enterBlock}, from the machine's block hook, before the
 * block runs), and all are taken out again between calls ({@link #uninstall}).
 *
 * <p>Not thread-safe: one per machine.
 */
final class SiteHooks {
    private static final int QUIET_SLOTS = 64;

    /** Told once, before and after the listener of the next site reached runs ({@link #tellNextReach}). */
    interface Reached {
        void before(long site);

        /** After the site's listener (which may have answered a trap there); may tell the next reach again. */
        default void after(long site) {
        }
    }

    /** What to do after a site hook was added (e.g. move observing hooks behind it). */
    interface Installed {
        void after(long site);
    }

    private final Unicorn uc;
    private final Installed installed;
    /** Site addresses, sorted; {@code listeners} and {@code hooks} are parallel to it. */
    private long[] addresses = new long[0];
    private Instrumentation.CodeListener[] listeners = new Instrumentation.CodeListener[0];
    /** The engine hook of each site while installed, else null. */
    private Hook[] hooks = new Hook[0];
    /** How many sites are installed now. */
    private int installedCount;
    /**
     * Blocks seen with every site inside them installed, by a hash of their start ({@code QUIET_SLOTS} slots; an
     * empty one has start and end 0, which no block has): a loop's blocks skip the search on every later entry.
     * Emptied when a site is added or the hooks are taken out.
     */
    private final long[] quietStart = new long[QUIET_SLOTS];
    private final long[] quietEnd = new long[QUIET_SLOTS];
    /** Told before the next site's listener runs, then forgotten; null (the common case) costs a trap one read. */
    private Reached nextReach;

    SiteHooks(Unicorn uc, Installed installed) {
        this.uc = uc;
        this.installed = installed;
    }

    /** Adds (or replaces) the listener of the site at {@code address}; it is installed on first reach. */
    void add(long address, Instrumentation.CodeListener listener) {
        int i = Arrays.binarySearch(addresses, address);
        forgetQuietBlocks();
        if (i >= 0) {
            if (hooks[i] != null) {
                uc.hookDelete(hooks[i]);
                hooks[i] = null;
                installedCount--;
            }
            listeners[i] = listener;
            return;
        }
        int at = -i - 1;
        addresses = insert(addresses, at, address);
        Instrumentation.CodeListener[] l = Arrays.copyOf(listeners, listeners.length + 1);
        System.arraycopy(listeners, at, l, at + 1, listeners.length - at);
        l[at] = listener;
        listeners = l;
        Hook[] h = Arrays.copyOf(hooks, hooks.length + 1);
        System.arraycopy(hooks, at, h, at + 1, hooks.length - at);
        h[at] = null;
        hooks = h;
    }

    /**
     * At the start of each translation block ({@code size} bytes at {@code address}), before it runs: installs the
     * hooks of the sites inside it that are not installed, drops the translations holding them and returns true;
     * the block must then not run as translated (the caller enters it again). False when nothing changed.
     */
    boolean enterBlock(long address, int size) {
        if (installedCount == addresses.length) {
            return false; // every site is in: no search per block
        }
        long end = address + Math.max(size, 1);
        int slot = (int) (address ^ (address >>> 6)) & (QUIET_SLOTS - 1);
        if (quietStart[slot] == address && quietEnd[slot] == end) {
            return false;
        }
        int i = Arrays.binarySearch(addresses, address);
        if (i < 0) {
            i = -i - 1;
        }
        boolean changed = false;
        for (; i < addresses.length && Long.compareUnsigned(addresses[i], end) < 0; i++) {
            if (hooks[i] != null) {
                continue;
            }
            long site = addresses[i];
            Instrumentation.CodeListener listener = listeners[i];
            hooks[i] = uc.hookCode(site, site, (u, a, s) -> {
                Reached r = nextReach;
                if (r == null) {
                    listener.onCode(a, s);
                    return;
                }
                nextReach = null;
                r.before(a);
                listener.onCode(a, s);
                r.after(a);
            });
            installedCount++;
            uc.removeCache(site, site + 1);
            installed.after(site);
            changed = true;
        }
        quietStart[slot] = address;
        quietEnd[slot] = end;
        return changed;
    }

    private void forgetQuietBlocks() {
        Arrays.fill(quietStart, 0L);
        Arrays.fill(quietEnd, 0L);
    }

    /**
     * Between calls (never during one): takes the installed hooks out of the engine. Translations still holding a
     * removed hook's call stay correct: every block is checked on entry and a site inside it installed again.
     */
    void uninstall() {
        if (installedCount == 0) {
            return;
        }
        forgetQuietBlocks();
        for (int i = 0; i < hooks.length; i++) {
            if (hooks[i] != null) {
                uc.hookDelete(hooks[i]);
                hooks[i] = null;
            }
        }
        installedCount = 0;
    }

    /**
     * Tells {@code reached} about the next site reached, before and after that site's listener runs (e.g. to capture
     * the state there); null forgets one not told yet.
     */
    void tellNextReach(Reached reached) {
        nextReach = reached;
    }

    /** How many site hooks are in the engine now. */
    int installed() {
        return installedCount;
    }

    private static long[] insert(long[] a, int at, long v) {
        long[] out = new long[a.length + 1];
        System.arraycopy(a, 0, out, 0, at);
        out[at] = v;
        System.arraycopy(a, at, out, at + 1, a.length - at);
        return out;
    }
}
