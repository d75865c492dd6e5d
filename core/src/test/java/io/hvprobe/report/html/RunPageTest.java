package io.hvprobe.report.html;

import io.hvprobe.arch.Arch;
import io.hvprobe.arch.X86Register;
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
                Map.of("rax", "0x564d5868"), Map.of("rcx", "0x10000"), Optional.of(contract), List.of());
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
