package io.hvprobe.vmware.rpc;

import io.hvprobe.spi.GuestMemoryView;
import io.hvprobe.spi.MemoryWrite;
import io.hvprobe.vmware.command.CommandContext;
import io.hvprobe.vmware.command.CommandReply;
import io.hvprobe.vmware.command.CommandTable;
import io.hvprobe.vmware.entry.BackdoorCall;
import io.hvprobe.vmware.entry.Direction;
import io.hvprobe.vmware.finding.Findings;
import io.hvprobe.vmware.finding.Rules;
import io.hvprobe.vmware.profile.VmwareProfile;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

import static io.hvprobe.vmware.finding.Findings.hex;
import static io.hvprobe.vmware.rpc.MessageStatus.DORECV;
import static io.hvprobe.vmware.rpc.MessageStatus.FAILURE;
import static io.hvprobe.vmware.rpc.MessageStatus.HB;
import static io.hvprobe.vmware.rpc.MessageStatus.SUCCESS;
import static io.hvprobe.vmware.rpc.MessageStatus.word;

/**
 * MESSAGE (command 30): GuestRPC channels over low-bandwidth sub-commands and high-bandwidth
 * transfers (spec §4). RPCI messages go to the {@link RpciRegistry}; TCLO channels fetch commands
 * from the {@link TcloQueue}. Guest-declared sizes above the profile limit are refused without
 * allocating.
 */
public final class GuestRpc {
    private static final String[] OPS = {"OPEN", "SENDSIZE", "SENDPAYLOAD", "RECVSIZE", "RECVPAYLOAD", "RECVSTATUS",
            "CLOSE"};

    private final VmwareProfile.RpcSettings settings;
    private final RpcChannel[] channels;
    private final RpciRegistry registry;
    private final TcloQueue tclo;
    private SplittableRandom cookies;
    /** Cookie words drawn so far: a copy replays the seeded generator to the same point. */
    private long cookiesDrawn;

    /** GuestRPC with {@code settings}, answering RPCI from {@code registry} and TCLO from {@code tclo}. */
    public GuestRpc(VmwareProfile.RpcSettings settings, RpciRegistry registry, TcloQueue tclo) {
        this.settings = settings;
        this.channels = new RpcChannel[settings.maxChannels()];
        this.registry = registry;
        this.tclo = tclo;
        this.cookies = new SplittableRandom(settings.cookieSeed());
    }

    /** Registers MESSAGE (30). */
    public void register(CommandTable t) {
        List<String> keys = new ArrayList<>(List.of("MESSAGE.OPEN", "MESSAGE.OPEN.NOCOOKIE", "MESSAGE.UNKNOWN"));
        for (int op = 1; op < OPS.length; op++) {
            keys.add("MESSAGE." + OPS[op]);
            keys.add("MESSAGE." + OPS[op] + ".NOCOOKIE");
        }
        t.register(30, "MESSAGE", "GuestRPC channel (RPCI/TCLO)", keys, this::lowBandwidth);
    }

    /** Number of open channels. */
    public int openChannels() {
        int n = 0;
        for (RpcChannel c : channels) {
            n += c == null ? 0 : 1;
        }
        return n;
    }

    /** Bytes held in send buffers and pending replies over all channels. */
    public long bufferedBytes() {
        long n = 0;
        for (RpcChannel c : channels) {
            n += c == null ? 0 : c.bufferedBytes();
        }
        return n;
    }

    // ---- low bandwidth -----------------------------------------------------------------------------

    private CommandReply lowBandwidth(CommandContext ctx) {
        int op = ctx.subcommand();
        if (op >= OPS.length) {
            return CommandReply.of("MESSAGE." + op, "MESSAGE.UNKNOWN").write(0, 0xFFFF_FFFFL)
                    .finding(Findings.of(Rules.SUBCOMMAND_UNKNOWN, "MESSAGE has no operation " + op,
                            "subcommand", op)).summary("unknown operation").build();
        }
        RpcSteps.Facts facts = new RpcSteps.Facts();
        CommandReply reply = op == 0 ? open(ctx.ebx(), facts) : onChannel(ctx, op, facts);
        return RpcSteps.step(reply, OPS[op], 2, facts);
    }

