package io.hvprobe.report.html;

import io.hvprobe.arch.Arch;
import io.hvprobe.arch.X86Register;
import io.hvprobe.spi.ProtocolStep;
import io.hvprobe.spi.RegisterContract;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;

/** The run and compare pages: a GuestRPC exchange as a sequence diagram, contracts, costs side by side. */
class RunPageTest {
    private static final String HOSTILE = "\"'><script>alert(1)</script>";

    private static HypercallView call(long seq, String command, String summary) {
        RegisterContract contract = new RegisterContract(command + " (port)", Arch.X86_64, Map.of(
                X86Register.RAX, new RegisterContract.Role(0xffffffffL, RegisterContract.Effect.WRITTEN, 32,
                        "magic; out: status"),
                X86Register.RBX, new RegisterContract.Role(0, RegisterContract.Effect.MAY_CHANGE, 0, "")));
        return new HypercallView(seq, "rpc_one+0x43", "IN", command, "vmware", summary,
                Map.of("rax", "0x564d5868"), Map.of("rcx", "0x10000"), Optional.of(contract), List.of(),
                Optional.empty());
    }

    private static RunView run(String reply) {
        return new RunView("rpc-port.o", "rpc_call", "buf[9]", "x86_64, profile vmware", "return: 0x10 (16)", 3,
                List.of(call(0, "MESSAGE.OPEN", "RPCI channel 0 with cookies"), call(1, "MESSAGE.RECVSIZE",
                        "reply of 16 bytes"), call(2, "MESSAGE.CLOSE", "closed channel 0")),
                List.of("buffer arg 1 after: \"" + reply + "\""), List.of(new Measure("instructions", 441)),
                List.of(), List.of());
    }

    @Test
    void theExchangeIsASequenceDiagramOfRequestsAndRepliesInOrder() {
        String page = RunPage.render(run("1 value"));
        String svg = page.substring(page.indexOf("<svg"), page.indexOf("</svg>"));
        assertThat(svg).containsSubsequence(">guest<", ">hypervisor<",
                "#0 MESSAGE.OPEN (IN at rpc_one+0x43)", "in: rax=0x564d5868", "RPCI channel 0 with cookies",
                "changed: rcx=0x10000", "#1 MESSAGE.RECVSIZE", "reply of 16 bytes", "#2 MESSAGE.CLOSE",
                "closed channel 0");
        assertThat(svg.split("<g class=\"call\"", -1)).hasSize(4);
    }

    private static HypercallView step(long seq, String command, String step, Map<String, String> request,
                                      Map<String, String> reply, Optional<ProtocolStep.Message> message) {
        return new HypercallView(seq, "rpc_one+0x43", "IN", command, "vmware", "summary", Map.of(), Map.of(),
                Optional.empty(), List.of(), Optional.of(new ProtocolStep("GuestRPC channel 0 (RPCI)", step, request,
                reply, message)));
    }

    /** Name, value, name, value …: in this order, as a plugin tells them. */
    private static Map<String, String> facts(String... nameValue) {
        Map<String, String> out = new java.util.LinkedHashMap<>();
        for (int i = 0; i < nameValue.length; i += 2) {
            out.put(nameValue[i], nameValue[i + 1]);
        }
        return out;
    }

    private static RunView exchange(String value) {
        String cookies = "0x1a2b3c4d/0x5e6f7081";
        List<HypercallView> calls = List.of(call(0, "GETVERSION", "version=6 type=2"),
                step(1, "MESSAGE.OPEN", "OPEN", facts("protocol", "RPCI"), facts("status", "SUCCESS", "channel", "0",
                        "cookies", cookies), Optional.empty()),
                step(2, "MESSAGE.SENDSIZE", "SENDSIZE", facts("channel", "0", "size", "20"),
                        facts("status", "SUCCESS|HB"), Optional.empty()),
                step(3, "MESSAGE.HB_OUT", "HB_OUT", facts("channel", "0", "bytes", "20"), facts("status", "SUCCESS"),
                        Optional.of(ProtocolStep.Message.of(ProtocolStep.Direction.TO_HYPERVISOR,
                                "info-get guestinfo.x".getBytes(java.nio.charset.StandardCharsets.UTF_8)))),
                step(4, "MESSAGE.HB_IN", "HB_IN", facts("channel", "0"), facts("status", "SUCCESS"),
                        Optional.of(ProtocolStep.Message.of(ProtocolStep.Direction.TO_GUEST,
                                ("1 " + value).getBytes(java.nio.charset.StandardCharsets.UTF_8)))),
                step(5, "MESSAGE.CLOSE", "CLOSE", facts("channel", "0"), facts("status", "SUCCESS"),
                        Optional.empty()));
        return new RunView("rpc-port.o", "rpc_call", "", "x86_64, profile vmware", "return: 0x0 (0)", calls.size(),
                calls, List.of(), List.of(), List.of(), List.of());
    }

