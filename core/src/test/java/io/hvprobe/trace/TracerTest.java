package io.hvprobe.trace;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.hvprobe.arch.Arch;
import io.hvprobe.arch.GuestRegister;
import io.hvprobe.elf.Toolchain;
import io.hvprobe.guest.Argument;
import io.hvprobe.guest.CallResult;
import io.hvprobe.guest.GuestCall;
import io.hvprobe.guest.GuestMachine;
import io.hvprobe.guest.MachineOptions;
import io.hvprobe.loader.ImageLoader;
import io.hvprobe.loader.LoadOptions;
import io.hvprobe.spi.HypervisorSession;
import io.hvprobe.spi.RegisterContract;
import io.hvprobe.spi.RegisterWrite;
import io.hvprobe.spi.TrapEvent;
import io.hvprobe.spi.TrapOutcome;
import io.hvprobe.trap.CpuModel;
import io.hvprobe.trap.TrapInterceptor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;

/** Traces small compiled functions with a hand-written hypervisor session answering every trap. */
class TracerTest {

    private static final String SOURCE = """
            #if defined(__x86_64__)
            #define TRAP "in %%dx, %%eax"
            #define A "a"
            #define B "b"
            #define C "c"
            #define D "d"
            #else
            #define TRAP "mrs xzr, mdccsr_el0"
            #endif
            unsigned long hc(unsigned long cmd) {
            #if defined(__x86_64__)
                unsigned long a = 0x564D5868, b = ~0ul, c = cmd, d = 0x5658;
                __asm__ volatile(TRAP : "+a"(a), "+b"(b), "+c"(c), "+d"(d) :: "memory");
            #else
                register unsigned long a __asm__("x0") = 0x564D5868;
                register unsigned long b __asm__("x1") = ~0ul;
                register unsigned long c __asm__("x2") = cmd;
                register unsigned long d __asm__("x3") = 0x5658;
                __asm__ volatile(TRAP : "+r"(a), "+r"(b), "+r"(c), "+r"(d) :: "memory");
            #endif
                return a + b;
            }
            unsigned long spin(unsigned long n) {
                unsigned long s = 0;
                for (unsigned long i = 0; i < n; i++) { s += i; __asm__ volatile("" : "+r"(s)); }
                return s;
            }
            int store(volatile int *p) { p[0] = 0x11223344; p[1] = 2; return 3; }
            unsigned long mixed(unsigned long n, volatile unsigned long *p) {
                unsigned long s = 0;
                for (unsigned long i = 0; i < n; i++) { s += hc(i); p[i & 3] = s; }
                return s;
            }
            unsigned long late_fault(unsigned long n, volatile unsigned long *p) {
                return spin(n) + *p;
            }
            """;

    @TempDir
    Path dir;

    /** Answers every trap: first register = 6, second = the magic; contract reads the first and third. */
    private enum Stateless implements io.hvprobe.spi.SessionState { INSTANCE }

    private static final class FixedSession implements HypervisorSession {
        @Override
        public String profile() {
            return "fixed";
        }

        /** Answers the same to every trap: nothing to capture. */
        @Override
        public io.hvprobe.spi.SessionState capture() {
            return Stateless.INSTANCE;
        }

        @Override
        public void restore(io.hvprobe.spi.SessionState state) {
        }

        @Override
        public TrapOutcome handle(TrapEvent event, io.hvprobe.spi.GuestMemoryView memory) {
            List<? extends GuestRegister> regs = event.arch().registers();
            RegisterContract contract = RegisterContract.builder("TEST", event.arch())
                    .written(regs.get(0), 0xFFFF_FFFFL, 32, "magic / out0")
                    .written(regs.get(1), 0, 32, "out1")
                    .input(regs.get(2), 0xFFFF_FFFFL, "command").build();
            return new TrapOutcome.Handled("TEST", List.of(RegisterWrite.w32(regs.get(0), 6),
                    RegisterWrite.w32(regs.get(1), 0x564D5868)), List.of(), List.of(), Optional.of(contract),
                    "answer=6");
        }
    }

