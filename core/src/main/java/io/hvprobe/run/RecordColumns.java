package io.hvprobe.run;

import io.hvprobe.arch.Arch;
import io.hvprobe.arch.RegisterSnapshot;
import io.hvprobe.spi.RegisterWrite;
import io.hvprobe.spi.TrapDetail;
import io.hvprobe.spi.TrapEvent;
import io.hvprobe.spi.TrapOutcome;

import java.util.ArrayList;
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
 *       detail, the applied writes and the plugin's answer (a GETVERSION loop shares one of each); a record holds
 *       one index, of the combination of them it has (its shape).</li>
 *   <li>Registers are deltas: the registers before a trap as the ones that differ from the previous record's
 *       (every {@value #KEYFRAME}th record in full, so a read decodes at most that many deltas), the registers
 *       after it as the ones that differ from what the applied writes and the PC past the trap make of them
 *       (usually none). A bit mask per record (the registers after: per shape) says which values follow.</li>
 *   <li>Columns grow by chunks ({@link IntColumn}, {@link LongColumn}), never by copying.</li>
 * </ul>
 */
final class RecordColumns {
    /** A record whose registers before are stored in full every this many records. */
    static final int KEYFRAME = 16;

    private int size;
    private long firstSequence;
    /** Sequence numbers, once one is not {@code firstSequence + index} (null while all are). */
    private LongColumn sequences;
    /** Per record: its {@link Shape}'s index, the mask of its registers before, where its values start. */
    private final IntColumn shape = new IntColumn();
    private final LongColumn beforeMask = new LongColumn();
    private final IntColumn valueStart = new IntColumn();
    private final LongColumn values = new LongColumn();

    private final List<TrapEvent> sites = new ArrayList<>();
    private final List<String> plugins = new ArrayList<>();
    private final List<TrapDetail> details = new ArrayList<>();
    private final List<TrapOutcome.Handled> outcomes = new ArrayList<>();
    private final List<List<RegisterWrite>> writes = new ArrayList<>();
    private final List<Shape> shapes = new ArrayList<>();
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

    /**
     * What a record shares with others (a GETVERSION loop's records all share one): indexes into the site, plugin,
     * detail, answer and applied-writes tables (-1: no plugin or answer), and which registers after it are stored
     * (those that differ from what the applied writes and the PC past the trap make of the registers before).
     */
    private record Shape(int site, int plugin, int detail, int outcome, int applied, long afterMask) {
    }

    private static final class SiteState {
        final int site;
        int detail = -1;
        int outcome = -1;
        int applied = -1;
        /** The shape of the site's last record. */
        int shape = -1;

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
        SiteState s = addEvent(r.event(), r.plugin(), r.outcome(), r.applied());
        System.arraycopy(before, 0, expected, 0, before.length);
        long afterMask = differing(expectAfter(r.event(), expected, r.applied()), recordAfter);
        append(afterMask, recordAfter);
        addShape(s, r.plugin(), r.outcome(), afterMask);
    }

    /**
     * Appends a record given by its parts (see {@link HypercallRecord}) whose registers after are the event's with
     * {@code appliedWrites} applied and the PC past the trap, or at it when the call does not return — as the trap
     * interceptor makes them, so nothing but that PC is compared or stored. {@code appliedWrites} must be immutable.
     */
    void add(TrapEvent e, Optional<String> plugin, Optional<TrapOutcome.Handled> answer,
             List<RegisterWrite> appliedWrites, boolean returns) {
        SiteState s = addEvent(e, plugin, answer, appliedWrites);
        long afterMask = 0;
        if (!returns) { // the PC stays at the trap
            afterMask = 1L << e.arch().programCounter().index();
            values.add(e.pc());
        }
        addShape(s, plugin, answer, afterMask);
    }

    /**
     * Appends everything of record {@link #size} but its shape and its registers after, which the caller appends
     * next. Leaves the registers before in {@link #before}; returns the record's site with its detail, answer and
     * applied writes interned.
     */
    private SiteState addEvent(TrapEvent e, Optional<String> plugin, Optional<TrapOutcome.Handled> answer,
                               List<RegisterWrite> appliedWrites) {
        int i = size;
        if (i == 0) {
            firstSequence = e.sequence();
        }
        if (sequences == null && e.sequence() != firstSequence + i) {
            sequences = new LongColumn();
            for (int k = 0; k < i; k++) {
                sequences.add(firstSequence + k);
            }
        }
        if (sequences != null) {
            sequences.add(e.sequence());
        }
        SiteState s = siteOf(e);
        s.detail = intern(details, s.detail, e.detail());
        if (answer.isPresent()) {
            s.outcome = intern(outcomes, s.outcome, answer.get());
        }
        s.applied = intern(writes, s.applied, appliedWrites);

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
        valueStart.add(values.size());
        boolean keyframe = i % KEYFRAME == 0 || arch != previousArch;
        long mask = keyframe ? fullMask(before.length) : differing(previous, before);
        beforeMask.add(mask);
        append(mask, before);
        previousArch = arch;
        return s;
    }

    /** Ends record {@link #size}: its shape, the site's last one again when nothing differs (a trap in a loop). */
    private void addShape(SiteState s, Optional<String> plugin, Optional<TrapOutcome.Handled> answer, long afterMask) {
        int pluginIndex = plugin.isPresent() ? pluginIndex(plugin.get()) : -1;
        int outcomeIndex = answer.isPresent() ? s.outcome : -1;
        Shape last = s.shape < 0 ? null : shapes.get(s.shape);
        if (last == null || last.plugin() != pluginIndex || last.detail() != s.detail || last.outcome() != outcomeIndex
                || last.applied() != s.applied || last.afterMask() != afterMask) {
            shapes.add(new Shape(s.site, pluginIndex, s.detail, outcomeIndex, s.applied, afterMask));
            s.shape = shapes.size() - 1;
        }
        shape.add(s.shape);
        if (outcomeIndex >= 0 && !outcomes.get(outcomeIndex).findings().isEmpty()) {
            withFindings.add(size);
        }
        size++;
    }

    /** The indexes of the records whose plugin answer carries findings, in order. */
    List<Integer> withFindings() {
        return withFindings;
    }

    /** Record {@code i} as the record type. */
    HypercallRecord get(int i) {
        Shape k = shapes.get(shape.get(i));
        TrapEvent template = sites.get(k.site());
        long[] before = beforeOf(i);
        long[] after = expectAfter(template, before.clone(), writes.get(k.applied()));
        int at = valueStart.get(i) + Long.bitCount(beforeMask.get(i));
        apply(k.afterMask(), after, at);
        Arch arch = template.arch();
        long sequence = sequences == null ? firstSequence + i : sequences.get(i);
        TrapEvent event = new TrapEvent(sequence, template.form(), template.pc(), template.instructionBytes(),
                template.disassembly(), template.location(), RegisterSnapshot.of(arch, before),
                details.get(k.detail()));
        return new HypercallRecord(event, k.plugin() < 0 ? Optional.empty() : Optional.of(plugins.get(k.plugin())),
                k.outcome() < 0 ? Optional.empty() : Optional.of(outcomes.get(k.outcome())),
                RegisterSnapshot.of(arch, after), writes.get(k.applied()));
    }

    /** How many registers record {@code i} holds (its architecture's). */
    int registers(int i) {
        return sites.get(shapes.get(shape.get(i)).site()).arch().registers().size();
    }

    /** Record {@code i}'s trap form. */
    io.hvprobe.spi.TrapForm form(int i) {
        return sites.get(shapes.get(shape.get(i)).site()).form();
    }

    /** The plugin's answer at record {@code i}, or null when no plugin handled the trap. */
    TrapOutcome.Handled outcomeOrNull(int i) {
        int k = shapes.get(shape.get(i)).outcome();
        return k < 0 ? null : outcomes.get(k);
    }

    /**
     * Record {@code i}'s registers before into {@code regs} (of {@link #registers}{@code (i)} values): when
     * {@code previous} is set, {@code regs} holds record {@code i - 1}'s and only the difference is applied, as a
     * reader in record order does; else from the nearest record at or before it stored in full.
     */
    void beforeInto(int i, long[] regs, boolean previous) {
        if (previous) {
            apply(beforeMask.get(i), regs, valueStart.get(i));
            return;
        }
        long full = fullMask(regs.length);
        int key = i;
        while (beforeMask.get(key) != full) {
            key--;
        }
        for (int k = key; k <= i; k++) {
            apply(beforeMask.get(k), regs, valueStart.get(k));
        }
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
        long[] regs = new long[registers(i)];
        beforeInto(i, regs, false);
        return regs;
    }

    private void apply(long mask, long[] regs, int at) {
        for (long m = mask; m != 0; m &= m - 1) {
            regs[Long.numberOfTrailingZeros(m)] = values.get(at++);
        }
    }

    private void append(long mask, long[] regs) {
        for (long m = mask; m != 0; m &= m - 1) {
            values.add(regs[Long.numberOfTrailingZeros(m)]);
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
        if (k < 0) {
            plugins.add(name);
            k = plugins.size() - 1;
        }
        lastPlugin = k;
        return k;
    }

    /** The index of {@code value}: {@code last} when the entry there is equal, else a new entry. */
    private static <T> int intern(List<T> table, int last, T value) {
        if (last >= 0 && (table.get(last) == value || table.get(last).equals(value))) {
            return last;
        }
        table.add(value);
        return table.size() - 1;
    }
}