    private CommandReply onChannel(CommandContext ctx, int op, RpcSteps.Facts facts) {
        BackdoorCall call = ctx.call();
        String name = "MESSAGE." + OPS[op];
        int id = call.in3High();
        RpcChannel ch = id < channels.length ? channels[id] : null;
        facts.channel(ch, id).cookies(ch, call.arg32(4), call.arg32(5));
        if (ch == null) {
            return status(CommandReply.of(name, name), FAILURE).finding(badChannel(id)).summary("bad channel " + id)
                    .build();
        }
        CommandReply.Builder r = CommandReply.of(name, ch.cookies ? name : name + ".NOCOOKIE");
        if (ch.cookies && (call.arg32(4) != ch.cookieHigh || call.arg32(5) != ch.cookieLow)) {
            return status(r, FAILURE).finding(badCookie(id, call.arg32(4), call.arg32(5))).summary("bad cookie").build();
        }
        ch.emptyMessageSent = false;
        return switch (op) {
            case 1 -> sendSize(ch, ctx.ebx(), r, facts);
            case 2 -> sendPayload(ch, ctx.ebx(), r, facts);
            case 3 -> recvSize(ch, r, facts);
            case 4 -> recvPayload(ch, r, facts);
            case 5 -> recvStatus(ch, ctx.ebx(), r, facts);
            default -> {
                channels[id] = null;
                yield status(r, SUCCESS).summary("closed channel " + id).build();
            }
        };
    }

    private CommandReply open(long ebx, RpcSteps.Facts facts) {
        boolean withCookies = (ebx & MessageStatus.COOKIE_FLAG) != 0;
        long proto = ebx & ~MessageStatus.COOKIE_FLAG;
        facts.request.put("protocol", proto == MessageStatus.RPCI ? "RPCI" : proto == MessageStatus.TCLO ? "TCLO"
                : hex(proto));
        facts.request.put("cookies", withCookies ? "asked" : "not asked");
        CommandReply.Builder r = CommandReply.of("MESSAGE.OPEN", withCookies ? "MESSAGE.OPEN" : "MESSAGE.OPEN.NOCOOKIE");
        if (proto != MessageStatus.RPCI && proto != MessageStatus.TCLO) {
            return status(r, FAILURE).finding(Findings.of(Rules.ARGUMENT_INVALID, "MESSAGE OPEN with unknown protocol "
                    + hex(proto) + " (expected RPCI 0x49435052 or TCLO 0x4f4c4354)", "ebx", hex(ebx)))
                    .summary("bad protocol").build();
        }
        int id = -1;
        for (int i = 0; i < channels.length && id < 0; i++) {
            if (channels[i] == null) {
                id = i;
            }
        }
        if (id < 0) {
            return status(r, FAILURE).finding(Findings.of(Rules.RPC_BAD_CHANNEL, "all " + channels.length
                    + " GuestRPC channels are open", "limit", channels.length, "register", "none"))
                    .summary("no free channel").build();
        }
        long high = withCookies ? nextCookie() : 0;
        long low = withCookies ? nextCookie() : 0;
        channels[id] = new RpcChannel(id, proto == MessageStatus.TCLO, withCookies, high, low);
        status(r, SUCCESS).write(3, (long) id << 16);
        facts.channel(channels[id], id).request.remove("channel");
        facts.reply.put("channel", String.valueOf(id));
        if (withCookies) {
            r.write(4, high).write(5, low);
            facts.reply.put("cookies", RpcSteps.cookiePair(high, low));
        }
        return r.summary((proto == MessageStatus.TCLO ? "TCLO" : "RPCI") + " channel " + id
                + (withCookies ? " with cookies" : "")).build();
    }

    private CommandReply sendSize(RpcChannel ch, long size, CommandReply.Builder r, RpcSteps.Facts facts) {
        facts.request.put("size", String.valueOf(size));
        if (ch.sending()) {
            r.finding(sequence(ch, "SENDSIZE while the previous message (" + ch.sendLength + " of "
                    + ch.sendExpected + " bytes) is incomplete; it is dropped"));
            ch.resetSend();
        }
        if (ch.reply != null && !ch.tclo) {
            r.finding(sequence(ch, "SENDSIZE while the previous reply was not received; it is dropped"));
            ch.dropReply();
        }
        if (size > settings.maxMessage()) {
            return status(r, FAILURE).finding(Findings.of(Rules.RPC_OVERSIZE, "guest announced a " + size
                    + "-byte message; the limit is " + settings.maxMessage(), "size", size,
                    "limit", settings.maxMessage(), "channel", ch.id)).summary("refused size " + size).build();
        }
        ch.startSend(size);
        if (size == 0) {
            facts.sent(deliver(ch));
            ch.emptyMessageSent = true;
        }
        return status(r, SUCCESS | hbBit()).summary("size " + size).build();
    }