    private GuestMachine machine(Toolchain tc) throws Exception {
        tc.requireAvailable();
        Path src = dir.resolve("t.c");
        Files.writeString(src, SOURCE, StandardCharsets.UTF_8);
        Path obj = dir.resolve("t-" + tc.name() + ".o");
        if (Files.exists(obj)) {
            return GuestMachine.create(ImageLoader.load(obj, LoadOptions.defaults()), MachineOptions.defaults());
        }
        List<String> cmd = new ArrayList<>(switch (tc) {
            case GCC_X86_64 -> List.of("gcc");
            case CLANG_X86_64 -> List.of("clang");
            case GCC_ARM64 -> List.of("aarch64-linux-gnu-gcc");
            case CLANG_ARM64 -> List.of("clang", "--target=aarch64-linux-gnu");
        });
        cmd.addAll(List.of("-c", "-O2", "-fno-pic", "-ffreestanding", "-fno-stack-protector",
                src.toString(), "-o", obj.toString()));
        Toolchain.run(cmd);
        return GuestMachine.create(ImageLoader.load(obj, LoadOptions.defaults()), MachineOptions.defaults());
    }

    private record Traced(String output, TraceEnd end, CallResult result) {
    }

    /** Attaches a fresh interceptor: use each machine for one trace only. */
    private static Traced trace(GuestMachine m, GuestCall call, TraceOptions options, boolean json) throws Exception {
        return trace(m, call, options, json, TracePipeline.THRESHOLD);
    }

    /** As above, with the writer's work on a second thread after {@code pipelineThreshold} sink calls. */
    private static Traced trace(GuestMachine m, GuestCall call, TraceOptions options, boolean json,
                                long pipelineThreshold) throws Exception {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (TraceSink sink = json ? TraceWriters.jsonl(bytes) : TraceWriters.text(bytes)) {
            Traced t = trace(m, call, options, sink, pipelineThreshold);
            return new Traced(bytes.toString(StandardCharsets.UTF_8), t.end(), t.result());
        }
    }

    private static Traced trace(GuestMachine m, GuestCall call, TraceOptions options, TraceSink sink,
                                long pipelineThreshold) throws Exception {
        TrapInterceptor interceptor = TrapInterceptor.attach(m,
                List.of(new TrapInterceptor.PluginSession("fixed", new FixedSession())), CpuModel.defaults());
        Tracer t = Tracer.attach(m, interceptor, new TraceSink.TraceStart("t.o", call.function(), m.arch(), options),
                sink, pipelineThreshold);
        CallResult r = m.call(call);
        return new Traced("", t.detach(r), r);
    }

    private static List<JsonNode> lines(String jsonl) throws Exception {
        ObjectMapper m = new ObjectMapper();
        List<JsonNode> out = new ArrayList<>();
        for (String line : jsonl.split("\n")) {
            out.add(m.readTree(line));
        }
        return out;
    }

