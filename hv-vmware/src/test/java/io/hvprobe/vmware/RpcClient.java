package io.hvprobe.vmware;

import io.hvprobe.spi.TrapOutcome;
import io.hvprobe.vmware.abi.Backdoor;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;

import static org.assertj.core.api.Assertions.assertThat;

/** A GuestRPC client like open-vm-tools' message layer, driving a session through one transport. */
final class RpcClient {
    static final long RPCI = 0x49435052L;
    static final long TCLO = 0x4F4C4354L;
    static final long SEND_BUFFER = 0x12000;
    static final long RECV_BUFFER = 0x18000;

    final Transport t;
    int channel;
    long cookieHigh;
    long cookieLow;

    RpcClient(Transport t) {
        this.t = t;
    }

    TrapOutcome.Handled open(long protocol, boolean cookies) {
        t.arg(0, Backdoor.MAGIC).arg(1, protocol | (cookies ? 0x8000_0000L : 0)).arg(2, 30).arg(3, 0);
        TrapOutcome.Handled h = t.lb();
        channel = (int) (t.arg32(3) >>> 16);
        if (cookies) {
            cookieHigh = t.arg32(4);
            cookieLow = t.arg32(5);
        }
        return h;
    }

    /** Sets EAX, ECX (op), EDX (channel) and the cookies for LB operation {@code op}. */
    RpcClient op(int op, long ebx) {
        t.arg(0, Backdoor.MAGIC).arg(1, ebx).arg(2, (long) op << 16 | 30).arg(3, (long) channel << 16)
                .arg(4, cookieHigh).arg(5, cookieLow);
        return this;
    }

    TrapOutcome.Handled lb(int op, long ebx) {
        return op(op, ebx).t.lb();
    }

    long status() {
        return t.arg32(2) >>> 16;
    }

    void sendLb(String message) {
        byte[] b = message.getBytes(StandardCharsets.UTF_8);
        lb(1, b.length);
        assertThat(status() & 1).as("SENDSIZE status").isEqualTo(1);
        for (int i = 0; i < b.length; i += 4) {
            long word = 0;
            for (int j = 0; j < 4 && i + j < b.length; j++) {
                word |= (b[i + j] & 0xFFL) << (8 * j);
            }
            lb(2, word);
            assertThat(status() & 1).as("SENDPAYLOAD status").isEqualTo(1);
        }
    }

    TrapOutcome.Handled hbOut(long length) {
        t.arg(0, Backdoor.MAGIC).arg(1, 0x0001_0000L).arg(2, length).arg(3, (long) channel << 16)
                .arg(4, SEND_BUFFER).arg(5, cookieLow).arg(6, cookieHigh);
        return t.hbOut();
    }

    TrapOutcome.Handled hbIn(long length) {
        t.arg(0, Backdoor.MAGIC).arg(1, 0x0001_0000L).arg(2, length).arg(3, (long) channel << 16)
                .arg(4, cookieHigh).arg(5, RECV_BUFFER).arg(6, cookieLow);
        return t.hbIn();
    }

    void sendHb(String message) {
        byte[] b = message.getBytes(StandardCharsets.UTF_8);
        lb(1, b.length);
        assertThat(status() & 0x81).as("SENDSIZE offers HB").isEqualTo(0x81);
        t.cpu.memory.put(SEND_BUFFER, b);
        hbOut(b.length);
        assertThat(t.arg32(1)).as("HB send status").isEqualTo(0x0001_0000L);
    }

    /** RECVSIZE; returns the length or -1 without DORECV. */
    long recvSize() {
        lb(3, 0);
        if ((status() & 2) == 0) {
            return -1;
        }
        assertThat(t.arg32(3) >>> 16).as("RECVSIZE EDX[31:16]").isEqualTo(1);
        return t.arg32(1);
    }

    String receiveLb() {
        long n = recvSize();
        assertThat(n).as("reply pending").isNotNegative();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (long i = 0; i < n; i += 4) {
            lb(4, 1);
            assertThat(status() & 1).isEqualTo(1);
            assertThat(t.arg32(3) >>> 16).as("RECVPAYLOAD EDX[31:16]").isEqualTo(2);
            long word = t.arg32(1);
            for (int j = 0; j < 4 && i + j < n; j++) {
                out.write((int) (word >>> (8 * j)) & 0xFF);
            }
        }
        lb(5, 1);
        assertThat(status() & 1).isEqualTo(1);
        return out.toString(StandardCharsets.UTF_8);
    }

    String receiveHb() {
        long n = recvSize();
        assertThat(n).as("reply pending").isNotNegative();
        hbIn(n);
        assertThat(t.arg32(1)).as("HB receive status").isEqualTo(0x0001_0000L);
        String reply = t.cpu.memory.string(RECV_BUFFER, (int) n);
        lb(5, 1);
        return reply;
    }

    String call(String message, boolean hb) {
        if (hb) {
            sendHb(message);
            return receiveHb();
        }
        sendLb(message);
        return receiveLb();
    }

    void close() {
        lb(6, 0);
    }
}
