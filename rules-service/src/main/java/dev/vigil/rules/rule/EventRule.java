package dev.vigil.rules.rule;

import dev.vigil.model.AccountSettings;
import dev.vigil.model.BackupEvent;
import dev.vigil.rules.job.JobState;
import java.util.Optional;

/** A rule evaluated on every event of a job. Adding a rule is adding one implementation. */
public interface EventRule {

    /** The rule name, part of the alert fingerprint ({@link dev.vigil.model.Rules}). */
    String name();

    /**
     * @param event the event just received
     * @param state    the job's state including this event
     * @param settings the account's own settings from the directory; {@code null} when it has none
     * @return the condition after this event, or empty when the event says nothing about it
     */
    Optional<Condition> evaluate(BackupEvent event, JobState state, AccountSettings settings);
}