    @ParameterizedTest
    @EnumSource(Toolchain.class)
    void theTrapLineCarriesTheHypervisorsChangesBetweenEnterAndExitRecords(Toolchain tc) throws Exception {
        try (GuestMachine m = machine(tc)) {
            Traced t = trace(m, GuestCall.of("hc", 10), TraceOptions.defaults(), true);
            List<JsonNode> lines = lines(t.output());
            assertThat(lines.getFirst().get("type").asText()).isEqualTo("start");
            assertThat(lines.get(1).get("type").asText()).isEqualTo("entry");
            assertThat(lines.getLast().get("type").asText()).isEqualTo("end");
            assertThat(lines.getLast().get("status").asText()).isEqualTo("returned");
            assertThat(lines.getLast().get("return").asText()).isEqualTo("0x564d586e");

            int enter = -1;
            for (int i = 0; i < lines.size(); i++) {
                if (lines.get(i).path("phase").asText().equals("enter")) {
                    enter = i;
                }
            }
            assertThat(enter).isPositive();
            JsonNode trap = lines.get(enter + 1);
            JsonNode exit = lines.get(enter + 2);
            assertThat(trap.get("type").asText()).isEqualTo("insn");
            assertThat(trap.get("asm").asText()).containsAnyOf("in ", "mrs");
            String r0 = m.arch().registers().get(0).displayName();
            String r1 = m.arch().registers().get(1).displayName();
            String r2 = m.arch().registers().get(2).displayName();
            // Pre-state from the event: the inputs show the magic and the command.
            assertThat(lines.get(enter).get("inputs").get(r0).asText()).isEqualTo("0x564d5868");
            assertThat(lines.get(enter).get("inputs").get(r2).asText()).isEqualTo("0xa");
            // Post-state from the record: the trap line shows exactly the hypervisor's writes.
            assertThat(trap.get("regs").get(r0).asText()).isEqualTo("0x6");
            assertThat(trap.get("regs").get(r1).asText()).isEqualTo("0x564d5868");
            assertThat(trap.get("regs").size()).isEqualTo(2);
            assertThat(exit.get("phase").asText()).isEqualTo("exit");
            assertThat(exit.get("changed").get(r0).asText()).isEqualTo("0x6");
            // Each executed instruction appears exactly once: indexes are 0..n-1 without gaps.
            long expected = 0;
            for (JsonNode n : lines) {
                if (n.get("type").asText().equals("insn")) {
                    assertThat(n.get("i").asLong()).isEqualTo(expected++);
                }
            }
            assertThat(t.end().instructions()).isEqualTo(expected);
            assertThat(t.end().hypercalls()).isEqualTo(1);
        }
    }

    @ParameterizedTest
    @EnumSource(value = Toolchain.class, names = {"GCC_X86_64", "GCC_ARM64"})
    void tracesAreByteIdenticalAcrossFreshMachines(Toolchain tc) throws Exception {
        String first;
        String second;
        try (GuestMachine m = machine(tc)) {
            first = trace(m, GuestCall.of("hc", 3), TraceOptions.defaults().withMemory(true), false).output();
        }
        try (GuestMachine m = machine(tc)) {
            second = trace(m, GuestCall.of("hc", 3), TraceOptions.defaults().withMemory(true), false).output();
        }
        assertThat(first).isEqualTo(second).contains(">> hypercall 0: TEST via ").contains("<< hypercall 0: TEST");
    }

    @Test
    void theLimitStopsTheCallCleanlyAfterExactlyNInstructions() throws Exception {
        try (GuestMachine m = machine(Toolchain.GCC_X86_64)) {
            Traced t = trace(m, GuestCall.of("spin", 1_000_000), TraceOptions.defaults().withLimit(25), false);
            long insnLines = t.output().lines().filter(l -> !l.startsWith("#") && !l.startsWith("        ")).count();
            assertThat(insnLines).isEqualTo(25);
            assertThat(t.end().limitReached()).isTrue();
            assertThat(t.end().instructions()).isEqualTo(25);
            assertThat(t.output().lines().toList().getLast())
                    .startsWith("# end: stopped cleanly at the trace limit of 25 instructions");
        }
    }

    @ParameterizedTest
    @EnumSource(value = Toolchain.class, names = {"GCC_X86_64", "GCC_ARM64"})
    void aLimitJustBeforeATrapStopsWithoutTracingIt(Toolchain tc) throws Exception {
        int trapIndex;
        try (GuestMachine m = machine(tc)) {
            List<JsonNode> lines = lines(trace(m, GuestCall.of("hc", 1), TraceOptions.defaults(), true).output());
            trapIndex = lines.stream().filter(n -> n.path("phase").asText().equals("enter")).findFirst()
                    .map(n -> lines.get(lines.indexOf(n) + 1).get("i").asInt()).orElseThrow();
        }
        try (GuestMachine m = machine(tc)) {
            Traced t = trace(m, GuestCall.of("hc", 1), TraceOptions.defaults().withLimit(trapIndex), true);
            List<JsonNode> lines = lines(t.output());
            assertThat(lines.stream().filter(n -> n.get("type").asText().equals("insn"))).hasSize(trapIndex);
            assertThat(lines.stream().filter(n -> n.get("type").asText().equals("hypercall"))).isEmpty();
            assertThat(t.end().instructions()).isEqualTo(trapIndex);
            assertThat(t.end().hypercalls()).isZero();
            assertThat(lines.getLast().get("status").asText()).isEqualTo("limit");
        }
    }