    private CommandReply sendPayload(RpcChannel ch, long fourBytes, CommandReply.Builder r, RpcSteps.Facts facts) {
        facts.request.put("bytes", RpcSteps.chunk(fourBytes, ch.sending() ? (int) Math.min(4,
                Math.max(0, ch.sendExpected - ch.sendLength)) : 4));
        if (!ch.sending() || ch.sendComplete()) {
            return status(r, FAILURE).finding(sequence(ch, "SENDPAYLOAD without an announced size"))
                    .summary("no message in progress").build();
        }
        byte[] b = {(byte) fourBytes, (byte) (fourBytes >>> 8), (byte) (fourBytes >>> 16), (byte) (fourBytes >>> 24)};
        ch.append(b, 4);
        String summary = ch.sendLength + "/" + ch.sendExpected + " bytes";
        facts.reply.put("sent", summary);
        if (ch.sendComplete()) {
            facts.sent(deliver(ch));
        }
        return status(r, SUCCESS).summary(summary).build();
    }

    private CommandReply recvSize(RpcChannel ch, CommandReply.Builder r, RpcSteps.Facts facts) {
        if (ch.sending()) {
            return status(r, FAILURE).finding(sequence(ch, "RECVSIZE while the guest message is incomplete"))
                    .summary("send incomplete").build();
        }
        if (ch.reply == null && ch.tclo) {
            String next = tclo.poll();
            if (next != null) {
                ch.tcloCommand = next;
                ch.setReply(next.getBytes(StandardCharsets.UTF_8));
            }
        }
        if (ch.reply == null) {
            facts.reply.put("size", "0");
            if (!ch.tclo) {
                r.finding(sequence(ch, "RECVSIZE without a message sent first"));
            }
            return status(r, SUCCESS | hbBit()).write(1, 0).summary("nothing pending").build();
        }
        ch.sizeGiven = true;
        ch.recvOffset = 0;
        facts.reply.put("size", String.valueOf(ch.reply.length));
        return status(r, SUCCESS | DORECV | hbBit()).write(1, ch.reply.length).write(3, 1L << 16)
                .summary("reply of " + ch.reply.length + " bytes").build();
    }

    private CommandReply recvPayload(RpcChannel ch, CommandReply.Builder r, RpcSteps.Facts facts) {
        if (ch.reply == null || !ch.sizeGiven || ch.recvOffset >= ch.reply.length) {
            return status(r, FAILURE).finding(sequence(ch, "RECVPAYLOAD without reply bytes left to receive"))
                    .summary("nothing to receive").build();
        }
        long word = 0;
        int n = 0;
        for (; n < 4 && ch.recvOffset < ch.reply.length; n++) {
            word |= (ch.reply[ch.recvOffset++] & 0xFFL) << (8 * n);
        }
        facts.reply.put("bytes", RpcSteps.chunk(word, n));
        facts.reply.put("received", ch.recvOffset + "/" + ch.reply.length + " bytes");
        if (ch.recvOffset == ch.reply.length) {
            facts.received(ch.reply);
        }
        return status(r, SUCCESS).write(1, word).write(3, 2L << 16)
                .summary(ch.recvOffset + "/" + ch.reply.length + " bytes").build();
    }

    private CommandReply recvStatus(RpcChannel ch, long guestStatus, CommandReply.Builder r, RpcSteps.Facts facts) {
        facts.request.put("guest status", (guestStatus & SUCCESS) != 0 ? "SUCCESS" : "FAILURE");
        if (ch.reply == null || !ch.sizeGiven) {
            return status(r, FAILURE).finding(sequence(ch, "RECVSTATUS without a received reply"))
                    .summary("no reply").build();
        }
        boolean ok = (guestStatus & SUCCESS) != 0;
        if (ok && ch.recvOffset < ch.reply.length) {
            return status(r, FAILURE).finding(sequence(ch, "RECVSTATUS(1) after " + ch.recvOffset + " of "
                    + ch.reply.length + " reply bytes")).summary("reply incomplete").build();
        }
        ch.dropReply();
        return status(r, SUCCESS).summary(ok ? "reply acknowledged" : "guest reported failure; reply dropped").build();
    }

