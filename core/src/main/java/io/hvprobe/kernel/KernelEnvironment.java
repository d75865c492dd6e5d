package io.hvprobe.kernel;

import io.hvprobe.guest.Fault;
import io.hvprobe.guest.GuestMachine;
import io.hvprobe.guest.KernelEvent;
import io.hvprobe.guest.MemoryLayout;
import io.hvprobe.guest.StubFrame;
import io.hvprobe.loader.Segment;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.OptionalLong;

/**
 * The kernel around module code: gives the stubs of the table's symbols their kernel behaviour inside one
 * {@link GuestMachine} (allocation from a bounded heap, C string and printf semantics, no-op locks, a
 * deterministic clock, user copies, log lines as {@link KernelEvent}s). Per-call state (heap, clock, jiffies)
 * starts over at every call. Symbols the table does not list keep the loader's plain stub.
 */
public final class KernelEnvironment {
    /** The thread-local {@code errno} the loader places for an image that imports {@code __errno_location}. */
    public static final String ERRNO_SYMBOL = "errno";
    /** The {@code FILE} objects {@code stdin}, {@code stdout} and {@code stderr} point at (zeroed, 1 KiB each). */
    static final long STDIN_FILE = MemoryLayout.PERCPU_BASE + 0x8000;
    static final long STDOUT_FILE = STDIN_FILE + 0x400;
    static final long STDERR_FILE = STDOUT_FILE + 0x400;

    /** Heap bytes when nothing else is configured. */
    public static final long DEFAULT_HEAP_SIZE = 16L << 20;

    private final GuestMachine machine;
    private final GuestMemory memory;
    private final KernelHeap heap;
    private final KernelClock clock = new KernelClock();
    private final Formatter formatter;
    private final List<Long> jiffiesCells = new ArrayList<>();
    private final List<String> installed = new ArrayList<>();
    private final CLibrary cLibrary;

    private KernelEnvironment(GuestMachine machine, long heapSize, List<String> environment) {
        this.machine = machine;
        this.memory = new GuestMemory(machine);
        this.heap = new KernelHeap(MemoryLayout.KERNEL_HEAP_BASE, heapSize);
        this.formatter = new Formatter(memory, machine.arch(), machine::symbolize);
        this.cLibrary = new CLibrary(machine, memory, bytes -> heap.allocate(bytes).orElse(0), environment);
    }

    /**
     * Maps the heap into {@code machine} and installs the behaviour of every table entry the image calls.
     *
     * @param machine the machine holding the loaded image; its memory and stub handlers are changed
     * @param table   the behaviour of each external function
     * @param heapSize bytes of kernel heap: a positive multiple of 4 KiB up to {@link MemoryLayout#MAX_KERNEL_HEAP}
     * @return the installed environment, owning the heap; empty environment variables
     * @throws IllegalArgumentException for a bad heap size or an image that overlaps the heap area
     */
    public static KernelEnvironment install(GuestMachine machine, KernelTable table, long heapSize) {
        return install(machine, table, heapSize, List.of());
    }

