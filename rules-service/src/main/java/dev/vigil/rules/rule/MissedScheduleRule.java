package dev.vigil.rules.rule;

import dev.vigil.model.AccountSettings;
import dev.vigil.model.BackupEvent;
import dev.vigil.model.EventType;
import dev.vigil.model.Rules;
import dev.vigil.rules.job.JobState;
import java.util.Optional;

/**
 * The event side of missed schedules: a run, or a schedule of "none", clears the alert. Raising it is the
 * deadline side's work ({@link dev.vigil.rules.schedule.Deadlines}), against the ingest watermark.
 */
public class MissedScheduleRule implements EventRule {

    @Override
    public String name() {
        return Rules.MISSED_SCHEDULE;
    }

    @Override
    public Optional<Condition> evaluate(BackupEvent event, JobState state, AccountSettings settings) {
        String job = "Backup " + event.job().job() + " of account " + event.job().account();
        if (JobState.isRun(event)) {
            return Optional.of(Condition.clear(job + " ran again"));
        }
        if (event.type() == EventType.SCHEDULE_DECLARED && "none".equals(event.attributes().get("schedule.kind"))) {
            return Optional.of(Condition.clear(job + " has no schedule any more"));
        }
        return Optional.empty();
    }
}
