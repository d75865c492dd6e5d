package io.hvprobe.vmware;

import io.hvprobe.arch.GuestRegister;
import io.hvprobe.arch.RegisterSnapshot;
import io.hvprobe.spi.TrapDetail;
import io.hvprobe.spi.TrapEvent;
import io.hvprobe.spi.TrapForm;
import io.hvprobe.spi.TrapOutcome;
import io.hvprobe.vmware.entry.EntryPath;

/**
 * The last backdoor call when its answer was a pure function of how it was made, so that the same call made again
 * (a detection loop asking GETVERSION 100,000 times) is answered without decoding, dispatching and assembling it.
 *
 * <p>Why that is sound: the entry decoder's result depends only on the trap's form, its detail and the registers of
 * {@link EntryPath#inputs()} (and the immutable profile); a {@link io.hvprobe.vmware.command.ConstantReply} command's
 * reply on nothing; and a {@linkplain OutcomeAssembler#reusable reusable} answer on the reply and the path alone. So
 * equal form, detail and input registers give an equal answer — the remembered one. The session still checks the
 * one piece of state such an answer could pick up (a pending steal-clock publication) before it asks.
 */
final class RepeatedCall {
    private TrapForm form;
    private TrapDetail detail;
    private EntryPath path;
    private GuestRegister[] inputs;
    private long[] values;
    private TrapOutcome.Handled answer;

    /** The remembered answer when {@code event} is the remembered call made again, else null. */
    TrapOutcome.Handled answerTo(TrapEvent event) {
        if (answer == null || event.form() != form) {
            return null;
        }
        TrapDetail d = event.detail();
        if (d != detail && !d.equals(detail)) {
            return null;
        }
        RegisterSnapshot regs = event.registers();
        for (int i = 0; i < inputs.length; i++) { // by index: no iterator per trap
            if (regs.get(inputs[i]) != values[i]) {
                return null;
            }
        }
        return answer;
    }

    /** Remembers {@code answer} to {@code event}, decoded to {@code path}: a pure function of the event's inputs. */
    void remember(TrapEvent event, EntryPath path, TrapOutcome.Handled answer) {
        if (path != this.path) {
            this.path = path;
            this.inputs = path.inputs();
            this.values = new long[inputs.length];
        }
        RegisterSnapshot regs = event.registers();
        for (int i = 0; i < inputs.length; i++) {
            values[i] = regs.get(inputs[i]);
        }
        this.form = event.form();
        this.detail = event.detail();
        this.answer = answer;
    }

    /** Forgets the remembered call (its answer was not pure, or the session changed under it). */
    void forget() {
        answer = null;
    }
}