    /**
     * As {@link #install(GuestMachine, KernelTable, long)}, with the C library's environment: {@code KEY=VALUE}
     * strings {@code getenv} answers from (the first of a key wins); every other variable is unset.
     *
     * @param machine     the machine holding the loaded image; its memory and stub handlers are changed
     * @param table       the behaviour of each external function
     * @param heapSize    bytes of kernel heap: a positive multiple of 4 KiB up to {@link MemoryLayout#MAX_KERNEL_HEAP}
     * @param environment {@code KEY=VALUE} strings (copied)
     * @return the installed environment
     * @throws IllegalArgumentException for a bad heap size or an image that overlaps the heap area
     */
    public static KernelEnvironment install(GuestMachine machine, KernelTable table, long heapSize,
                                            List<String> environment) {
        if (heapSize <= 0 || (heapSize & 0xfff) != 0 || heapSize > MemoryLayout.MAX_KERNEL_HEAP) {
            throw new IllegalArgumentException("kernel heap size must be a positive multiple of 4 KiB up to "
                    + MemoryLayout.MAX_KERNEL_HEAP + " bytes");
        }
        for (Segment s : machine.image().segments()) {
            if (s.size() > 0 && Long.compareUnsigned(s.address(), MemoryLayout.KERNEL_HEAP_BASE + heapSize) < 0
                    && Long.compareUnsigned(MemoryLayout.KERNEL_HEAP_BASE, s.address() + s.size()) < 0) {
                throw new IllegalArgumentException(String.format(Locale.ROOT,
                        "%s: segment %s at 0x%x overlaps the kernel heap at 0x%x; load the image at another base",
                        machine.image().name(), s.name(), s.address(), MemoryLayout.KERNEL_HEAP_BASE));
            }
        }
        for (String kv : environment) {
            if (kv.indexOf('=') <= 0) {
                throw new IllegalArgumentException("environment entry '" + kv + "' is not KEY=VALUE");
            }
        }
        KernelEnvironment env = new KernelEnvironment(machine, heapSize, environment);
        machine.mapReadWrite(MemoryLayout.KERNEL_HEAP_BASE, heapSize);
        for (String cell : List.of("jiffies", "jiffies_64")) {
            machine.image().address(cell).ifPresent(env.jiffiesCells::add);
        }
        env.publishStreams();
        for (StubEntry e : table.entries().values()) {
            if (machine.setStubHandler(e.symbol(), (m, frame) -> env.call(e, frame))) {
                env.installed.add(e.symbol());
            }
        }
        machine.addCallStartListener(env::startCall);
        return env;
    }

    /**
     * The loaded objects' destructors ({@code DT_FINI_ARRAY}, {@code DT_FINI}), which {@code exit} runs in this
     * order after the {@code atexit} handlers; {@code _exit} runs none.
     *
     * @param destructors destructor addresses, in the order {@code exit} runs them
     * @return this environment
     */
    public KernelEnvironment runAtExit(List<Long> destructors) {
        cLibrary.runAtExit(destructors);
        return this;
    }

    /** {@return the table symbols this image calls and that now behave as in a kernel, in table order} */
    public List<String> installed() {
        return List.copyOf(installed);
    }

    private void startCall() {
        long used = heap.reset();
        for (long off = 0; off < used; off += MemoryLayout.PAGE * 16) {
            machine.write(heap.base() + off, new byte[(int) Math.min(MemoryLayout.PAGE * 16, used - off)]);
        }
        clock.reset();
        cLibrary.startCall();
        publishJiffies();
    }

    private long call(StubEntry e, StubFrame f) {
        try {
            return behave(e, f);
        } catch (GuestAccessException x) {
            machine.stop(machine.faultHere(Fault.Kind.UNMAPPED_ACCESS, x.address(),
                    f.name() + " called from " + f.caller() + ": " + x.getMessage()));
            return 0;
        }
    }

