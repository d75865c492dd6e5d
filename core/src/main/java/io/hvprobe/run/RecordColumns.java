package io.hvprobe.run;

import io.hvprobe.arch.Arch;
import io.hvprobe.arch.RegisterSnapshot;
import io.hvprobe.spi.RegisterWrite;
import io.hvprobe.spi.TrapDetail;
import io.hvprobe.spi.TrapEvent;
import io.hvprobe.spi.TrapOutcome;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The hypercall log's storage: one primitive column per record field instead of one object graph per record
 * (a record took 0.8–1.0 kB of heap, 100,000 of them 82–107 MiB). Append-only, so a {@link HypercallRecords} view
 * of the first n records stays valid while later records are appended.
 *
 * <ul>
 *   <li>What repeats from call to call is stored once and referenced by index: the site (form, address, bytes,
 *       text, location), the plugin name, and — per site, compared with the site's previous one — the trap
 *       detail, the applied writes and the plugin's answer (a GETVERSION loop shares one of each).</li>
 *   <li>Registers are deltas: the registers before a trap as the ones that differ from the previous record's
 *       (every {@value #KEYFRAME}th record in full, so a read decodes at most that many deltas), the registers
 *       after it as the ones that differ from what the applied writes and the PC past the trap make of them
 *       (usually none). A bit mask per record says which values follow.</li>
 * </ul>
 */
final class RecordColumns {
    /** A record whose registers before are stored in full every this many records. */
    static final int KEYFRAME = 16;

    private int size;
    private long firstSequence;
    /** Sequence numbers, once one is not {@code firstSequence + index} (null while all are). */
    private long[] sequences;
    private int[] site = new int[16];
    private byte[] plugin = new byte[16];
    private int[] detail = new int[16];
    private int[] outcome = new int[16];
    private int[] applied = new int[16];
    private long[] beforeMask = new long[16];
    private long[] afterMask = new long[16];
    /** Where each record's register values start in {@link #values}: before's, then after's. */
    private int[] valueStart = new int[16];
    private long[] values = new long[64];
    private int valueCount;

    private final List<TrapEvent> sites = new ArrayList<>();
    private final List<String> plugins = new ArrayList<>();
    private final List<TrapDetail> details = new ArrayList<>();
    private final List<TrapOutcome.Handled> outcomes = new ArrayList<>();
    private final List<List<RegisterWrite>> writes = new ArrayList<>();
    /** Per trap address, the last site seen there and the indexes its last record used. */
    private final Map<Long, SiteState> bySite = new HashMap<>();
    private final List<Integer> withFindings = new ArrayList<>();
    /** The index {@link #pluginIndex} returned last. */
    private int lastPlugin;
    /** The site state {@link #siteOf} returned last. */
    private SiteState lastSite;
    /** Scratch of {@link #add}: the previous record's registers before (the delta base), this one's, after. */
    private long[] previous;
    private long[] before;
    private long[] expected;
    /** Scratch of {@link #add(HypercallRecord)}: the record's registers after. */
    private long[] recordAfter;
    private Arch previousArch;

    private static final class SiteState {
        final int site;
        int detail = -1;
        int outcome = -1;
        int applied = -1;

        SiteState(int site) {
            this.site = site;
        }
    }

    int size() {
        return size;
    }

    void add(HypercallRecord r) {
        if (recordAfter == null || recordAfter.length != r.after().arch().registers().size()) {
            recordAfter = new long[r.after().arch().registers().size()];
        }
        r.after().copyTo(recordAfter);
        int i = addEvent(r.event(), r.plugin(), r.outcome(), r.applied());
        System.arraycopy(before, 0, expected, 0, before.length);
        afterMask[i] = differing(expectAfter(r.event(), expected, r.applied()), recordAfter);
        append(afterMask[i], recordAfter);
        size++;
    }

    /**
     * Appends a record given by its parts (see {@link HypercallRecord}) whose registers after are the event's with
     * {@code appliedWrites} applied and the PC past the trap, or at it when the call does not return — as the trap
     * interceptor makes them, so nothing but that PC is compared or stored. {@code appliedWrites} must be immutable.
     */
    void add(TrapEvent e, Optional<String> plugin, Optional<TrapOutcome.Handled> answer,
             List<RegisterWrite> appliedWrites, boolean returns) {
        int i = addEvent(e, plugin, answer, appliedWrites);
        if (returns) {
            afterMask[i] = 0;
        } else { // the PC stays at the trap
            afterMask[i] = 1L << e.arch().programCounter().index();
            ensureValues(1);
            values[valueCount++] = e.pc();
        }
        size++;
    }

    /**
     * Appends everything of record {@link #size} but its registers after: the caller sets {@link #afterMask} and
     * appends those values, then counts the record. Leaves the registers before in {@link #before}.
     */
    private int addEvent(TrapEvent e, Optional<String> plugin, Optional<TrapOutcome.Handled> answer,
                         List<RegisterWrite> appliedWrites) {
        grow();
        int i = size;
        if (i == 0) {
            firstSequence = e.sequence();
        }
        if (sequences == null && e.sequence() != firstSequence + i) {
            sequences = new long[site.length];
            for (int k = 0; k < i; k++) {
                sequences[k] = firstSequence + k;
            }
        }
        if (sequences != null) {
            sequences[i] = e.sequence();
        }
        SiteState s = siteOf(e);
        site[i] = s.site;
        this.plugin[i] = (byte) (plugin.isPresent() ? pluginIndex(plugin.get()) : -1);
        s.detail = intern(details, s.detail, e.detail());
        detail[i] = s.detail;
        if (answer.isPresent()) {
            s.outcome = intern(outcomes, s.outcome, answer.get());
        }
        outcome[i] = answer.isPresent() ? s.outcome : -1;
        s.applied = intern(writes, s.applied, appliedWrites);
        applied[i] = s.applied;

        Arch arch = e.arch();
        if (arch != previousArch) {
            before = new long[arch.registers().size()];
            previous = new long[before.length];
            expected = new long[before.length];
        } else {
            long[] swap = previous;
            previous = before;
            before = swap;
        }
        e.registers().copyTo(before);
        valueStart[i] = valueCount;
        boolean keyframe = i % KEYFRAME == 0 || arch != previousArch;
        beforeMask[i] = keyframe ? fullMask(before.length) : differing(previous, before);
        append(beforeMask[i], before);
        previousArch = arch;
        if (outcome[i] >= 0 && !outcomes.get(outcome[i]).findings().isEmpty()) {
            withFindings.add(i);
        }
        return i;
    }

    /** The indexes of the records whose plugin answer carries findings, in order. */
    List<Integer> withFindings() {
        return withFindings;
    }

    /** Record {@code i} as the record type. */
    HypercallRecord get(int i) {
        TrapEvent template = sites.get(site[i]);
        long[] before = beforeOf(i);
        long[] after = expectAfter(template, before.clone(), writes.get(applied[i]));
        int at = valueStart[i] + Long.bitCount(beforeMask[i]);
        apply(afterMask[i], after, at);
        Arch arch = template.arch();
        long sequence = sequences == null ? firstSequence + i : sequences[i];
        TrapEvent event = new TrapEvent(sequence, template.form(), template.pc(), template.bytes(),
                template.disassembly(), template.location(), RegisterSnapshot.of(arch, before), details.get(detail[i]));
        return new HypercallRecord(event, plugin[i] < 0 ? Optional.empty() : Optional.of(plugins.get(plugin[i])),
                outcome[i] < 0 ? Optional.empty() : Optional.of(outcomes.get(outcome[i])),
                RegisterSnapshot.of(arch, after), writes.get(applied[i]));
    }

    /**
     * The registers after a handled trap as the interceptor makes them, in place of the registers before in
     * {@code after}: the applied writes, the PC past the instruction. Only where the record says otherwise are values stored.
     */
    private static long[] expectAfter(TrapEvent site, long[] after, List<RegisterWrite> applied) {
        for (RegisterWrite w : applied) {
            after[w.register().index()] = w.applyTo(after[w.register().index()]);
        }
        after[site.arch().programCounter().index()] = site.pc() + site.length();
        return after;
    }

    /** Record {@code i}'s registers before: from the nearest record at or before it stored in full. */
    private long[] beforeOf(int i) {
        int registers = sites.get(site[i]).arch().registers().size();
        long full = fullMask(registers);
        int key = i;
        while (beforeMask[key] != full) {
            key--;
        }
        long[] regs = new long[registers];
        for (int k = key; k <= i; k++) {
            apply(beforeMask[k], regs, valueStart[k]);
        }
        return regs;
    }

    private void apply(long mask, long[] regs, int at) {
        for (long m = mask; m != 0; m &= m - 1) {
            regs[Long.numberOfTrailingZeros(m)] = values[at++];
        }
    }

    private void append(long mask, long[] regs) {
        ensureValues(Long.bitCount(mask));
        for (long m = mask; m != 0; m &= m - 1) {
            values[valueCount++] = regs[Long.numberOfTrailingZeros(m)];
        }
    }

    private void ensureValues(int n) {
        if (valueCount + n > values.length) {
            values = Arrays.copyOf(values, Math.max(values.length + (values.length >> 1), valueCount + n));
        }
    }

    private static long differing(long[] base, long[] regs) {
        long mask = 0;
        for (int r = 0; r < regs.length; r++) {
            if (base[r] != regs[r]) {
                mask |= 1L << r;
            }
        }
        return mask;
    }

    private static long fullMask(int registers) {
        if (registers > Long.SIZE) {
            throw new IllegalStateException("a register mask holds at most 64 registers, not " + registers);
        }
        return registers == Long.SIZE ? -1L : (1L << registers) - 1;
    }

    private SiteState siteOf(TrapEvent e) {
        // The site of the previous record first: a trap in a loop needs no boxed map lookup.
        SiteState s = lastSite != null && sites.get(lastSite.site).pc() == e.pc() ? lastSite : bySite.get(e.pc());
        if (s != null && sameSite(sites.get(s.site), e)) {
            lastSite = s;
            return s;
        }
        sites.add(e);
        s = new SiteState(sites.size() - 1);
        bySite.put(e.pc(), s);
        lastSite = s;
        return s;
    }

    private static boolean sameSite(TrapEvent a, TrapEvent b) {
        return a.form() == b.form() && a.arch() == b.arch() && a.disassembly().equals(b.disassembly())
                && a.location().equals(b.location()) && a.sameBytes(b);
    }

    private int pluginIndex(String name) {
        if (!plugins.isEmpty() && plugins.get(lastPlugin) == name) { // a loop answered by one plugin
            return lastPlugin;
        }
        int k = plugins.indexOf(name);
        if (k >= 0) {
            lastPlugin = k;
        }
        if (k >= 0) {
            return k;
        }
        if (plugins.size() == Byte.MAX_VALUE) {
            throw new IllegalStateException("more than " + Byte.MAX_VALUE + " plugin names in one log");
        }
        plugins.add(name);
        lastPlugin = plugins.size() - 1;
        return lastPlugin;
    }

    /** The index of {@code value}: {@code last} when the entry there is equal, else a new entry. */
    private static <T> int intern(List<T> table, int last, T value) {
        if (last >= 0 && (table.get(last) == value || table.get(last).equals(value))) {
            return last;
        }
        table.add(value);
        return table.size() - 1;
    }

    private void grow() {
        if (size < site.length) {
            return;
        }
        int n = site.length + (site.length >> 1); // 1.5x: at 100,000 records the slack is what counts
        site = Arrays.copyOf(site, n);
        plugin = Arrays.copyOf(plugin, n);
        detail = Arrays.copyOf(detail, n);
        outcome = Arrays.copyOf(outcome, n);
        applied = Arrays.copyOf(applied, n);
        beforeMask = Arrays.copyOf(beforeMask, n);
        afterMask = Arrays.copyOf(afterMask, n);
        valueStart = Arrays.copyOf(valueStart, n);
        if (sequences != null) {
            sequences = Arrays.copyOf(sequences, n);
        }
    }
}
