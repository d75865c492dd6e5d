package io.hvprobe.cli;

import io.hvprobe.api.Probe;
import io.hvprobe.guest.UnknownFunctionException;
import io.hvprobe.loader.GuestImage;
import io.hvprobe.loader.GuestSymbol;
import io.hvprobe.loader.SymbolType;

/** Validation of option values shared by the commands (usage errors, exit 2). */
final class Options {
    private Options() {
    }

    /** The defined function {@code name}; an input error naming the object's functions otherwise. */
    static GuestSymbol function(Probe probe, String name) throws UnknownFunctionException {
        return function(probe.image(), probe.object(), name);
    }

    static GuestSymbol function(GuestImage image, String object, String name) throws UnknownFunctionException {
        GuestSymbol s = image.symbol(name).orElseThrow(() ->
                new UnknownFunctionException(object, name,
                        image.functions().stream().map(GuestSymbol::name).toList()));
        // Running or disassembling data as code only produces a confusing fault; assembler labels (NOTYPE) in
        // code are fine.
        if (s.type() == SymbolType.OBJECT) {
            throw new InputError(object + ": '" + name + "' is a data object" + (s.section().isEmpty() ? ""
                    : " in " + s.section()) + ", not a function");
        }
        return s;
    }
}
