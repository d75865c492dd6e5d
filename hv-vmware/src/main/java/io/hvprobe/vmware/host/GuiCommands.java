package io.hvprobe.vmware.host;

import io.hvprobe.vmware.command.CommandContext;
import io.hvprobe.vmware.command.CommandReply;
import io.hvprobe.vmware.command.CommandTable;
import io.hvprobe.vmware.finding.Findings;
import io.hvprobe.vmware.finding.Rules;

import java.nio.charset.StandardCharsets;

import static io.hvprobe.vmware.finding.Findings.hex;

/** Pointer (4, 5), clipboard (6–9), GUI options (13, 14) and removable devices (11, 12). */
public final class GuiCommands {
    private static final int RECORD_BYTES = 40;

    private final HostGui gui;
    private final int clipboardMax;

    /** Commands over {@code gui}; guest clipboards longer than {@code clipboardMax} are refused. */
    public GuiCommands(HostGui gui, int clipboardMax) {
        this.gui = gui;
        this.clipboardMax = clipboardMax;
    }

    /** Creates the state with the initial GUI options. */
    public static HostGui newState(long guiOptions) {
        return new HostGui(guiOptions);
    }

    /** Registers the commands. */
    public void register(CommandTable t) {
        t.register(4, "GETPTRLOCATION", "host pointer position", c -> eax("GETPTRLOCATION",
                ((long) (gui.pointerX & 0xFFFF) << 16) | (gui.pointerY & 0xFFFF)));
        t.register(5, "SETPTRLOCATION", "moves the host pointer", this::setPointer);
        t.register(6, "GETSELLENGTH", "host clipboard length", c -> {
            gui.hostClipboardOffset = 0;
            return eax("GETSELLENGTH", gui.hostClipboard.length);
        });
        t.register(7, "GETNEXTPIECE", "next 4 host clipboard bytes", c -> nextPiece());
        t.register(8, "SETSELLENGTH", "starts a guest clipboard transfer", this::setSelLength);
        t.register(9, "SETNEXTPIECE", "next 4 guest clipboard bytes", this::setNextPiece);
        t.register(11, "GETDEVICELISTELEMENT", "removable-device record bytes", this::deviceElement);
        t.register(12, "TOGGLEDEVICE", "connects/disconnects a device", this::toggleDevice);
        t.register(13, "GETGUIOPTIONS", "GUI option bits", c -> eax("GETGUIOPTIONS", gui.guiOptions));
        t.register(14, "SETGUIOPTIONS", "sets GUI option bits", c -> {
            gui.guiOptions = c.ebx();
            return CommandReply.of("SETGUIOPTIONS", "SETGUIOPTIONS").summary("options=" + hex(c.ebx())).build();
        });
    }

    private static CommandReply eax(String name, long value) {
        return CommandReply.of(name, name).write(0, value).summary("eax=" + hex(value & 0xFFFF_FFFFL)).build();
    }

    private CommandReply setPointer(CommandContext c) {
        gui.pointerX = (short) (c.ebx() >>> 16);
        gui.pointerY = (short) c.ebx();
        return CommandReply.of("SETPTRLOCATION", "SETPTRLOCATION").write(0, 0)
                .summary("x=" + gui.pointerX + " y=" + gui.pointerY).build();
    }

    private CommandReply nextPiece() {
        long word = 0;
        for (int i = 0; i < 4 && gui.hostClipboardOffset < gui.hostClipboard.length; i++) {
            word |= (gui.hostClipboard[gui.hostClipboardOffset++] & 0xFFL) << (8 * i);
        }
        return eax("GETNEXTPIECE", word);
    }

    private CommandReply setSelLength(CommandContext c) {
        long length = c.ebx();
        CommandReply.Builder r = CommandReply.of("SETSELLENGTH", "SETSELLENGTH").write(0, 0);
        gui.guestClipboardLength = 0;
        gui.guestClipboard = new byte[0];
        if (length > clipboardMax) {
            gui.guestClipboardExpected = -1;
            return r.finding(Findings.of(Rules.ARGUMENT_INVALID, "guest clipboard length " + length
                    + " exceeds " + clipboardMax + "; ignored", "length", length, "limit", clipboardMax))
                    .summary("refused").build();
        }
        gui.guestClipboardExpected = length;
        if (length == 0) {
            gui.lastGuestClipboard = "";
            gui.guestClipboardExpected = -1;
        }
        return r.summary("length=" + length).build();
    }

    private CommandReply setNextPiece(CommandContext c) {
        CommandReply.Builder r = CommandReply.of("SETNEXTPIECE", "SETNEXTPIECE");
        if (gui.guestClipboardExpected < 0) {
            return r.finding(Findings.of(Rules.ARGUMENT_INVALID, "SETNEXTPIECE without a pending SETSELLENGTH"))
                    .summary("ignored").build();
        }
        gui.appendGuestClipboard(c.ebx());
        return r.summary("received " + gui.guestClipboardLength + " bytes").build();
    }

    private CommandReply deviceElement(CommandContext c) {
        int device = (int) (c.ebx() >>> 16);
        int offset = (int) (c.ebx() & 0xFFFF);
        CommandReply.Builder r = CommandReply.of("GETDEVICELISTELEMENT", "GETDEVICELISTELEMENT");
        if (device >= gui.devices.size() || offset % 4 != 0 || offset >= RECORD_BYTES) {
            return r.write(0, 0).write(1, 0).summary("no such element").build();
        }
        byte[] record = record(device, gui.devices.get(device));
        long word = (record[offset] & 0xFFL) | (record[offset + 1] & 0xFFL) << 8 | (record[offset + 2] & 0xFFL) << 16
                | (record[offset + 3] & 0xFFL) << 24;
        return r.write(0, 1).write(1, word).summary("device " + device + " offset " + offset).build();
    }

    private static byte[] record(int id, HostGui.Device d) {
        byte[] rec = new byte[RECORD_BYTES];
        byte[] name = d.name().getBytes(StandardCharsets.UTF_8);
        System.arraycopy(name, 0, rec, 0, Math.min(31, name.length));
        rec[32] = (byte) id;
        rec[33] = (byte) (id >>> 8);
        rec[36] = (byte) (d.connected() ? 1 : 0);
        return rec;
    }

    private CommandReply toggleDevice(CommandContext c) {
        int device = (int) (c.ebx() & 0x7FFF_FFFFL);
        boolean connect = (c.ebx() & 0x8000_0000L) != 0;
        CommandReply.Builder r = CommandReply.of("TOGGLEDEVICE", "TOGGLEDEVICE");
        if (device >= gui.devices.size()) {
            return r.write(0, 0).summary("no device " + device).build();
        }
        gui.devices.set(device, new HostGui.Device(gui.devices.get(device).name(), connect));
        return r.write(0, 1).summary((connect ? "connected " : "disconnected ") + device).build();
    }
}