    private long behave(StubEntry e, StubFrame f) {
        return switch (e.behaviour()) {
            case RETURN -> e.value();
            case ALLOC -> {
                long size = arg(e, f, "size");
                OptionalLong count = e.role("count").stream().mapToLong(f::argument).findFirst();
                long bytes = count.isEmpty() ? size : multiply(count.getAsLong(), size);
                yield allocate(bytes, f);
            }
            case REALLOC -> realloc(arg(e, f, "pointer"), arg(e, f, "size"), f);
            case FREE -> {
                free(arg(e, f, "pointer"), f);
                yield 0;
            }
            case STRDUP -> {
                long s = arg(e, f, "string");
                if (s == 0) {
                    yield 0;
                }
                long limit = e.role("limit").isPresent() ? arg(e, f, "limit") : GuestMemory.MAX_STRING;
                yield copyToHeap(terminated(memory.cString(s, limit)), f);
            }
            case MEMDUP -> copyToHeap(memory.read(arg(e, f, "source"), arg(e, f, "size")), f);
            case ASPRINTF -> {
                byte[] text = format(e, f);
                long block = copyToHeap(terminated(text), f);
                if (e.role("dest").isEmpty()) {
                    yield block;
                }
                memory.write(arg(e, f, "dest"), ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putLong(block)
                        .array());
                yield block == 0 ? -1 : text.length;
            }
            case SNPRINTF, SCNPRINTF -> {
                byte[] text = format(e, f);
                long limit = arg(e, f, "limit");
                int written = limit <= 0 ? 0 : (int) Math.min(text.length, Math.min(limit, Integer.MAX_VALUE) - 1);
                if (limit > 0) {
                    memory.write(arg(e, f, "buffer"), terminated(Arrays.copyOf(text, written)));
                }
                yield e.behaviour() == Behaviour.SNPRINTF ? text.length : written;
            }
            case SPRINTF -> {
                byte[] text = format(e, f);
                memory.write(arg(e, f, "buffer"), terminated(text));
                yield text.length;
            }
            case STRSCPY -> strscpy(arg(e, f, "dest"), arg(e, f, "source"), arg(e, f, "limit"));
            case STRLEN -> memory.cString(arg(e, f, "string"), GuestMemory.MAX_STRING).length;
            case STRNLEN -> memory.cString(arg(e, f, "string"), arg(e, f, "limit")).length;
            case STRCMP -> {
                long limit = e.role("limit").isPresent() ? arg(e, f, "limit") : GuestMemory.MAX_STRING;
                yield compare(terminated(memory.cString(arg(e, f, "first"), limit)),
                        terminated(memory.cString(arg(e, f, "second"), limit)), limit);
            }
            case MEMCPY -> {
                long dest = arg(e, f, "dest");
                memory.write(dest, memory.read(arg(e, f, "source"), arg(e, f, "size")));
                yield dest;
            }
            case MEMSET -> {
                long dest = arg(e, f, "dest");
                long size = arg(e, f, "size");
                memory.read(dest, size); // bounds and mapping first
                byte[] fill = new byte[(int) size];
                Arrays.fill(fill, (byte) arg(e, f, "fill"));
                memory.write(dest, fill);
                yield dest;
            }
            case MEMCMP -> {
                long size = arg(e, f, "size");
                yield compare(memory.read(arg(e, f, "first"), size), memory.read(arg(e, f, "second"), size), size);
            }
            case LOG -> {
                log(KernelEvent.Kind.LOG, level(e, f), format(e, f), f);
                yield 0;
            }
            case WARN_LOG -> {
                log(KernelEvent.Kind.WARN, "", format(e, f), f);
                yield 0;
            }
            case DELAY -> {
                long amount = arg(e, f, "amount");
                clock.advance(Math.multiplyHigh(amount, e.scale()) != 0 ? Long.MAX_VALUE
                        : amount * e.scale() / e.divisor());
                publishJiffies();
                yield 0;
            }
            case CLOCK -> {
                long t = clock.read() / e.scale();
                publishJiffies();
                yield t;
            }
            case CLOCK_TIMESPEC -> {
                long t = clock.read();
                publishJiffies();
                memory.write(arg(e, f, "dest"), ByteBuffer.allocate(16).order(ByteOrder.LITTLE_ENDIAN)
                        .putLong(t / 1_000_000_000L).putLong(t % 1_000_000_000L).array());
                yield 0;
            }
            case ERRNO -> machine.image().address(ERRNO_SYMBOL).orElse(0);
            case PRINT -> {
                byte[] text = format(e, f);
                output(stream(e, f), text, f);
                yield text.length;
            }
            case PUTS -> {
                byte[] text = memory.cString(arg(e, f, "string"), GuestMemory.MAX_STRING);
                output(stream(e, f), e.level().equals("no-newline") ? text : terminatedLine(text), f);
                yield 1;
            }
            case WRITE -> {
                long count = arg(e, f, "count");
                output(stream(e, f), memory.read(arg(e, f, "source"), multiply(arg(e, f, "size"), count)), f);
                yield count;
            }
            case START_MAIN -> cLibrary.startMain(e, f);
            case EXIT -> cLibrary.exit(e, f);
            case ATEXIT -> cLibrary.atexit(e, f);
            case SETJMP -> cLibrary.setjmp(e, f);
            case LONGJMP -> cLibrary.longjmp(e, f);
            case STRTOL -> cLibrary.strtol(e, f);
            case GETENV -> cLibrary.getenv(e, f);
            case SIGSET -> cLibrary.sigset(e, f);
            case SIGACTION -> cLibrary.sigaction(e, f);
            case STRCHR -> cLibrary.strchr(e, f);
            case MEMCHR -> cLibrary.memchr(e, f);
            case STRSTR -> cLibrary.strstr(e, f);
            case STRCPY -> cLibrary.strcpy(e, f);
            case CTYPE -> cLibrary.ctype();
            case COPY_USER -> {
                long size = arg(e, f, "size");
                long dest = arg(e, f, "dest");
                if (!memory.readable(arg(e, f, "source"), size) || !memory.readable(dest, size)) {
                    yield size; // nothing copied, as a kernel reports a fault on user memory
                }
                memory.write(dest, memory.read(arg(e, f, "source"), size));
                yield 0;
            }
        };
    }