    @Test
    void memoryTracingListsEachStoreWithAddressSizeAndValue() throws Exception {
        try (GuestMachine m = machine(Toolchain.GCC_X86_64)) {
            Traced t = trace(m, new GuestCall("store", List.of(Argument.Buffer.zeroed(8))),
                    TraceOptions.defaults().withMemory(true), true);
            List<JsonNode> mems = new ArrayList<>();
            for (JsonNode n : lines(t.output())) {
                n.path("mem").forEach(mems::add);
            }
            assertThat(mems).extracting(n -> n.get("value").asText()).contains("0x11223344", "0x2");
            assertThat(mems).allSatisfy(n -> assertThat(n.get("size").asInt()).isEqualTo(4));
            assertThat(t.result().buffers().getFirst()).containsExactly(0x44, 0x33, 0x22, 0x11, 2, 0, 0, 0);
        }
    }

    @Test
    void hypercallsOnlyCountsEveryInstructionButPrintsOnlyHypercalls() throws Exception {
        try (GuestMachine m = machine(Toolchain.GCC_X86_64);
             GuestMachine m2 = machine(Toolchain.GCC_X86_64)) {
            Traced all = trace(m, GuestCall.of("hc", 1), TraceOptions.defaults(), false);
            Traced only = trace(m2, GuestCall.of("hc", 1), TraceOptions.defaults().withHypercallsOnly(true), false);
            assertThat(all.end().instructions()).isEqualTo(9); // push, 4 x mov, in, add, pop, ret
            assertThat(only.end().instructions()).isEqualTo(all.end().instructions());
            assertThat(only.output().lines().filter(l -> !l.startsWith("#")))
                    .allMatch(l -> l.startsWith("        >>") || l.startsWith("        <<")).hasSize(2);
        }
    }

    @Test
    void allRegistersModeListsEveryRegisterButThePc() throws Exception {
        try (GuestMachine m = machine(Toolchain.GCC_X86_64)) {
            Traced t = trace(m, GuestCall.of("spin", 2), TraceOptions.defaults().withRegisters(RegisterMode.ALL),
                    true);
            JsonNode insn = lines(t.output()).stream().filter(n -> n.get("type").asText().equals("insn"))
                    .findFirst().orElseThrow();
            assertThat(insn.get("regs").size()).isEqualTo(Arch.X86_64.registers().size() - 1);
            assertThat(insn.get("regs").has("rip")).isFalse();
        }
    }

    @ParameterizedTest
    @EnumSource(value = Toolchain.class, names = {"GCC_X86_64", "GCC_ARM64"})
    void aTraceWrittenOnASecondThreadIsByteIdenticalToOneWrittenOnTheEmulatingThread(Toolchain tc)
            throws Exception {
        GuestCall call = new GuestCall("mixed", List.of(new Argument.Value(400), Argument.Buffer.zeroed(32)));
        List<TraceOptions> options = List.of(TraceOptions.defaults().withMemory(true),
                TraceOptions.defaults().withRegisters(RegisterMode.ALL).withLimit(3000));
        for (TraceOptions o : options) {
            for (boolean json : new boolean[] {true, false}) {
                String direct;
                try (GuestMachine m = machine(tc)) {
                    direct = trace(m, call, o, json, Long.MAX_VALUE).output();
                }
                // From the first call, and switching part-way through (between a hypercall's records, too).
                for (long threshold : new long[] {0, 1001}) {
                    try (GuestMachine m = machine(tc)) {
                        assertThat(trace(m, call, o, json, threshold).output()).isEqualTo(direct);
                    }
                }
                assertThat(direct).contains("0x564d5868");
                assertThat(writerThreads()).isEmpty();
            }
        }
    }

