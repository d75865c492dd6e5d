package io.hvprobe.cli;

import io.hvprobe.api.Probe;
import io.hvprobe.api.ProbeOptions;
import io.hvprobe.loader.GuestImage;
import io.hvprobe.loader.ImageLoader;
import io.hvprobe.loader.LoadException;
import io.hvprobe.loader.LoadOptions;
import io.hvprobe.loader.ObjectBytes;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Opens the objects named on the command line, turning every load problem into an {@link InputError}. */
final class GuestObjects {
    private GuestObjects() {
    }

    /** The file {@code name}; an {@link InputError} when it does not exist or is not a regular file. */
    static Path existing(String name) {
        Path p = Path.of(name);
        if (!Files.exists(p)) {
            throw new InputError("no such file: " + name);
        }
        if (Files.isDirectory(p)) {
            throw new InputError(name + ": is a directory; give an object file (only 'check' and 'scan' search directories)");
        }
        if (!Files.isRegularFile(p)) {
            throw new InputError("not a regular file: " + name);
        }
        return p;
    }

    /** Loads and prepares {@code object}; the label is the path as the user wrote it. */
    static Probe open(Path object, ProbeOptions options) {
        return open(object, options, object.toString());
    }

    /**
     * Loads {@code object} with the shared objects {@code libraries} (their imports bound across, constructors
     * run first) and prepares it; the label is the path as the user wrote it.
     */
    static Probe openWith(Path object, java.util.List<Path> libraries, ProbeOptions options) {
        return openWith(object, libraries, options, object.toString());
    }

    /** As {@link #openWith(Path, java.util.List, ProbeOptions)}; {@code label} names the object in findings. */
    static Probe openWith(Path object, java.util.List<Path> libraries, ProbeOptions options, String label) {
        try {
            return Probe.open(label, ImageLoader.loadWith(object, libraries, options.load()), options);
        } catch (LoadException e) {
            throw new InputError(e.getMessage(), e);
        } catch (IllegalArgumentException e) {
            throw new InputError(e.getMessage(), e);
        }
    }

    /** Loads and prepares {@code object}; {@code label} names it in findings. */
    static Probe open(Path object, ProbeOptions options, String label) {
        try {
            return Probe.open(label, ImageLoader.load(object, options.load()), options);
        } catch (LoadException e) {
            throw loadError(object, e);
        } catch (IllegalArgumentException e) {
            // Unknown hypervisor, profile or setting.
            throw new InputError(e.getMessage(), e);
        }
    }

    /** Prepares the already loaded {@code image}; {@code label} names it in findings. */
    static Probe open(GuestImage image, ProbeOptions options, String label) {
        try {
            return Probe.open(label, image, options);
        } catch (IllegalArgumentException e) {
            // Unknown hypervisor, profile or setting.
            throw new InputError(e.getMessage(), e);
        }
    }

    /** Loads {@code object} without an emulator. */
    static GuestImage load(Path object) {
        return load(object, LoadOptions.defaults());
    }

    /** Loads {@code object} with {@code options}, without an emulator. */
    static GuestImage load(Path object, LoadOptions options) {
        try {
            return ImageLoader.load(object, options);
        } catch (LoadException e) {
            throw loadError(object, e);
        }
    }

    /**
     * {@code e} as an input error naming {@code file} as the user gave it: the loader names images by their base
     * name, which is ambiguous when a tree holds many {@code detect-port.o}.
     */
    static InputError loadError(Path file, LoadException e) {
        String message = String.valueOf(e.getMessage());
        Path base = file.getFileName();
        if (base != null && message.startsWith(base + ": ")) {
            message = file + message.substring(base.toString().length());
        }
        return new InputError(message, e);
    }

    /** Whether {@code file} starts with the ELF magic, after decompression when it is xz ({@code .ko.xz}). */
    static boolean isElf(Path file) {
        try {
            byte[] m = ObjectBytes.head(file, 4);
            return m.length == 4 && m[0] == 0x7f && m[1] == 'E' && m[2] == 'L' && m[3] == 'F';
        } catch (IOException e) {
            return false;
        }
    }
}