    /**
     * Standard error when the entry says so or its {@code stream} argument is the {@code stderr} FILE, else standard
     * output.
     */
    private KernelEvent.Kind stream(StubEntry e, StubFrame f) {
        if (e.level().equals("stderr")) {
            return KernelEvent.Kind.STDERR;
        }
        return e.role("stream").isPresent() && f.argument(e.role("stream").getAsInt()) == STDERR_FILE
                ? KernelEvent.Kind.STDERR : KernelEvent.Kind.STDOUT;
    }

    /** One event per line the guest wrote (a last unterminated line too). */
    private void output(KernelEvent.Kind kind, byte[] text, StubFrame f) {
        String all = new String(text, StandardCharsets.ISO_8859_1);
        for (String line : all.split("\n", -1)) {
            if (!line.isEmpty()) {
                machine.record(new KernelEvent(kind, f.caller(), line.replaceAll("[\\p{Cntrl}]", "?")));
            }
        }
    }

    private static byte[] terminatedLine(byte[] s) {
        byte[] out = Arrays.copyOf(s, s.length + 1);
        out[s.length] = '\n';
        return out;
    }

    private static long arg(StubEntry e, StubFrame f, String role) {
        return f.argument(e.required(role));
    }

    private static long multiply(long a, long b) {
        long high = Math.unsignedMultiplyHigh(a, b);
        return high != 0 ? -1 : a * b; // -1: larger than any heap, so the allocation fails
    }

    private long allocate(long bytes, StubFrame f) {
        OptionalLong at = heap.allocate(bytes);
        if (at.isEmpty()) {
            machine.record(new KernelEvent(KernelEvent.Kind.HEAP, f.caller(), String.format(Locale.ROOT,
                    "%s(%s) refused: the %d-byte kernel heap has no room; returned NULL", f.name(),
                    Long.toUnsignedString(bytes), heap.size())));
        }
        return at.orElse(0);
    }

    private long realloc(long pointer, long size, StubFrame f) {
        if (pointer == 0 || pointer == KernelHeap.ZERO_SIZE_PTR) {
            return allocate(size, f);
        }
        OptionalLong old = heap.sizeOf(pointer);
        if (old.isEmpty()) {
            machine.record(new KernelEvent(KernelEvent.Kind.HEAP, f.caller(), String.format(Locale.ROOT,
                    "%s of 0x%x, which the kernel heap did not hand out (or already freed); returned NULL",
                    f.name(), pointer)));
            return 0;
        }
        if (size == 0) {
            heap.free(pointer);
            return KernelHeap.ZERO_SIZE_PTR;
        }
        long fresh = allocate(size, f);
        if (fresh != 0) {
            memory.write(fresh, memory.read(pointer, Math.min(old.getAsLong(), size)));
            heap.free(pointer);
        }
        return fresh;
    }

    private void free(long pointer, StubFrame f) {
        if (pointer == 0 || pointer == KernelHeap.ZERO_SIZE_PTR || heap.free(pointer)) {
            return;
        }
        machine.record(new KernelEvent(KernelEvent.Kind.HEAP, f.caller(), String.format(Locale.ROOT,
                "%s of 0x%x, which the kernel heap did not hand out (or already freed)", f.name(), pointer)));
    }

