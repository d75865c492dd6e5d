package io.hvprobe.cli;

import io.hvprobe.spi.HypervisorOptions;
import picocli.CommandLine.Option;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code --guestinfo}, {@code --vmmouse-packets} and {@code --balloon-target}: the host state a run starts with, in
 * the samples manifest's {@code setup} vocabulary, given to the model as the settings the manifest's set-up becomes
 * (docs/samples.md, docs/vmware-model.md).
 */
final class HostStateFlags {
    /** The namespace the VMX configuration keeps guest-readable values in. */
    private static final String GUESTINFO = "guestinfo.";

    @Option(names = "--guestinfo", paramLabel = "KEY=VALUE",
            description = "A guestinfo value the host holds (repeat); KEY without the guestinfo. prefix gets it, as in"
                    + " a .vmx file: --guestinfo foo=bar answers 'info-get guestinfo.foo' with bar.")
    List<String> guestInfo = new ArrayList<>();

    @Option(names = "--vmmouse-packets", paramLabel = "PACKETS",
            description = "vmmouse packets buttons,x,y,wheel;... queued when the guest asks for absolute mode.")
    String vmmousePackets;

    @Option(names = "--balloon-target", paramLabel = "PAGES",
            description = "The balloon target (pages) the host reports.")
    String balloonTarget;

    /** {@code base} with these flags' settings added (they override the profile's). */
    HypervisorOptions applyTo(HypervisorOptions base) {
        Map<String, String> settings = new LinkedHashMap<>(base.settings());
        settings.putAll(settings());
        return new HypervisorOptions(base.profile(), base.profileFile(), settings);
    }

    private Map<String, String> settings() {
        Map<String, String> out = new LinkedHashMap<>();
        if (!guestInfo.isEmpty()) {
            List<String> entries = new ArrayList<>();
            for (String g : guestInfo) {
                int eq = g.indexOf('=');
                if (eq <= 0 || g.contains(";")) {
                    throw new InputError("--guestinfo takes KEY=VALUE (no ';'), got '" + g + "'");
                }
                String key = g.substring(0, eq).trim();
                entries.add((key.startsWith(GUESTINFO) ? key : GUESTINFO + key) + "=" + g.substring(eq + 1));
            }
            out.put("guestinfo", String.join(";", entries));
        }
        if (vmmousePackets != null) {
            out.put("mouse-absolute-packets", vmmousePackets);
        }
        if (balloonTarget != null) {
            out.put("balloon-target-pages", balloonTarget);
        }
        return out;
    }
}