    @Test
    void aGuestRpcExchangeIsDrawnStepByStepWithItsChannelStatusAndMessages() {
        String page = RunPage.render(exchange("hello"));
        String svg = page.substring(page.indexOf("<svg"), page.indexOf("</svg>"));
        // One band for the channel, after the call that is not part of it.
        assertThat(svg.split("<g class=\"exchange\"", -1)).hasSize(2);
        assertThat(svg).containsSubsequence("data-exchange=\"GuestRPC channel 0 (RPCI)\"",
                "<g class=\"call\" data-seq=\"0\" data-command=\"GETVERSION\">", "version=6 type=2",
                "data-step=\"OPEN\"", ">#1 OPEN<", "protocol=RPCI", "status=SUCCESS channel=0 cookies=0x1a2b3c4d/0x5e6f7081",
                "data-step=\"SENDSIZE\"", "channel=0 size=20", "status=SUCCESS|HB",
                "data-step=\"HB_OUT\"", "<g class=\"msg\" data-direction=\"to-hypervisor\">",
                "guest sends &quot;info-get guestinfo.x&quot; (20 bytes) →",
                "data-step=\"HB_IN\"", "<g class=\"msg\" data-direction=\"to-guest\">",
                "guest receives &quot;1 hello&quot; (7 bytes) ←", "data-step=\"CLOSE\"");
        assertThat(page).contains("message to the guest (7 bytes): <code>&quot;1 hello&quot;</code>");
    }

    @Test
    void aPayloadHoldingScriptAndQuotesIsText() {
        String page = RunPage.render(exchange(HOSTILE));
        assertThat(page.split("<script", -1)).hasSize(2);
        assertThat(page).doesNotContain("<script>alert").contains(
                "guest receives &quot;1 \\&quot;&#39;&gt;&lt;script&gt;alert(1)&lt;/script&gt;&quot;");
    }

    @Test
    void eachHypercallShowsTheContractItWasCheckedAgainst() {
        assertThat(RunPage.render(run("x"))).containsSubsequence("contract <code>MESSAGE.OPEN (port)</code>",
                "<td class=\"loc\">rax</td><td class=\"loc\">0xffffffff</td><td>out (32-bit write)</td>",
                "<td>may change</td>", "<td>others</td><td>-</td><td>preserved</td>");
    }

    @Test
    void aGuestinfoValueHoldingScriptIsText() {
        String page = RunPage.render(run(HOSTILE));
        assertThat(page.split("<script", -1)).hasSize(2);
        assertThat(page).contains("&quot;&#39;&gt;&lt;script&gt;alert(1)&lt;/script&gt;");
    }

    @Test
    void compareMarksTheRowsThatDiffer() {
        CompareView.Side a = new CompareView.Side("rpc_call", List.of(new Measure("instructions", 441)),
                List.of("MESSAGE.OPEN rax=0x1", "MESSAGE.SENDPAYLOAD rbx=0x6f666e69"));
        CompareView.Side b = new CompareView.Side("rpc_call_hb", List.of(new Measure("instructions", 145)),
                List.of("MESSAGE.OPEN rax=0x1", "MESSAGE.HB_OUT rbx=0x10000"));
        String page = ComparePage.render(new CompareView("rpc-port.o", "none", a, b, 1, "equal", "not equivalent"));
        assertThat(page).containsSubsequence("<tr class=\"differ\"><th>instructions</th>", "width:100.0%",
                "width:32.9%", "<tr class=\"same\"><td class=\"n\">0</td>",
                "<tr class=\"differ\"><td class=\"n\">1</td><td class=\"loc\">MESSAGE.SENDPAYLOAD",
                "first difference at hypercall #1");
    }
}