    // ---- high bandwidth ----------------------------------------------------------------------------

    /** Answers an HB MESSAGE transfer ({@code rep outsb/insb} or vmcall HB, EBX[15:0] = 0). */
    public CommandReply highBandwidth(BackdoorCall call, GuestMemoryView memory) {
        boolean out = call.direction() == Direction.OUT;
        RpcSteps.Facts facts = new RpcSteps.Facts();
        return RpcSteps.step(highBandwidth(call, memory, facts), out ? "HB_OUT" : "HB_IN", 1, facts);
    }

    private CommandReply highBandwidth(BackdoorCall call, GuestMemoryView memory, RpcSteps.Facts facts) {
        boolean out = call.direction() == Direction.OUT;
        String name = out ? "MESSAGE.HB_OUT" : "MESSAGE.HB_IN";
        int id = call.in3High();
        RpcChannel ch = id < channels.length ? channels[id] : null;
        long high = out ? call.arg32(6) : call.arg32(4);
        long low = out ? call.arg32(5) : call.arg32(6);
        facts.channel(ch, id).cookies(ch, high, low);
        facts.request.put("bytes", String.valueOf(call.hbCount()));
        facts.request.put("buffer", hex(call.hbBuffer()));
        if (ch == null) {
            return hbStatus(CommandReply.of(name, name), FAILURE).finding(badChannel(id))
                    .summary("bad channel " + id).build();
        }
        CommandReply.Builder r = CommandReply.of(name, ch.cookies ? name : name + ".NOCOOKIE");
        if (ch.cookies && (high != ch.cookieHigh || low != ch.cookieLow)) {
            return hbStatus(r, FAILURE).finding(badCookie(id, high, low)).summary("bad cookie").build();
        }
        boolean afterEmptySend = ch.emptyMessageSent;
        ch.emptyMessageSent = false;
        return out ? hbOut(ch, call, memory, r, afterEmptySend, facts) : hbIn(ch, call, memory, r, facts);
    }

    private CommandReply hbOut(RpcChannel ch, BackdoorCall call, GuestMemoryView memory, CommandReply.Builder r,
                               boolean afterEmptySend, RpcSteps.Facts facts) {
        long count = call.hbCount();
        if (count == 0 && afterEmptySend) {
            // Drivers that always follow an HB-capable SENDSIZE with one HB-out also do so for an empty
            // message (delivered at SENDSIZE 0): a transfer of nothing, answered as success.
            return hbStatus(r, SUCCESS).summary("empty message (delivered at SENDSIZE 0)").build();
        }
        if (!ch.sending() || ch.sendLength != 0) {
            return hbStatus(r, FAILURE).finding(sequence(ch, "HB send without a fresh SENDSIZE"))
                    .summary("no message announced").build();
        }
        if (count != ch.sendExpected) {
            long announced = ch.sendExpected;
            ch.resetSend();
            return hbStatus(r, FAILURE).finding(Findings.of(Rules.RPC_LENGTH_MISMATCH, "HB send of " + count
                    + " bytes after SENDSIZE announced " + announced, "count", count, "announced", announced,
                    "channel", ch.id))
                    .summary("length mismatch").build();
        }
        long address = call.hbBuffer();
        try {
            int chunkMax = Math.max(1, memory.maxReadSize());
            while (ch.sendLength < ch.sendExpected) {
                int n = (int) Math.min(chunkMax, ch.sendExpected - ch.sendLength);
                byte[] bytes = memory.read(address + ch.sendLength, n);
                ch.append(bytes, bytes.length);
            }
        } catch (GuestMemoryView.GuestMemoryException e) {
            ch.resetSend();
            return hbStatus(r, FAILURE).finding(Findings.of(Rules.ARGUMENT_INVALID, "HB send buffer unreadable: "
                    + e.getMessage(), "address", hex(address), "count", count)).summary("buffer unreadable").build();
        }
        facts.sent(deliver(ch));
        return hbStatus(r, SUCCESS).summary("sent " + count + " bytes from " + hex(address)).build();
    }

