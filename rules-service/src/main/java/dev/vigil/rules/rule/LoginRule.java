package dev.vigil.rules.rule;

import dev.vigil.model.AccountSettings;
import dev.vigil.model.BackupEvent;
import dev.vigil.model.EventType;
import dev.vigil.model.Outcome;
import dev.vigil.model.Rules;
import dev.vigil.model.Severity;
import dev.vigil.rules.job.JobState;
import dev.vigil.rules.job.Values;
import java.util.Optional;

/** Repeated failed password entries on a client or backup set: a security signal. A successful login clears it. */
public class LoginRule implements EventRule {

    private final int failedAttempts;

    public LoginRule(int failedAttempts) {
        this.failedAttempts = failedAttempts;
    }

    @Override
    public String name() {
        return Rules.LOGIN;
    }

    @Override
    public Optional<Condition> evaluate(BackupEvent event, JobState state, AccountSettings settings) {
        if (event.type() != EventType.LOGIN) {
            return Optional.empty();
        }
        if (event.outcome() == Outcome.SUCCESS) {
            return Optional.of(Condition.clear("Login to " + event.job().job() + " succeeded"));
        }
        int attempts = Values.count(event, "attempts", Integer.MAX_VALUE).orElse(1);
        if (attempts < failedAttempts) {
            return Optional.empty();
        }
        return Optional.of(Condition.holds(Severity.CRITICAL, attempts + " failed password attempts for "
                + event.job().job() + (event.error() != null && event.error().message() != null
                ? ": " + event.error().message() : ""), event.attributes()));
    }
}
