package io.hvprobe.vmware.command;

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

    private final Map<Integer, Registration> commands = new TreeMap<>();

    /** Registers a command (replacing an earlier registration of the number). */
    public CommandTable register(int number, String name, String description, List<String> contractKeys,
                                 CommandHandler handler) {
        commands.put(number, new Registration(number, name, description, contractKeys, handler));
        return this;
    }

    /** Registers a command whose only contract key is its name. */
    public CommandTable register(int number, String name, String description, CommandHandler handler) {
        return register(number, name, description, List.of(name), handler);
    }

    /** The registration for {@code number}. */
    public Optional<Registration> get(int number) {
        return Optional.ofNullable(commands.get(number));
    }

    /** Every registration, by number. */
    public Map<Integer, Registration> all() {
        return Collections.unmodifiableMap(commands);
    }
}
