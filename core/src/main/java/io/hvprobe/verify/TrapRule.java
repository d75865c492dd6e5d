package io.hvprobe.verify;

import io.hvprobe.run.LocatedFinding;
import io.hvprobe.spi.RegisterContract;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** A {@link PathRule} that looks at each trap of the path whose command came with a register contract. */
interface TrapRule extends PathRule {

    /** The findings at trap {@code trap}, whose command's contract is {@code contract}. */
    List<LocatedFinding> check(PathQueries path, ExecutionPath.TrapMark trap, RegisterContract contract);

    @Override
    default List<LocatedFinding> check(PathQueries path) {
        List<LocatedFinding> out = new ArrayList<>();
        for (ExecutionPath.TrapMark t : path.path().traps()) {
            Optional<RegisterContract> c = PathQueries.contract(t);
            if (c.isPresent()) {
                out.addAll(check(path, t, c.get()));
            }
        }
        return out;
    }
}