    private CommandReply hbIn(RpcChannel ch, BackdoorCall call, GuestMemoryView memory, CommandReply.Builder r,
                              RpcSteps.Facts facts) {
        long count = call.hbCount();
        if (ch.reply == null || !ch.sizeGiven || ch.recvOffset != 0) {
            return hbStatus(r, FAILURE).finding(sequence(ch, "HB receive without a fresh RECVSIZE"))
                    .summary("nothing announced").build();
        }
        if (count != ch.reply.length) {
            return hbStatus(r, FAILURE).finding(Findings.of(Rules.RPC_LENGTH_MISMATCH, "HB receive of " + count
                    + " bytes but the reply has " + ch.reply.length, "count", count, "channel", ch.id))
                    .summary("length mismatch").build();
        }
        long address = call.hbBuffer();
        if (count > 0 && !memory.isWritable(address, count)) {
            return hbStatus(r, FAILURE).finding(Findings.of(Rules.ARGUMENT_INVALID, "HB receive buffer "
                    + hex(address) + " is not writable", "address", hex(address), "count", count))
                    .summary("buffer not writable").build();
        }
        ch.recvOffset = ch.reply.length;
        facts.received(ch.reply);
        return hbStatus(r, SUCCESS).memory(new MemoryWrite(address, ch.reply))
                .summary("received " + count + " bytes at " + hex(address)).build();
    }

    // ---- helpers -----------------------------------------------------------------------------------

    /** Hands the guest's complete message to RPCI or TCLO; returns its bytes. */
    private byte[] deliver(RpcChannel ch) {
        byte[] message = ch.takeMessage();
        String text = new String(message, StandardCharsets.UTF_8);
        if (ch.tclo) {
            tclo.guestSent(ch.tcloCommand, text);
            ch.tcloCommand = null;
        } else {
            ch.setReply(registry.dispatch(text).getBytes(StandardCharsets.UTF_8));
        }
        return message;
    }

    private int hbBit() {
        return settings.advertiseHb() ? HB : 0;
    }

    /** LB reply: EAX = 0, ECX = status << 16. */
    private static CommandReply.Builder status(CommandReply.Builder r, int status) {
        return r.write(0, 0).write(2, word(status));
    }

    /** HB reply: EAX = 0, EBX = status << 16. */
    private static CommandReply.Builder hbStatus(CommandReply.Builder r, int status) {
        return r.write(0, 0).write(1, word(status));
    }

    private static io.hvprobe.spi.Finding badChannel(int id) {
        // The session never opened this channel: an OPEN by an earlier step of the caller could have.
        return Findings.of(Rules.RPC_BAD_CHANNEL, "GuestRPC channel " + id + " is not open", "channel", id)
                .dependingOn(io.hvprobe.spi.Dependency.PROTOCOL_STATE);
    }

    private static io.hvprobe.spi.Finding badCookie(int id, long high, long low) {
        return Findings.of(Rules.RPC_BAD_COOKIE, "GuestRPC cookies do not match channel " + id, "channel", id,
                "cookie-high", hex(high), "cookie-low", hex(low));
    }

    private static io.hvprobe.spi.Finding sequence(RpcChannel ch, String message) {
        return Findings.of(Rules.RPC_SEQUENCE, message, "channel", ch.id);
    }

    private long nextCookie() {
        cookiesDrawn++;
        return cookies.nextInt() & 0xFFFF_FFFFL;
    }

    /**
     * Makes the channels and the cookie generator equal to {@code other}'s (same settings assumed; the registry and
     * the TCLO queue are copied on their own).
     */
    public void copyFrom(GuestRpc other) {
        for (int i = 0; i < channels.length; i++) {
            channels[i] = other.channels[i] == null ? null : other.channels[i].copy();
        }
        if (other.cookiesDrawn < cookiesDrawn) {
            cookies = new SplittableRandom(settings.cookieSeed());
            cookiesDrawn = 0;
        }
        while (cookiesDrawn < other.cookiesDrawn) {
            nextCookie();
        }
    }
}