    private long copyToHeap(byte[] bytes, StubFrame f) {
        long at = allocate(bytes.length, f);
        if (at != 0) {
            memory.write(at, bytes);
        }
        return at;
    }

    private long strscpy(long dest, long source, long limit) {
        if (limit <= 0 || limit > Integer.MAX_VALUE) {
            return -7; // -E2BIG, as the kernel answers a zero or absurd size
        }
        byte[] s = memory.cString(source, limit);
        if (s.length < limit) {
            memory.write(dest, terminated(s));
            return s.length;
        }
        memory.write(dest, terminated(Arrays.copyOf(s, (int) limit - 1)));
        return -7;
    }

    /** C comparison of at most {@code limit} bytes: the sign of the first differing unsigned byte. */
    private static long compare(byte[] a, byte[] b, long limit) {
        int n = (int) Math.min(Math.min(a.length, b.length), limit);
        for (int i = 0; i < n; i++) {
            int d = (a[i] & 0xFF) - (b[i] & 0xFF);
            if (d != 0) {
                return d < 0 ? -1 : 1;
            }
        }
        return 0;
    }

    private byte[] format(StubEntry e, StubFrame f) {
        int fmt = e.required("format");
        VarArgs args = e.role("valist").isPresent()
                ? VarArgs.ofVaList(machine.arch(), f.argument(e.required("valist")), memory)
                : VarArgs.ofCall(f, fmt + 1, memory);
        return formatter.format(f.argument(fmt), args);
    }

    private String level(StubEntry e, StubFrame f) {
        if (e.role("levelArg").isPresent()) {
            long p = f.argument(e.role("levelArg").getAsInt());
            return p == 0 ? "" : kernLevel(memory.cString(p, 8)).orElse("");
        }
        return e.level();
    }

    private void log(KernelEvent.Kind kind, String level, byte[] text, StubFrame f) {
        String line = new String(text, StandardCharsets.ISO_8859_1);
        // printk's KERN_<LEVEL> prefix: SOH and a digit.
        while (line.length() >= 2 && line.charAt(0) == '\u0001') {
            String l = kernLevel(line.substring(0, 2).getBytes(StandardCharsets.ISO_8859_1)).orElse("");
            level = level.isEmpty() ? l : level;
            line = line.substring(2);
        }
        line = line.strip().replaceAll("[\\p{Cntrl}]", "?");
        machine.record(new KernelEvent(kind, f.caller(), (level.isEmpty() ? "" : level + ": ") + line));
    }

    private static java.util.Optional<String> kernLevel(byte[] prefix) {
        if (prefix.length < 2 || prefix[0] != 1) {
            return java.util.Optional.empty();
        }
        List<String> names = List.of("emerg", "alert", "crit", "err", "warn", "notice", "info", "debug");
        int d = prefix[1] - '0';
        return d >= 0 && d < names.size() ? java.util.Optional.of(names.get(d)) : java.util.Optional.empty();
    }

    /** Points the C library's {@code stdin}/{@code stdout}/{@code stderr} variables, if imported, at their FILEs. */
    private void publishStreams() {
        List<String> names = List.of("stdin", "stdout", "stderr");
        List<Long> files = List.of(STDIN_FILE, STDOUT_FILE, STDERR_FILE);
        for (int i = 0; i < names.size(); i++) {
            long file = files.get(i);
            machine.image().address(names.get(i)).ifPresent(cell -> {
                try {
                    machine.write(cell, ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putLong(file).array());
                } catch (RuntimeException notWritable) {
                    // A stream variable the image defines in read-only memory: leave it.
                }
            });
        }
    }

    private void publishJiffies() {
        byte[] v = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putLong(clock.jiffies()).array();
        for (long cell : jiffiesCells) {
            try {
                machine.write(cell, v);
            } catch (RuntimeException notWritable) {
                // A jiffies the image defines in read-only memory: leave it.
            }
        }
    }

    private static byte[] terminated(byte[] s) {
        return Arrays.copyOf(s, s.length + 1);
    }
}
