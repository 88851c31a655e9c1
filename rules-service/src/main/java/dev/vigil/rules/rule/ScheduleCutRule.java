package dev.vigil.rules.rule;

import dev.vigil.model.AccountSettings;
import dev.vigil.model.BackupEvent;
import dev.vigil.model.Outcome;
import dev.vigil.model.Rules;
import dev.vigil.model.Severity;
import dev.vigil.rules.job.JobState;
import java.util.Optional;

/** Retrospect's StopSched: a script was cut off by the end of its schedule window. A complete run clears it. */
public class ScheduleCutRule implements EventRule {

    @Override
    public String name() {
        return Rules.SCHEDULE_CUT;
    }

    @Override
    public Optional<Condition> evaluate(BackupEvent event, JobState state, AccountSettings settings) {
        return switch (event.type()) {
            case SCHEDULED_STOP -> Optional.of(Condition.holds(Severity.WARNING, "Script " + event.job().job()
                    + " was stopped by the end of its schedule window before it finished", event.attributes()));
            case BACKUP_FINISHED -> event.outcome() == Outcome.SUCCESS
                    ? Optional.of(Condition.clear("Script " + event.job().job() + " completed")) : Optional.empty();
            default -> Optional.empty();
        };
    }
}
