package io.hvprobe.vmware.rpc;

import java.util.Arrays;

/**
 * One open GuestRPC channel: protocol, cookies, the guest message being sent (grown as bytes
 * arrive, never pre-allocated to the announced size) and the host reply being received.
 */
final class RpcChannel {
    final int id;
    final boolean tclo;
    final boolean cookies;
    final long cookieHigh;
    final long cookieLow;

    /** Announced size of the message being sent, -1 if none. */
    long sendExpected = -1;
    byte[] sendBuffer = new byte[0];
    int sendLength;

    /** Pending host reply, null if none. */
    byte[] reply;
    /** Whether RECVSIZE announced {@link #reply}. */
    boolean sizeGiven;
    int recvOffset;
    /** Whether the last operation was a SENDSIZE 0 (the empty message is already delivered). */
    boolean emptyMessageSent;
    /** The TCLO command the guest is working on (its next send is the answer). */
    String tcloCommand;

    RpcChannel(int id, boolean tclo, boolean cookies, long cookieHigh, long cookieLow) {
        this.id = id;
        this.tclo = tclo;
        this.cookies = cookies;
        this.cookieHigh = cookieHigh;
        this.cookieLow = cookieLow;
    }

    boolean sending() {
        return sendExpected >= 0;
    }

    void startSend(long size) {
        sendExpected = size;
        sendBuffer = new byte[0];
        sendLength = 0;
    }

    void resetSend() {
        sendExpected = -1;
        sendBuffer = new byte[0];
        sendLength = 0;
    }

    /** Appends up to the announced size; grows the buffer by doubling, capped at the announced size. */
    void append(byte[] data, int length) {
        int n = (int) Math.min(length, sendExpected - sendLength);
        if (sendLength + n > sendBuffer.length) {
            int capacity = (int) Math.min(sendExpected, Math.max(64, Math.max(sendBuffer.length * 2L, sendLength + n)));
            sendBuffer = Arrays.copyOf(sendBuffer, capacity);
        }
        System.arraycopy(data, 0, sendBuffer, sendLength, n);
        sendLength += n;
    }

    boolean sendComplete() {
        return sending() && sendLength == sendExpected;
    }

    byte[] takeMessage() {
        byte[] m = Arrays.copyOf(sendBuffer, sendLength);
        resetSend();
        return m;
    }

    void setReply(byte[] bytes) {
        reply = bytes;
        sizeGiven = false;
        recvOffset = 0;
    }

    void dropReply() {
        reply = null;
        sizeGiven = false;
        recvOffset = 0;
    }

    int bufferedBytes() {
        return sendBuffer.length + (reply == null ? 0 : reply.length);
    }

    /** An independent copy (buffers copied). */
    RpcChannel copy() {
        RpcChannel c = new RpcChannel(id, tclo, cookies, cookieHigh, cookieLow);
        c.sendExpected = sendExpected;
        c.sendBuffer = sendBuffer.clone();
        c.sendLength = sendLength;
        c.reply = reply == null ? null : reply.clone();
        c.sizeGiven = sizeGiven;
        c.recvOffset = recvOffset;
        c.emptyMessageSent = emptyMessageSent;
        c.tcloCommand = tcloCommand;
        return c;
    }
}
