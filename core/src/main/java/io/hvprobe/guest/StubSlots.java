package io.hvprobe.guest;

import io.hvprobe.loader.Stub;
import io.hvprobe.loader.StubKind;

import java.util.Arrays;
import java.util.List;
import java.util.TreeMap;

/**
 * An image's function stubs by address, each with what the machine keeps for it: a fixed return value set by the
 * caller, a Java handler, the stub's last call. Found by binary search over the sorted addresses: stubs lie 16 bytes
 * apart, so as {@code Long} keys of a hash map they shared a few buckets, and four map lookups per stub call showed in
 * drivers that call kernel functions in loops.
 *
 * <p>Not thread-safe: one per machine.
 */
final class StubSlots {
    /** One function stub and the machine's state for it. */
    static final class Slot {
        private final Stub stub;
        private Long returnOverride;
        private StubHandler handler;
        private StubCall last;

        private Slot(Stub stub) {
            this.stub = stub;
        }

        Stub stub() {
            return stub;
        }

        /** The value set to be returned instead of the stub's own or its handler's, or null. */
        Long returnOverride() {
            return returnOverride;
        }

        /** The Java behaviour of the stub, or null. */
        StubHandler handler() {
            return handler;
        }

        /** The stub's last call in the current call of the machine, or null. */
        StubCall last() {
            return last;
        }

        void last(StubCall call) {
            last = call;
        }
    }

    private final long[] addresses;
    private final Slot[] slots;

    /** The function stubs among {@code stubs}; where several share an address, the first. */
    StubSlots(List<Stub> stubs) {
        TreeMap<Long, Stub> byAddress = new TreeMap<>();
        for (Stub s : stubs) {
            if (s.kind() == StubKind.FUNCTION) {
                byAddress.putIfAbsent(s.address(), s);
            }
        }
        addresses = byAddress.keySet().stream().mapToLong(Long::longValue).toArray();
        slots = byAddress.values().stream().map(Slot::new).toArray(Slot[]::new);
    }

    /** {@return the function stub at {@code address} and its state, or null when no function stub starts there} */
    Slot at(long address) {
        int i = Arrays.binarySearch(addresses, address);
        return i < 0 ? null : slots[i];
    }

    /** {@return the stub addresses, ascending} */
    long[] addresses() {
        return addresses.clone();
    }

    void setReturn(long address, long value) {
        Slot s = at(address);
        if (s != null) {
            s.returnOverride = value;
        }
    }

    void setHandler(long address, StubHandler handler) {
        Slot s = at(address);
        if (s != null) {
            s.handler = handler;
        }
    }

    /** A new call starts: no stub has been called in it. */
    void forgetLastCalls() {
        for (Slot s : slots) {
            s.last = null;
        }
    }
}
