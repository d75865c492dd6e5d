package io.hvprobe.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.hvprobe.arch.GuestRegister;
import io.hvprobe.spi.CommandDescriptor;
import io.hvprobe.spi.Hypervisor;
import io.hvprobe.spi.HypervisorOptions;
import io.hvprobe.spi.RegisterContract;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

import java.io.PrintWriter;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;

/** {@code hvprobe commands}: the model's command catalogue with each command's register contract. */
@Command(name = "commands", mixinStandardHelpOptions = true,
        description = "List the hypervisor model's commands with their register contracts.",
        footer = {"", "Examples:", "  hvprobe commands", "  hvprobe commands --profile qemu-vmport --format json",
                "", "Exit status: 0 listed, 2 usage, 3 input (unknown model or profile), 4 internal."})
final class CommandsCommand implements Callable<Integer> {

    @Mixin
    CommonOptions common;

    @Mixin
    ModelOptions model;

    @Mixin
    FormatOptions.Listing format;

    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        Hypervisor hypervisor = model.hv.model();
        HypervisorOptions options = model.options();
        List<CommandDescriptor> catalog;
        try {
            catalog = hypervisor.catalog(options);
        } catch (IllegalArgumentException e) {
            throw new InputError(e.getMessage(), e);
        }
        PrintWriter out = spec.commandLine().getOut();
        switch (format.format) {
            case JSON -> json(hypervisor, catalog, out);
            case TEXT -> text(catalog, out);
        }
        out.flush();
        return Main.EXIT_OK;
    }

    private static void text(List<CommandDescriptor> catalog, PrintWriter out) {
        for (CommandDescriptor c : catalog) {
            out.printf(Locale.ROOT, "%s%s — %s%n", c.number() >= 0 ? c.number() + " " : "", c.name(), c.description());
            for (RegisterContract k : c.contracts()) {
                out.printf(Locale.ROOT, "    %-28s in: %s%n", k.command(), regs(k, true));
                out.printf(Locale.ROOT, "    %-28s out: %s%n", "", outs(k));
            }
        }
    }

    private static String regs(RegisterContract k, boolean inputs) {
        StringBuilder b = new StringBuilder();
        for (Map.Entry<GuestRegister, RegisterContract.Role> e : k.roles().entrySet()) {
            if (inputs && e.getValue().isInput()) {
                b.append(e.getKey().displayName());
                if (e.getValue().inputMask() != -1L) {
                    b.append("[0x").append(Long.toHexString(e.getValue().inputMask())).append(']');
                }
                if (!e.getValue().meaning().isEmpty()) {
                    b.append(" (").append(e.getValue().meaning()).append(')');
                }
                b.append(", ");
            }
        }
        return b.isEmpty() ? "-" : b.substring(0, b.length() - 2);
    }

    private static String outs(RegisterContract k) {
        StringBuilder b = new StringBuilder();
        for (Map.Entry<GuestRegister, RegisterContract.Role> e : k.roles().entrySet()) {
            RegisterContract.Role r = e.getValue();
            switch (r.effect()) {
                case WRITTEN -> b.append(e.getKey().displayName()).append("(w").append(r.writeWidth()).append(") ");
                case MAY_CHANGE -> b.append(e.getKey().displayName()).append("(may change) ");
                case PRESERVED -> { }
            }
        }
        return (b.isEmpty() ? "-" : b.toString().trim()) + "; everything else preserved";
    }

    private static void json(Hypervisor model, List<CommandDescriptor> catalog, PrintWriter out) throws Exception {
        ObjectMapper m = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
        ObjectNode root = m.createObjectNode();
        root.put("hypervisor", model.name());
        ArrayNode cmds = root.putArray("commands");
        for (CommandDescriptor c : catalog) {
            ObjectNode n = cmds.addObject();
            n.put("number", c.number()).put("name", c.name()).put("description", c.description());
            ArrayNode ks = n.putArray("contracts");
            for (RegisterContract k : c.contracts()) {
                ObjectNode kn = ks.addObject();
                kn.put("entry", k.command()).put("arch", k.arch().name().toLowerCase(Locale.ROOT));
                ObjectNode regs = kn.putObject("registers");
                k.roles().forEach((reg, role) -> {
                    ObjectNode rn = regs.putObject(reg.displayName());
                    rn.put("inputMask", "0x" + Long.toHexString(role.inputMask()))
                            .put("effect", role.effect().name().toLowerCase(Locale.ROOT).replace('_', '-'))
                            .put("writeWidth", role.writeWidth()).put("meaning", role.meaning());
                });
            }
        }
        out.println(m.writeValueAsString(root));
    }
}
