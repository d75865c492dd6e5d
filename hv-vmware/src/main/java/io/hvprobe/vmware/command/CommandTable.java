package io.hvprobe.vmware.command;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/** The commands a profile implements: number to handler, with the contract keys each may answer with. */
public final class CommandTable {

    /**
     * One implemented command.
     *
     * @param number       command number
     * @param name         command name
     * @param description  one sentence
     * @param contractKeys every contract key the handler may answer with (for the catalogue)
     * @param handler      the handler
     */
    public record Registration(int number, String name, String description, List<String> contractKeys,
                               CommandHandler handler) {
        public Registration {
            contractKeys = List.copyOf(contractKeys);
        }
    }

    /** Command numbers below this are looked up in {@link #byNumber}; the few above (if any) in the tree. */
    private static final int INDEXED = 1024;

    private final TreeMap<Integer, Registration> commands = new TreeMap<>();
    /**
     * {@link #get}'s answers indexed by command number, up to the highest registered below {@value #INDEXED}, made at
     * the first look-up after a registration: every low-bandwidth call looks its command up, and a boxed tree
     * look-up with a new {@code Optional} was a visible part of a hypercall.
     */
    private List<Optional<Registration>> byNumber;

    /** Registers a command (replacing an earlier registration of the number). */
    public CommandTable register(int number, String name, String description, List<String> contractKeys,
                                 CommandHandler handler) {
        commands.put(number, new Registration(number, name, description, contractKeys, handler));
        byNumber = null;
        return this;
    }

    /** Registers a command whose only contract key is its name. */
    public CommandTable register(int number, String name, String description, CommandHandler handler) {
        return register(number, name, description, List.of(name), handler);
    }

    /** The registration for {@code number}. */
    public Optional<Registration> get(int number) {
        if (number < 0 || number >= INDEXED) {
            return Optional.ofNullable(commands.get(number));
        }
        if (byNumber == null) {
            List<Optional<Registration>> index = new ArrayList<>();
            for (Registration r : commands.subMap(0, INDEXED).values()) {
                while (index.size() < r.number()) {
                    index.add(Optional.empty());
                }
                index.add(Optional.of(r));
            }
            byNumber = List.copyOf(index);
        }
        return number < byNumber.size() ? byNumber.get(number) : Optional.empty();
    }

    /** Every registration, by number. */
    public Map<Integer, Registration> all() {
        return Collections.unmodifiableMap(commands);
    }
}
