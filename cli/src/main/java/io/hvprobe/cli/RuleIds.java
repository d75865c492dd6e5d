package io.hvprobe.cli;

import io.hvprobe.spi.RuleDescriptor;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;

/** The rule ids (core and every hypervisor model on the class path): completion candidates of {@code --suppress}. */
final class RuleIds implements Iterable<String> {
    @Override
    public Iterator<String> iterator() {
        List<String> ids = new ArrayList<>(io.hvprobe.run.CoreRule.descriptors().stream().map(RuleDescriptor::id).toList());
        io.hvprobe.spi.Hypervisors.all().forEach(h -> ids.addAll(h.rules().stream().map(RuleDescriptor::id).toList()));
        return ids.stream().sorted().iterator();
    }
}