    @Test
    void aGuestThatFaultsLateEndsItsTraceTheSameWayWithTheWriterOnASecondThread() throws Exception {
        GuestCall call = new GuestCall("late_fault", List.of(new Argument.Value(3000), new Argument.Value(8)));
        String direct;
        try (GuestMachine m = machine(Toolchain.GCC_X86_64)) {
            direct = trace(m, call, TraceOptions.defaults(), true, Long.MAX_VALUE).output();
        }
        try (GuestMachine m = machine(Toolchain.GCC_X86_64)) {
            Traced piped = trace(m, call, TraceOptions.defaults(), true, 0);
            assertThat(piped.result()).isInstanceOf(CallResult.Faulted.class);
            assertThat(piped.end().instructions()).isGreaterThan(9000);
            assertThat(piped.output()).isEqualTo(direct).contains("\"status\":\"faulted\"");
        }
    }

    @Test
    void aWriteErrorOnTheWriterThreadEndsTheCallWithTheSameExceptionAsWithoutIt() throws Exception {
        List<List<Class<?>>> chains = new ArrayList<>();
        for (long threshold : new long[] {Long.MAX_VALUE, 0}) {
            TraceSink sink = TraceWriters.jsonl(new FullDisk(200_000));
            try (GuestMachine m = machine(Toolchain.GCC_X86_64)) {
                Throwable thrown = org.assertj.core.api.Assertions.catchThrowable(
                        () -> trace(m, GuestCall.of("spin", 1_000_000), TraceOptions.defaults(), sink, threshold));
                List<Class<?>> chain = new ArrayList<>();
                for (Throwable c = thrown; c != null; c = c.getCause()) {
                    chain.add(c.getClass());
                }
                assertThat(chain).last().isEqualTo(java.io.IOException.class);
                // The rest of the buffer cannot be written either.
                assertThat(org.assertj.core.api.Assertions.catchThrowable(sink::close))
                        .hasRootCauseMessage("No space left on device");
                chains.add(chain);
            }
        }
        assertThat(chains.get(1)).isEqualTo(chains.get(0));
        assertThat(writerThreads()).isEmpty();
    }

    @Test
    void aSinkFailureOnTheWriterThreadIsThrownByTheCallersThread() throws Exception {
        IllegalStateException boom = new IllegalStateException("formatter failed");
        TraceSink failing = new FailingAt(5000, boom);
        try (GuestMachine m = machine(Toolchain.GCC_ARM64)) {
            Throwable thrown = org.assertj.core.api.Assertions.catchThrowable(
                    () -> trace(m, GuestCall.of("spin", 1_000_000), TraceOptions.defaults(), failing, 0));
            assertThat(thrown).hasCauseReference(boom);
        }
        assertThat(writerThreads()).isEmpty();
    }

    /** The pipeline's threads still alive. */
    private static List<Thread> writerThreads() {
        return Thread.getAllStackTraces().keySet().stream().filter(t -> t.getName().equals("hvprobe-trace-writer"))
                .toList();
    }

    /** Discards everything and throws {@code failure} at instruction {@code index}. */
    private record FailingAt(long index, RuntimeException failure) implements TraceSink {
        @Override
        public void instruction(long i, InstructionInfo insn, long[] before, long[] after, MemoryWrites writes) {
            if (i == index) {
                throw failure;
            }
        }

        @Override
        public void start(TraceStart start) {
        }

        @Override
        public void entry(long[] registers) {
        }

        @Override
        public void hypercallEnter(HypercallDigest call) {
        }

        @Override
        public void hypercallExit(HypercallDigest call) {
        }

        @Override
        public void end(TraceEnd end) {
        }

        @Override
        public void close() {
        }
    }

    /** A stream that fails as a full disk does once {@code room} bytes were written. */
    private static final class FullDisk extends java.io.OutputStream {
        private long room;

        FullDisk(long room) {
            this.room = room;
        }

        @Override
        public void write(int b) throws java.io.IOException {
            write(new byte[] {(byte) b}, 0, 1);
        }

        @Override
        public void write(byte[] b, int off, int len) throws java.io.IOException {
            if (len > room) {
                throw new java.io.IOException("No space left on device");
            }
            room -= len;
        }
    }
}
