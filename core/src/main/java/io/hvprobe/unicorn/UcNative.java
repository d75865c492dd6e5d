package io.hvprobe.unicorn;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.SymbolLookup;
import java.lang.invoke.MethodHandle;

/**
 * Hand-written downcall handles for the part of {@code unicorn.h} (2.0.x) that hvprobe uses.
 * If the library is missing every handle is {@code null}, if it lacks a function that function's handle is; either
 * way {@link #LOAD_ERROR} says why, and callers check {@link #requireLoaded()} once before creating an engine. The
 * static initialiser never throws, so any thread may run it first (the CLI starts it on a background thread).
 */
@SuppressWarnings("restricted") // this package is the FFM binding: native access is its purpose
final class UcNative {
    static final String LOAD_ERROR;

    // uc_err uc_open(uc_arch arch, uc_mode mode, uc_engine **uc)
    static final MethodHandle UC_OPEN;
    // uc_err uc_close(uc_engine *uc)
    static final MethodHandle UC_CLOSE;
    // const char *uc_strerror(uc_err code)
    static final MethodHandle UC_STRERROR;
    // unsigned int uc_version(unsigned int *major, unsigned int *minor)
    static final MethodHandle UC_VERSION;
    // uc_err uc_query(uc_engine *uc, uc_query_type type, size_t *result)
    static final MethodHandle UC_QUERY;
    // uc_err uc_reg_read(uc_engine *uc, int regid, void *value) (and uc_reg_write)
    static final MethodHandle UC_REG_READ;
    static final MethodHandle UC_REG_WRITE;
    // uc_err uc_reg_read_batch(uc_engine *uc, int *regs, void **vals, int count) (and write)
    static final MethodHandle UC_REG_READ_BATCH;
    static final MethodHandle UC_REG_WRITE_BATCH;
    // uc_err uc_mem_read(uc_engine *uc, uint64_t address, void *bytes, size_t size) (and write)
    static final MethodHandle UC_MEM_READ;
    static final MethodHandle UC_MEM_WRITE;
    // uc_err uc_mem_map(uc_engine *uc, uint64_t address, size_t size, uint32_t perms)
    static final MethodHandle UC_MEM_MAP;
    // uc_err uc_mem_unmap(uc_engine *uc, uint64_t address, size_t size)
    static final MethodHandle UC_MEM_UNMAP;
    // uc_err uc_mem_protect(uc_engine *uc, uint64_t address, size_t size, uint32_t perms)
    static final MethodHandle UC_MEM_PROTECT;
    // uc_err uc_mem_regions(uc_engine *uc, uc_mem_region **regions, uint32_t *count)
    static final MethodHandle UC_MEM_REGIONS;
    // uc_err uc_free(void *mem)
    static final MethodHandle UC_FREE;
    // uc_err uc_emu_start(uc_engine *uc, uint64_t begin, uint64_t until, uint64_t timeout, size_t count)
    static final MethodHandle UC_EMU_START;
    // uc_err uc_emu_stop(uc_engine *uc)
    static final MethodHandle UC_EMU_STOP;
    // uc_err uc_hook_add(uc_engine *uc, uc_hook *hh, int type, void *callback, void *user_data,
    //                    uint64_t begin, uint64_t end, ...)
    static final MethodHandle UC_HOOK_ADD;
    // the same with one variadic int: the instruction id of UC_HOOK_INSN
    static final MethodHandle UC_HOOK_ADD_INSN;
    // uc_err uc_hook_del(uc_engine *uc, uc_hook hh)
    static final MethodHandle UC_HOOK_DEL;
    // uc_err uc_context_alloc(uc_engine *uc, uc_context **context)
    static final MethodHandle UC_CONTEXT_ALLOC;
    // uc_err uc_context_save(uc_engine *uc, uc_context *context)
    static final MethodHandle UC_CONTEXT_SAVE;
    // uc_err uc_context_restore(uc_engine *uc, uc_context *context)
    static final MethodHandle UC_CONTEXT_RESTORE;
    // uc_err uc_context_free(uc_context *context)
    static final MethodHandle UC_CONTEXT_FREE;
    // size_t uc_context_size(uc_engine *uc)
    static final MethodHandle UC_CONTEXT_SIZE;
    // uc_err uc_ctl(uc_engine *uc, uc_control_type control, ...) with two uint64_t: begin and end of a range
    static final MethodHandle UC_CTL_RANGE;
    // the same without arguments
    static final MethodHandle UC_CTL;

    /** The first function the library lacks, or null; set while the handles are made. */
    private static String missingSymbol;

