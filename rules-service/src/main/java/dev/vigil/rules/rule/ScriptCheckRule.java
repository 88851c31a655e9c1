package dev.vigil.rules.rule;

import dev.vigil.model.AccountSettings;
import dev.vigil.model.BackupEvent;
import dev.vigil.model.Outcome;
import dev.vigil.model.Rules;
import dev.vigil.model.Severity;
import java.util.Optional;

/** Retrospect's ScriptCheckFailed: a script will not be able to run at its next time. Cleared by NextExec or a good run. */
public class ScriptCheckRule implements EventRule {

    @Override
    public String name() {
        return Rules.SCRIPT_CHECK;
    }

    @Override
    public Optional<Condition> evaluate(BackupEvent event, dev.vigil.rules.job.JobState state, AccountSettings settings) {
        return switch (event.type()) {
            case SCRIPT_CHECK_FAILED -> Optional.of(Condition.holds(Severity.WARNING, "Retrospect says script "
                    + event.job().job() + " cannot run at its next time"
                    + (event.attributes().containsKey("reason") ? ": " + event.attributes().get("reason") : ""),
                    event.attributes()));
            case NEXT_EXECUTION -> Optional.of(Condition.clear("Script " + event.job().job() + " passed its check"));
            case BACKUP_FINISHED -> event.outcome() == Outcome.SUCCESS
                    ? Optional.of(Condition.clear("Script " + event.job().job() + " ran successfully")) : Optional.empty();
            default -> Optional.empty();
        };
    }
}
