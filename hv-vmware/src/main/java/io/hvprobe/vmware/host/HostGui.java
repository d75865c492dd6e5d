package io.hvprobe.vmware.host;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/** Host-side GUI state the guest sees: pointer, clipboards, GUI options, removable devices. */
public final class HostGui {
    /**
     * A removable device.
     *
     * @param name      up to 31 bytes of name
     * @param connected whether it is connected
     */
    public record Device(String name, boolean connected) {
    }

    private static final int MAX_DEVICES = 52;

    int pointerX = -100;
    int pointerY = -100;
    long guiOptions;
    byte[] hostClipboard = new byte[0];
    int hostClipboardOffset;
    long guestClipboardExpected = -1;
    byte[] guestClipboard = new byte[0];
    int guestClipboardLength;
    String lastGuestClipboard = "";
    final List<Device> devices = new ArrayList<>();

    HostGui(long guiOptions) {
        this.guiOptions = guiOptions;
    }

    /** Sets the pointer position GETPTRLOCATION reports ((-100, -100) = not grabbed). */
    public void setPointer(int x, int y) {
        pointerX = x;
        pointerY = y;
    }

    /** The pointer position, {x, y}. */
    public int[] pointer() {
        return new int[]{pointerX, pointerY};
    }

    /** Sets the host clipboard text the guest reads with GETSELLENGTH/GETNEXTPIECE. */
    public void setHostClipboard(String text) {
        hostClipboard = text.getBytes(StandardCharsets.UTF_8);
        hostClipboardOffset = 0;
    }

    /** The last complete guest clipboard (SETSELLENGTH + SETNEXTPIECE). */
    public String guestClipboard() {
        return lastGuestClipboard;
    }

    /** The current GUI option bits. */
    public long guiOptions() {
        return guiOptions;
    }

    /** Adds a removable device (at most 52); returns its id. */
    public int addDevice(String name, boolean connected) {
        if (devices.size() >= MAX_DEVICES) {
            throw new IllegalStateException("at most " + MAX_DEVICES + " devices");
        }
        devices.add(new Device(name, connected));
        return devices.size() - 1;
    }

    /** The devices by id. */
    public List<Device> devices() {
        return List.copyOf(devices);
    }

    void appendGuestClipboard(long fourBytes) {
        byte[] b = {(byte) fourBytes, (byte) (fourBytes >>> 8), (byte) (fourBytes >>> 16), (byte) (fourBytes >>> 24)};
        int n = (int) Math.min(4, guestClipboardExpected - guestClipboardLength);
        if (guestClipboardLength + n > guestClipboard.length) {
            guestClipboard = Arrays.copyOf(guestClipboard, Math.max(16, Math.min((int) guestClipboardExpected,
                    Math.max(guestClipboard.length * 2, guestClipboardLength + n))));
        }
        System.arraycopy(b, 0, guestClipboard, guestClipboardLength, n);
        guestClipboardLength += n;
        if (guestClipboardLength == guestClipboardExpected) {
            lastGuestClipboard = new String(guestClipboard, 0, guestClipboardLength, StandardCharsets.UTF_8);
            guestClipboardExpected = -1;
        }
    }

    /** Makes this state equal to {@code other}'s (arrays copied, so the two never share a buffer). */
    public void copyFrom(HostGui other) {
        pointerX = other.pointerX;
        pointerY = other.pointerY;
        guiOptions = other.guiOptions;
        hostClipboard = other.hostClipboard.clone();
        hostClipboardOffset = other.hostClipboardOffset;
        guestClipboardExpected = other.guestClipboardExpected;
        guestClipboard = other.guestClipboard.clone();
        guestClipboardLength = other.guestClipboardLength;
        lastGuestClipboard = other.lastGuestClipboard;
        devices.clear();
        devices.addAll(other.devices);
    }
}
