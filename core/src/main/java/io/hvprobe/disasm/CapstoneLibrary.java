package io.hvprobe.disasm;

import com.sun.jna.Native;
import com.sun.jna.NativeLibrary;

import java.util.ArrayList;
import java.util.List;

/**
 * Loads libcapstone 4 once per JVM and binds {@link CapstoneNatives} to it.
 *
 * <p>Debian's runtime package {@code libcapstone4} ships only {@code libcapstone.so.4}; the unversioned
 * {@code libcapstone.so} comes with {@code libcapstone-dev}. So the versioned soname is tried first: JNA passes
 * a name that already carries a {@code .so} suffix to {@code dlopen} unchanged, and the dynamic linker finds it
 * through its cache and default paths. The plain name {@code capstone} is the fallback for installs elsewhere.
 * The system property {@value #LIBRARY_PROPERTY} (a path or a name) overrides both.
 */
final class CapstoneLibrary {
    /** System property naming the library to load instead of the defaults. */
    static final String LIBRARY_PROPERTY = "hvprobe.capstone.library";
    static final String SONAME = "libcapstone.so.4";
    static final String MISSING = SONAME + " not found: apt-get install libcapstone4";

    private static final Object LOCK = new Object();
    private static NativeLibrary loaded;
    private static DisassemblerUnavailableException failure;

    private CapstoneLibrary() {
    }

    /** Loads and binds the library (once); later calls return at once or repeat the first failure. */
    static void load() {
        synchronized (LOCK) {
            if (loaded != null) {
                return;
            }
            if (failure != null) {
                throw failure;
            }
            try {
                requireJnaNativeSupport();
                NativeLibrary library = open(candidates());
                try {
                    Native.register(CapstoneNatives.class, library);
                } catch (UnsatisfiedLinkError e) {
                    throw new DisassemblerUnavailableException(
                            library.getName() + " lacks a Capstone function: " + e.getMessage(), e);
                }
                checkVersion();
                loaded = library;
            } catch (DisassemblerUnavailableException e) {
                failure = e;
                throw e;
            }
        }
    }

    /**
     * Loads JNA's own native part (its dispatch library), which every later JNA call needs; without it the class
     * {@code Native} fails to initialise and would end the CLI with a stack trace.
     *
     * @throws DisassemblerUnavailableException when it cannot be loaded
     */
    private static void requireJnaNativeSupport() {
        try {
            Class.forName("com.sun.jna.Native", true, CapstoneLibrary.class.getClassLoader());
        } catch (LinkageError | ClassNotFoundException e) {
            throw new DisassemblerUnavailableException("JNA's native support (libjnidispatch) could not be loaded, so"
                    + " Capstone cannot be called: " + e.getMessage(), e);
        }
    }

    /** The names tried, in order. */
    static List<String> candidates() {
        List<String> names = new ArrayList<>();
        String override = System.getProperty(LIBRARY_PROPERTY);
        if (override != null && !override.isBlank()) {
            names.add(override.trim());
        }
        names.add(SONAME);
        names.add("capstone");
        return names;
    }

    /**
     * Opens the first of {@code names} that loads.
     *
     * @throws DisassemblerUnavailableException naming the library and the package to install
     */
    static NativeLibrary open(List<String> names) {
        UnsatisfiedLinkError last = null;
        for (String name : names) {
            try {
                return NativeLibrary.getInstance(name);
            } catch (UnsatisfiedLinkError e) {
                last = e;
            }
        }
        throw new DisassemblerUnavailableException(MISSING, last);
    }

    private static void checkVersion() {
        int[] major = new int[1];
        int[] minor = new int[1];
        try {
            CapstoneNatives.cs_version(major, minor);
        } catch (UnsatisfiedLinkError e) {
            throw new DisassemblerUnavailableException("loaded library is not Capstone: " + e.getMessage(), e);
        }
        // The instruction and detail layouts read in CapstoneDisassembler are those of Capstone 4.
        if (major[0] != 4) {
            throw new DisassemblerUnavailableException(
                    "Capstone " + major[0] + "." + minor[0] + " found, 4.x needed: apt-get install libcapstone4");
        }
    }
}