    static {
        SymbolLookup lib = null;
        String error = null;
        try {
            lib = UnicornLibrary.find(UnicornLibrary.SONAMES);
        } catch (UnicornUnavailableException e) {
            error = e.getMessage();
        }
        Linker linker = Linker.nativeLinker();
        // Functions that never call back into Java may use the cheaper critical transition; the memory
        // functions also accept heap segments then, so byte[] data needs no native copy.
        Linker.Option critical = Linker.Option.critical(true);
        Linker.Option variadic = Linker.Option.firstVariadicArg(7);
        UC_OPEN = handle(lib, linker, "uc_open", FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_INT, ADDRESS));
        UC_CLOSE = handle(lib, linker, "uc_close", FunctionDescriptor.of(JAVA_INT, ADDRESS));
        UC_STRERROR = handle(lib, linker, "uc_strerror", FunctionDescriptor.of(ADDRESS, JAVA_INT));
        UC_VERSION = handle(lib, linker, "uc_version", FunctionDescriptor.of(JAVA_INT, ADDRESS, ADDRESS));
        UC_QUERY = handle(lib, linker, "uc_query", FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_INT, ADDRESS));
        UC_REG_READ = handle(lib, linker, "uc_reg_read",
                FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_INT, ADDRESS), critical);
        UC_REG_WRITE = handle(lib, linker, "uc_reg_write",
                FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_INT, ADDRESS), critical);
        UC_REG_READ_BATCH = handle(lib, linker, "uc_reg_read_batch",
                FunctionDescriptor.of(JAVA_INT, ADDRESS, ADDRESS, ADDRESS, JAVA_INT), critical);
        UC_REG_WRITE_BATCH = handle(lib, linker, "uc_reg_write_batch",
                FunctionDescriptor.of(JAVA_INT, ADDRESS, ADDRESS, ADDRESS, JAVA_INT), critical);
        UC_MEM_READ = handle(lib, linker, "uc_mem_read",
                FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_LONG, ADDRESS, JAVA_LONG), critical);
        UC_MEM_WRITE = handle(lib, linker, "uc_mem_write",
                FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_LONG, ADDRESS, JAVA_LONG), critical);
        UC_MEM_MAP = handle(lib, linker, "uc_mem_map",
                FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_LONG, JAVA_LONG, JAVA_INT));
        UC_MEM_UNMAP = handle(lib, linker, "uc_mem_unmap",
                FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_LONG, JAVA_LONG));
        UC_MEM_PROTECT = handle(lib, linker, "uc_mem_protect",
                FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_LONG, JAVA_LONG, JAVA_INT));
        UC_MEM_REGIONS = handle(lib, linker, "uc_mem_regions",
                FunctionDescriptor.of(JAVA_INT, ADDRESS, ADDRESS, ADDRESS));
        UC_FREE = handle(lib, linker, "uc_free", FunctionDescriptor.of(JAVA_INT, ADDRESS));
        UC_EMU_START = handle(lib, linker, "uc_emu_start",
                FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_LONG, JAVA_LONG, JAVA_LONG, JAVA_LONG));
        UC_EMU_STOP = handle(lib, linker, "uc_emu_stop", FunctionDescriptor.of(JAVA_INT, ADDRESS));
        UC_HOOK_ADD = handle(lib, linker, "uc_hook_add", FunctionDescriptor.of(JAVA_INT,
                ADDRESS, ADDRESS, JAVA_INT, ADDRESS, ADDRESS, JAVA_LONG, JAVA_LONG), variadic);
        UC_HOOK_ADD_INSN = handle(lib, linker, "uc_hook_add", FunctionDescriptor.of(JAVA_INT,
                ADDRESS, ADDRESS, JAVA_INT, ADDRESS, ADDRESS, JAVA_LONG, JAVA_LONG, JAVA_INT), variadic);
        UC_HOOK_DEL = handle(lib, linker, "uc_hook_del", FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_LONG));
        UC_CONTEXT_ALLOC = handle(lib, linker, "uc_context_alloc", FunctionDescriptor.of(JAVA_INT, ADDRESS, ADDRESS));
        UC_CONTEXT_SAVE = handle(lib, linker, "uc_context_save", FunctionDescriptor.of(JAVA_INT, ADDRESS, ADDRESS),
                critical);
        UC_CONTEXT_RESTORE = handle(lib, linker, "uc_context_restore",
                FunctionDescriptor.of(JAVA_INT, ADDRESS, ADDRESS), critical);
        UC_CONTEXT_FREE = handle(lib, linker, "uc_context_free", FunctionDescriptor.of(JAVA_INT, ADDRESS));
        UC_CONTEXT_SIZE = handle(lib, linker, "uc_context_size", FunctionDescriptor.of(JAVA_LONG, ADDRESS));
        UC_CTL_RANGE = handle(lib, linker, "uc_ctl", FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_INT, JAVA_LONG,
                JAVA_LONG), Linker.Option.firstVariadicArg(2));
        UC_CTL = handle(lib, linker, "uc_ctl", FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_INT),
                Linker.Option.firstVariadicArg(2));
        LOAD_ERROR = error != null ? error : missingSymbol == null ? null
                : "libunicorn lacks symbol " + missingSymbol + ": Unicorn 2 needed: apt-get install libunicorn2";
    }

    private UcNative() {
    }

    private static MethodHandle handle(SymbolLookup lib, Linker linker, String name, FunctionDescriptor fd,
                                       Linker.Option... options) {
        if (lib == null) {
            return null;
        }
        MemorySegment symbol = lib.find(name).orElse(null);
        if (symbol == null) {
            // An older or foreign library under the same name: a load error, not a failed class initialisation.
            missingSymbol = missingSymbol == null ? name : missingSymbol;
            return null;
        }
        return linker.downcallHandle(symbol, fd, options);
    }

    /** Throws the one-line load error if the library is missing. */
    static void requireLoaded() {
        if (LOAD_ERROR != null) {
            throw new UnicornUnavailableException(LOAD_ERROR);
        }
    }

    /** {@code uc_strerror(code)} as a Java string. */
    static String strerror(int code) {
        requireLoaded();
        try {
            MemorySegment text = (MemorySegment) UC_STRERROR.invokeExact(code);
            return text.equals(MemorySegment.NULL) ? "unknown error " + code
                    : text.reinterpret(4096).getString(0);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    /** Rethrows what a downcall handle threw; handles declare Throwable but only throw unchecked ones. */
    static RuntimeException rethrow(Throwable t) {
        if (t instanceof RuntimeException r) {
            return r;
        }
        if (t instanceof Error e) {
            throw e;
        }
        return new IllegalStateException(t);
    }
}
