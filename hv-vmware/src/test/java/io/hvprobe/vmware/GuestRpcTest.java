package io.hvprobe.vmware;

import io.hvprobe.arch.X86Register;
import io.hvprobe.spi.Finding;
import io.hvprobe.spi.ProtocolStep;
import io.hvprobe.spi.RegisterWrite;
import io.hvprobe.spi.TrapOutcome;
import io.hvprobe.vmware.abi.Backdoor;
import io.hvprobe.vmware.rpc.TcloQueue;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static io.hvprobe.arch.X86Register.RAX;
import static io.hvprobe.arch.X86Register.RBX;
import static io.hvprobe.arch.X86Register.RCX;
import static io.hvprobe.arch.X86Register.RDI;
import static io.hvprobe.arch.X86Register.RDX;
import static io.hvprobe.arch.X86Register.RSI;
import static org.assertj.core.api.Assertions.assertThat;

/** GuestRPC (MESSAGE) conversations, exact reply encodings and protocol misuse. */
class GuestRpcTest {

    static List<Transport> lowBandwidthTransports() {
        return Transport.allLb(Sessions::vmware).stream().filter(t -> !t.toString().equals("brk")).toList();
    }

    static Stream<Transport> highBandwidthTransports() {
        return lowBandwidthTransports().stream().filter(t -> !t.toString().equals("tdcall"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("lowBandwidthTransports")
    void guestinfoConversationOverLowBandwidth(Transport t) {
        RpcClient rpc = new RpcClient(t);
        rpc.open(RpcClient.RPCI, true);
        assertThat(rpc.call("info-set guestinfo.x 42", false)).isEqualTo("1 ");
        assertThat(rpc.call("info-get guestinfo.x", false)).isEqualTo("1 42");
        rpc.close();
        assertThat(t.cpu.session.guestInfo()).containsEntry("guestinfo.x", "42");
        assertThat(t.cpu.session.openRpcChannels()).isZero();
        assertThat(t.cpu.session.findings()).isEmpty();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("highBandwidthTransports")
    void guestinfoConversationOverHighBandwidth(Transport t) {
        RpcClient rpc = new RpcClient(t);
        rpc.open(RpcClient.RPCI, true);
        assertThat(rpc.call("info-set guestinfo.x 42", true)).isEqualTo("1 ");
        assertThat(rpc.call("info-get guestinfo.x", true)).isEqualTo("1 42");
        rpc.close();
        assertThat(t.cpu.session.findings()).isEmpty();
    }

    @Test
    void eachCallOfAnExchangeIsAStepWithItsChannelCookiesSizesStatusAndTheMessagesItCompletes() {
        Transport t = Transport.allLb(() -> Sessions.vmware(Map.of("guestinfo", "guestinfo.x=hello"))).getFirst();
        RpcClient rpc = new RpcClient(t);
        rpc.open(RpcClient.RPCI, true);
        assertThat(rpc.call("info-get guestinfo.x", false)).isEqualTo("1 hello");
        rpc.close();

        List<ProtocolStep> steps = t.cpu.history.stream().map(a -> a.outcome().step().orElseThrow()).toList();
        assertThat(steps).extracting(ProtocolStep::step).containsExactly("OPEN", "SENDSIZE", "SENDPAYLOAD",
                "SENDPAYLOAD", "SENDPAYLOAD", "SENDPAYLOAD", "SENDPAYLOAD", "RECVSIZE", "RECVPAYLOAD", "RECVPAYLOAD",
                "RECVSTATUS", "CLOSE");
        assertThat(steps).extracting(ProtocolStep::exchange).containsOnly("GuestRPC channel 0 (RPCI)");
        ProtocolStep open = steps.getFirst();
        assertThat(open.request()).containsExactly(Map.entry("protocol", "RPCI"), Map.entry("cookies", "asked"));
        assertThat(open.reply()).containsKeys("status", "channel", "cookies").containsEntry("status", "SUCCESS")
                .containsEntry("channel", "0");
        String cookies = open.reply().get("cookies");
        assertThat(cookies).matches("0x[0-9a-f]{8}/0x[0-9a-f]{8}");
        // Every later step names the channel and the cookies the guest passed, then its own facts.
        assertThat(steps.get(1).request()).containsExactly(Map.entry("channel", "0"), Map.entry("cookies", cookies),
                Map.entry("size", "20"));
        assertThat(steps.get(1).reply()).containsExactly(Map.entry("status", "SUCCESS|HB"));
        assertThat(steps.get(2).request()).containsEntry("bytes", "\"info\"");
        assertThat(steps.get(2).message()).isEmpty();
        assertThat(steps.get(6).reply()).containsEntry("sent", "20/20 bytes");
        assertThat(steps.get(6).message()).contains(new ProtocolStep.Message(ProtocolStep.Direction.TO_HYPERVISOR, 20,
                "info-get guestinfo.x"));
        assertThat(steps.get(7).reply()).containsExactly(Map.entry("status", "SUCCESS|DORECV|HB"),
                Map.entry("size", "7"));
        assertThat(steps.get(9).reply()).containsEntry("bytes", "\"llo\"").containsEntry("received", "7/7 bytes");
        assertThat(steps.get(9).message()).contains(new ProtocolStep.Message(ProtocolStep.Direction.TO_GUEST, 7,
                "1 hello"));
        assertThat(steps.get(10).request()).containsEntry("guest status", "SUCCESS");
        assertThat(steps.get(11).reply()).containsExactly(Map.entry("status", "SUCCESS"));
    }

    @Test
    void aHighBandwidthExchangeSendsAndReceivesEachMessageInOneStep() {
        Transport t = Transport.allLb(() -> Sessions.vmware(Map.of("guestinfo", "guestinfo.x=hello"))).getFirst();
        RpcClient rpc = new RpcClient(t);
        rpc.open(RpcClient.RPCI, false);
        assertThat(rpc.call("info-get guestinfo.x", true)).isEqualTo("1 hello");
        rpc.close();

        List<ProtocolStep> steps = t.cpu.history.stream().map(a -> a.outcome().step().orElseThrow()).toList();
        assertThat(steps).extracting(ProtocolStep::step).containsExactly("OPEN", "SENDSIZE", "HB_OUT", "RECVSIZE",
                "HB_IN", "RECVSTATUS", "CLOSE");
        assertThat(steps.get(0).reply()).doesNotContainKey("cookies");
        assertThat(steps.get(2).request()).containsEntry("channel", "0").containsEntry("bytes", "20")
                .doesNotContainKey("cookies");
        assertThat(steps.get(2).message().map(ProtocolStep.Message::text)).contains("info-get guestinfo.x");
        assertThat(steps.get(4).message().map(ProtocolStep.Message::text)).contains("1 hello");
        assertThat(steps.get(4).reply()).containsEntry("status", "SUCCESS");
    }

    @Test
    void aStepOnAChannelNeverOpenedSaysSoAndFails() {
        Transport t = Transport.allLb(Sessions::vmware).getFirst();
        TrapOutcome.Handled h = t.call(30 | (1L << 16), 4);  // MESSAGE.SENDSIZE on channel 0
        ProtocolStep s = h.step().orElseThrow();
        assertThat(s.exchange()).isEqualTo("GuestRPC channel 0");
        assertThat(s.step()).isEqualTo("SENDSIZE");
        assertThat(s.reply()).containsEntry("status", "FAILURE");
    }

    @Test
    void theHostsGuestinfoStoreCanBeSetUpByTheProfile() {
        Transport t = Transport.allLb(() -> Sessions.vmware(Map.of("guestinfo", "guestinfo.x=hello;guestinfo.ip=10.0.0.2")))
                .getFirst();
        RpcClient rpc = new RpcClient(t);
        rpc.open(RpcClient.RPCI, true);
        assertThat(rpc.call("info-get guestinfo.x", false)).isEqualTo("1 hello");
        assertThat(rpc.call("info-get guestinfo.ip", false)).isEqualTo("1 10.0.0.2");
        rpc.close();
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> Sessions.vmware(Map.of("guestinfo", "x=hello")))
                .hasMessageContaining("guestinfo.<name>=<value>");
    }

    @Test
    void exactReplyEncodings() {
        GuestCpu cpu = GuestCpu.x86(Sessions.vmware()).poison();
        RpcClient rpc = new RpcClient(Transport.port(cpu));
        rpc.open(RpcClient.RPCI, true);
        assertThat(cpu.get(RAX)).isZero();
        assertThat(cpu.get(RCX)).isEqualTo(0x0001_0000L);
        assertThat(cpu.get(RDX) & 0xFFFF).isZero();

        rpc.lb(1, 3);
        assertThat(cpu.get(RCX)).isEqualTo(0x0081_0000L);
        assertThat(cpu.changed()).containsExactlyInAnyOrder(RAX, RCX);
        rpc.lb(2, 0x676F6C); // "log"
        assertThat(cpu.get(RCX)).isEqualTo(0x0001_0000L);
        rpc.lb(3, 0);
        assertThat(cpu.get(RCX)).isEqualTo(0x0083_0000L);
        assertThat(cpu.get(RBX)).isEqualTo(2);
        assertThat(cpu.get(RDX)).isEqualTo(0x0001_0000L);
        rpc.lb(4, 1);
        assertThat(cpu.get(RDX)).isEqualTo(0x0002_0000L);
        assertThat(cpu.get(RBX)).isEqualTo(0x2031); // "1 "
        rpc.lb(5, 1);
        assertThat(cpu.get(RCX)).isEqualTo(0x0001_0000L);
        rpc.lb(6, 0);
        assertThat(cpu.get(RCX)).isEqualTo(0x0001_0000L);
        assertThat(cpu.get(RAX)).isZero();
    }

    @Test
    void openWithoutCookiesLeavesEsiAndEdiAlone() {
        GuestCpu cpu = GuestCpu.x86(Sessions.vmware()).poison();
        RpcClient rpc = new RpcClient(Transport.port(cpu));
        TrapOutcome.Handled h = rpc.open(RpcClient.RPCI, false);
        assertThat(h.registerWrites()).extracting(RegisterWrite::register).containsExactlyInAnyOrder(RAX, RCX, RDX);
        assertThat(h.contract().get().written()).doesNotContain(RSI, RDI);
        assertThat(rpc.call("info-get guestinfo.missing", false)).isEqualTo("0 No value found");
    }

    @Test
    void hbTransferWritesOnlyEaxAndEbx() {
        GuestCpu cpu = GuestCpu.x86(Sessions.vmware()).poison();
        RpcClient rpc = new RpcClient(Transport.port(cpu));
        rpc.open(RpcClient.RPCI, true);
        rpc.lb(1, 5);
        cpu.memory.putString(RpcClient.SEND_BUFFER, "log x");
        TrapOutcome.Handled h = rpc.hbOut(5);
        assertThat(h.registerWrites()).extracting(RegisterWrite::register).containsExactlyInAnyOrder(RAX, RBX);
        assertThat(cpu.changed()).containsExactly(RAX);
        assertThat(h.contract().get().written()).containsExactlyInAnyOrder(RAX, RBX);
        assertThat(cpu.session.rpcLog()).containsExactly("x");
    }

    @Test
    void architecturalHbSemanticsAdvanceTheStringRegisters() {
        GuestCpu cpu = GuestCpu.x86(Sessions.vmware(Map.of("hb-semantics", "architectural")));
        RpcClient rpc = new RpcClient(Transport.port(cpu));
        rpc.open(RpcClient.RPCI, true);
        rpc.lb(1, 5);
        cpu.memory.putString(RpcClient.SEND_BUFFER, "log x");
        TrapOutcome.Handled h = rpc.hbOut(5);
        assertThat(cpu.get(RCX)).isZero();
        assertThat(cpu.get(RSI)).isEqualTo(RpcClient.SEND_BUFFER + 5);
        assertThat(h.contract().get().written()).contains(RCX, RSI);
    }

    @Test
    void architecturalHbSemanticsWalkThePointerDownWhenTheGuestLeftDfSet() {
        GuestCpu cpu = GuestCpu.x86(Sessions.vmware(Map.of("hb-semantics", "architectural")));
        RpcClient rpc = new RpcClient(Transport.port(cpu));
        rpc.open(RpcClient.RPCI, true);
        rpc.lb(1, 5);
        cpu.memory.putString(RpcClient.SEND_BUFFER, "log x");
        cpu.set(RAX, Backdoor.MAGIC).set(RBX, 0x0001_0000L).set(RCX, 5).set(RDX, (long) rpc.channel << 16 | 0x5659)
                .set(RSI, RpcClient.SEND_BUFFER).set(RDI, rpc.cookieLow).set(X86Register.RBP, rpc.cookieHigh)
                .set(X86Register.RFLAGS, 0x402);
        TrapOutcome.Handled h = cpu.trap(io.hvprobe.spi.TrapForm.OUTS, new io.hvprobe.spi.TrapDetail.Io(0x5659, 1,
                io.hvprobe.spi.TrapDetail.IoDirection.OUT, false, true, true, 5, true, 64));
        assertThat(h.findings()).extracting(Finding::ruleId).containsExactly("vmware.argument-invalid");
        assertThat(cpu.get(RCX)).isZero();
        assertThat(cpu.get(RSI)).as("DF=1: rep outsb leaves RSI below the buffer").isEqualTo(RpcClient.SEND_BUFFER - 5);
    }

    @Test
    void standardRpciCommands() {
        VmwareSession s = Sessions.vmware();
        RpcClient rpc = new RpcClient(Transport.port(GuestCpu.x86(s)));
        rpc.open(RpcClient.RPCI, true);
        assertThat(rpc.call("tools.set.versiontype 12352 3", false)).isEqualTo("1 ");
        assertThat(rpc.call("log hello from the guest", false)).isEqualTo("1 ");
        assertThat(rpc.call("tools.capability.hgfs_server toolbox 1", false)).isEqualTo("1 ");
        assertThat(rpc.call("frobnicate", false)).isEqualTo("0 Unknown command");
        assertThat(rpc.call("info-set notguestinfo.x 1", false)).startsWith("0 ");
        assertThat(s.toolsVersion()).hasValue("12352 3");
        assertThat(s.rpcLog()).containsExactly("hello from the guest");
        assertThat(s.toolsCapabilities()).containsExactly("tools.capability.hgfs_server toolbox 1");
    }

    @Test
    void hostSetGuestinfoAndCustomHandlers() {
        VmwareSession s = Sessions.vmware();
        s.setGuestInfo("guestinfo.ip", "10.0.0.2");
        s.registerRpci("vmx.echo", (command, args) -> "1 " + args);
        RpcClient rpc = new RpcClient(Transport.port(GuestCpu.x86(s)));
        rpc.open(RpcClient.RPCI, true);
        assertThat(rpc.call("info-get guestinfo.ip", false)).isEqualTo("1 10.0.0.2");
        assertThat(rpc.call("vmx.echo abc", true)).isEqualTo("1 abc");
    }

    @Test
    void tcloResetAndPingExchange() {
        VmwareSession s = Sessions.vmware();
        s.queueTclo("reset");
        s.queueTclo("ping");
        RpcClient tools = new RpcClient(Transport.port(GuestCpu.x86(s)));
        tools.open(RpcClient.TCLO, true);

        tools.sendLb("");
        assertThat(tools.receiveLb()).isEqualTo("reset");
        tools.sendLb("OK ATR toolbox");
        assertThat(tools.receiveLb()).isEqualTo("ping");
        tools.sendLb("OK ");
        assertThat(tools.recvSize()).as("nothing more queued").isEqualTo(-1);

        assertThat(s.tcloExchanges()).containsExactly(new TcloQueue.Exchange("reset", "OK ATR toolbox"),
                new TcloQueue.Exchange("ping", "OK "));
        assertThat(s.pendingTclo()).isEmpty();
        assertThat(s.findings()).isEmpty();
    }

    @Test
    void tcloOverHighBandwidthOnArm64() {
        VmwareSession s = Sessions.vmware();
        s.queueTclo("reset");
        RpcClient tools = new RpcClient(Transport.arm64(GuestCpu.arm64(s), "mrs"));
        tools.open(RpcClient.TCLO, true);
        tools.sendLb("");
        assertThat(tools.receiveHb()).isEqualTo("reset");
        tools.sendHb("OK ATR toolbox");
        assertThat(s.tcloExchanges()).containsExactly(new TcloQueue.Exchange("reset", "OK ATR toolbox"));
    }

    @Test
    void badChannel() {
        GuestCpu cpu = GuestCpu.x86(Sessions.vmware());
        RpcClient rpc = new RpcClient(Transport.port(cpu));
        rpc.channel = 5;
        TrapOutcome.Handled h = rpc.lb(1, 4);
        assertThat(cpu.get(RCX)).isZero();
        assertThat(h.findings()).extracting(Finding::ruleId).containsExactly("vmware.rpc-bad-channel");
        assertThat(h.findings().getFirst().evidence()).containsEntry("register", "rdx").containsEntry("channel", "5");
        // The channel id is a value the guest passed, and an OPEN before this session could have opened it.
        assertThat(h.findings().getFirst().dependsOn()).containsExactlyInAnyOrder(
                io.hvprobe.spi.Dependency.INPUT_VALUES, io.hvprobe.spi.Dependency.PROTOCOL_STATE);
    }

    @Test
    void badCookie() {
        GuestCpu cpu = GuestCpu.x86(Sessions.vmware());
        RpcClient rpc = new RpcClient(Transport.port(cpu));
        rpc.open(RpcClient.RPCI, true);
        rpc.cookieLow ^= 1;
        TrapOutcome.Handled h = rpc.lb(1, 4);
        assertThat(cpu.get(RCX)).isZero();
        assertThat(h.findings()).extracting(Finding::ruleId).containsExactly("vmware.rpc-bad-cookie");
    }

    @Test
    void payloadBeforeSizeIsASequenceError() {
        GuestCpu cpu = GuestCpu.x86(Sessions.vmware());
        RpcClient rpc = new RpcClient(Transport.port(cpu));
        rpc.open(RpcClient.RPCI, true);
        TrapOutcome.Handled h = rpc.lb(2, 0x41414141);
        assertThat(cpu.get(RCX)).isZero();
        assertThat(h.findings()).extracting(Finding::ruleId).containsExactly("vmware.rpc-sequence");
    }

    @Test
    void receiveWithoutSendingIsASequenceErrorOnRpci() {
        GuestCpu cpu = GuestCpu.x86(Sessions.vmware());
        RpcClient rpc = new RpcClient(Transport.port(cpu));
        rpc.open(RpcClient.RPCI, true);
        TrapOutcome.Handled h = rpc.lb(3, 0);
        assertThat(cpu.get(RCX)).isEqualTo(0x0081_0000L);
        assertThat(h.findings()).extracting(Finding::ruleId).containsExactly("vmware.rpc-sequence");
        h = rpc.lb(4, 1);
        assertThat(cpu.get(RCX)).isZero();
        assertThat(h.findings()).extracting(Finding::ruleId).containsExactly("vmware.rpc-sequence");
    }

    @Test
    void anEmptyHbSendRightAfterSendSizeZeroIsANoOpSuccess() {
        GuestCpu cpu = GuestCpu.x86(Sessions.vmware());
        RpcClient rpc = new RpcClient(Transport.port(cpu));
        rpc.open(RpcClient.RPCI, true);
        rpc.lb(1, 0);
        TrapOutcome.Handled h = rpc.hbOut(0);
        assertThat(cpu.get(RBX) >>> 16).isEqualTo(1L);
        assertThat(h.findings()).isEmpty();
        h = rpc.hbOut(0);
        assertThat(cpu.get(RBX)).isZero();
        assertThat(h.findings()).extracting(Finding::ruleId).containsExactly("vmware.rpc-sequence");
    }

    @Test
    void hbLengthMismatch() {
        GuestCpu cpu = GuestCpu.x86(Sessions.vmware());
        RpcClient rpc = new RpcClient(Transport.port(cpu));
        rpc.open(RpcClient.RPCI, true);
        rpc.lb(1, 10);
        TrapOutcome.Handled h = rpc.hbOut(9);
        assertThat(cpu.get(RBX)).isZero();
        assertThat(h.findings()).extracting(Finding::ruleId).containsExactly("vmware.rpc-length-mismatch");
        assertThat(h.findings().getFirst().message()).isEqualTo("HB send of 9 bytes after SENDSIZE announced 10");
    }

    @Test
    void oversizedSendSizeIsRefusedWithoutAllocating() {
        VmwareSession s = Sessions.vmware();
        GuestCpu cpu = GuestCpu.x86(s);
        RpcClient rpc = new RpcClient(Transport.port(cpu));
        rpc.open(RpcClient.RPCI, true);
        TrapOutcome.Handled h = rpc.lb(1, 0xFFFF_FFF0L);
        assertThat(cpu.get(RCX)).isZero();
        assertThat(h.findings()).extracting(Finding::ruleId).containsExactly("vmware.rpc-oversize");
        assertThat(h.findings().getFirst().evidence()).containsEntry("size", "4294967280").containsEntry("limit", "65536");
        assertThat(s.rpcBufferedBytes()).isZero();
        assertThat(rpc.lb(2, 0).findings()).extracting(Finding::ruleId).containsExactly("vmware.rpc-sequence");
        TrapOutcome.Handled hb = rpc.hbOut(0xFFFF_FFF0L);
        assertThat(hb.findings()).extracting(Finding::ruleId).containsExactly("vmware.rpc-sequence");
        assertThat(cpu.memory.readBytes()).isZero();
    }

    @Test
    void sendBufferGrowsWithTheDataNotWithTheAnnouncedSize() {
        VmwareSession s = Sessions.vmware();
        RpcClient rpc = new RpcClient(Transport.port(GuestCpu.x86(s)));
        rpc.open(RpcClient.RPCI, true);
        rpc.lb(1, 65536);
        rpc.lb(2, 0x41414141);
        assertThat(s.rpcBufferedBytes()).isLessThanOrEqualTo(64);
    }

    /** A guest that logs and stores 60 KB messages in a loop cannot make the host keep them all. */
    @Test
    void hostStoresStayWithinTheirCharacterBudget() {
        VmwareSession s = Sessions.vmware(Map.of("rpc-store-max-bytes", "200000"));
        RpcClient rpc = new RpcClient(Transport.port(GuestCpu.x86(s)));
        rpc.open(RpcClient.RPCI, true);
        String big = "x".repeat(60_000);
        for (int i = 0; i < 10; i++) {
            assertThat(rpc.call("log " + i + big, true)).isEqualTo("1 ");
        }
        assertThat(s.rpcLog().stream().mapToLong(String::length).sum()).isLessThanOrEqualTo(200_000);
        assertThat(s.rpcLog()).as("the newest lines are kept").hasSize(3).last().asString().startsWith("9x");

        assertThat(rpc.call("info-set guestinfo.a " + big, true)).isEqualTo("1 ");
        assertThat(rpc.call("info-set guestinfo.b " + big, true)).isEqualTo("1 ");
        assertThat(rpc.call("info-set guestinfo.c " + big, true)).isEqualTo("1 ");
        assertThat(rpc.call("info-set guestinfo.d " + big, true)).isEqualTo("0 Too much guestinfo data");
        assertThat(rpc.call("info-set guestinfo.a small", true)).as("replacing frees room").isEqualTo("1 ");
        assertThat(rpc.call("info-set guestinfo.d " + big, true)).isEqualTo("1 ");
        assertThat(s.guestInfo()).containsOnlyKeys("guestinfo.a", "guestinfo.b", "guestinfo.c", "guestinfo.d");
    }

    @Test
    void channelLimit() {
        GuestCpu cpu = GuestCpu.x86(Sessions.vmware(Map.of("rpc-max-channels", "2")));
        RpcClient rpc = new RpcClient(Transport.port(cpu));
        rpc.open(RpcClient.RPCI, true);
        rpc.open(RpcClient.RPCI, true);
        TrapOutcome.Handled h = rpc.open(RpcClient.RPCI, true);
        assertThat(cpu.get(RCX)).isZero();
        assertThat(h.findings()).extracting(Finding::ruleId).containsExactly("vmware.rpc-bad-channel");
    }

    @Test
    void unknownProtocolAtOpen() {
        GuestCpu cpu = GuestCpu.x86(Sessions.vmware());
        TrapOutcome.Handled h = new RpcClient(Transport.port(cpu)).open(0x1234, false);
        assertThat(cpu.get(RCX)).isZero();
        assertThat(h.findings()).extracting(Finding::ruleId).containsExactly("vmware.argument-invalid");
    }

    @Test
    void unknownMessageOperation() {
        GuestCpu cpu = GuestCpu.x86(Sessions.vmware());
        TrapOutcome.Handled h = new RpcClient(Transport.port(cpu)).lb(9, 0);
        assertThat(cpu.get(RAX)).isEqualTo(0xFFFF_FFFFL);
        assertThat(h.findings()).extracting(Finding::ruleId).containsExactly("vmware.subcommand-unknown");
    }

    @Test
    void hbReceiveIntoUnmappedMemoryFails() {
        GuestCpu cpu = GuestCpu.x86(Sessions.vmware());
        RpcClient rpc = new RpcClient(Transport.port(cpu));
        rpc.open(RpcClient.RPCI, true);
        rpc.sendLb("log a");
        long n = rpc.recvSize();
        rpc.t.arg(0, Backdoor.MAGIC).arg(1, 0x10000).arg(2, n).arg(3, (long) rpc.channel << 16)
                .arg(4, rpc.cookieHigh).arg(5, 0x9999_0000L).arg(6, rpc.cookieLow);
        TrapOutcome.Handled h = rpc.t.hbIn();
        assertThat(h.memoryWrites()).isEmpty();
        assertThat(cpu.get(RBX)).isZero();
        assertThat(h.findings()).extracting(Finding::ruleId).containsExactly("vmware.argument-invalid");
    }

    @Test
    void hbAdvertisementCanBeTurnedOff() {
        GuestCpu cpu = GuestCpu.x86(Sessions.vmware(Map.of("rpc-advertise-hb", "false")));
        RpcClient rpc = new RpcClient(Transport.port(cpu));
        rpc.open(RpcClient.RPCI, true);
        rpc.lb(1, 4);
        assertThat(cpu.get(X86Register.RCX)).isEqualTo(0x0001_0000L);
    }
}
