package io.hvprobe.trap;

import io.hvprobe.guest.CallResult;
import io.hvprobe.guest.GuestMachine;
import io.hvprobe.guest.MachineOptions;
import io.hvprobe.loader.ImageLoader;
import io.hvprobe.loader.LoadException;
import io.hvprobe.loader.Permissions;
import io.hvprobe.run.HypercallRecord;
import io.hvprobe.spi.HypervisorSession;

import java.util.ArrayList;
import java.util.List;

/** Test helper: a {@link Program} in a {@link GuestMachine} with a {@link TrapInterceptor} attached. */
final class TrapBench implements AutoCloseable {
    final Program program;
    final GuestMachine machine;
    final TrapInterceptor interceptor;

    private TrapBench(Program program, GuestMachine machine, TrapInterceptor interceptor) {
        this.program = program;
        this.machine = machine;
        this.interceptor = interceptor;
    }

    static TrapBench of(Program program, HypervisorSession... sessions) {
        return of(program, Permissions.READ_EXECUTE, CpuModel.defaults(), TrappedSystemRegisters.defaults(),
                sessions);
    }

    static TrapBench writable(Program program, HypervisorSession... sessions) {
        return of(program, Permissions.ALL, CpuModel.defaults(), TrappedSystemRegisters.defaults(), sessions);
    }

    static TrapBench of(Program program, Permissions permissions, CpuModel cpu, TrappedSystemRegisters trapped,
                        HypervisorSession... sessions) {
        GuestMachine machine;
        try {
            machine = GuestMachine.create(ImageLoader.loadRaw(program.blob(permissions),
                    io.hvprobe.loader.LoadOptions.defaults()), MachineOptions.defaults());
        } catch (LoadException e) {
            throw new AssertionError(e);
        }
        List<TrapInterceptor.PluginSession> plugins = new ArrayList<>();
        for (int i = 0; i < sessions.length; i++) {
            plugins.add(new TrapInterceptor.PluginSession("plugin" + i, sessions[i]));
        }
        return new TrapBench(program, machine, TrapInterceptor.attach(machine, plugins, cpu, trapped));
    }

    static TrapBench withLog(Program program, io.hvprobe.run.HypercallLog log, HypervisorSession... sessions) {
        GuestMachine machine;
        try {
            machine = GuestMachine.create(ImageLoader.loadRaw(program.blob(Permissions.READ_EXECUTE),
                    io.hvprobe.loader.LoadOptions.defaults()), MachineOptions.defaults());
        } catch (LoadException e) {
            throw new AssertionError(e);
        }
        List<TrapInterceptor.PluginSession> plugins = new ArrayList<>();
        for (int i = 0; i < sessions.length; i++) {
            plugins.add(new TrapInterceptor.PluginSession("plugin" + i, sessions[i]));
        }
        return new TrapBench(program, machine, TrapInterceptor.attach(machine, plugins, CpuModel.defaults(),
                TrappedSystemRegisters.defaults(), log));
    }

    /** Calls the code at {@code label} without arguments. */
    CallResult call(String label) {
        return machine.call(program.address(label), List.of());
    }

    /** The only logged hypercall. */
    HypercallRecord onlyRecord() {
        List<HypercallRecord> records = interceptor.log().records();
        if (records.size() != 1) {
            throw new AssertionError("expected one hypercall record, got " + records);
        }
        return records.getFirst();
    }

    @Override
    public void close() {
        machine.close();
    }
}
