package dev.vigil.rules.rule;

import dev.vigil.model.AccountSettings;
import dev.vigil.model.BackupEvent;
import dev.vigil.model.Outcome;
import dev.vigil.model.Rules;
import dev.vigil.model.Severity;
import dev.vigil.rules.job.JobState;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * A run failed: fires after N failed runs in a row (stoney's "after how many"), and a run that succeeded with
 * warnings fires at a lower severity. The next successful run resolves it.
 */
public class FailedBackupRule implements EventRule {

    private final int consecutiveFailures;

    public FailedBackupRule(int consecutiveFailures) {
        this.consecutiveFailures = Math.max(1, consecutiveFailures);
    }

    @Override
    public String name() {
        return Rules.FAILED_BACKUP;
    }

    @Override
    public Optional<Condition> evaluate(BackupEvent event, JobState state, AccountSettings settings) {
        if (!JobState.isRunVerdict(event)) {
            return Optional.empty();
        }
        String job = describe(event);
        int threshold = settings != null && settings.consecutiveFailures() != null
                ? Math.max(1, settings.consecutiveFailures()) : consecutiveFailures;
        return switch (event.outcome()) {
            case FAILED -> state.consecutiveFailures() >= threshold
                    ? Optional.of(Condition.holds(Severity.CRITICAL, job + " failed" + reason(event), details(event, state, threshold)))
                    : Optional.empty();
            case WARNING -> Optional.of(Condition.holds(Severity.WARNING,
                    job + " finished with " + errors(event), details(event, state, threshold)));
            case SUCCESS -> Optional.of(Condition.clear(job + " succeeded again"));
            case NONE -> Optional.empty();
        };
    }

    static String describe(BackupEvent event) {
        return "Backup " + event.job().job() + " of account " + event.job().account();
    }

    private static String reason(BackupEvent event) {
        if (event.error() == null || event.error().message() == null || event.error().message().isBlank()) {
            return "";
        }
        String firstLine = event.error().message().strip().lines().findFirst().orElse("");
        return ": " + (firstLine.length() > 160 ? firstLine.substring(0, 157) + "..." : firstLine);
    }

    private static String errors(BackupEvent event) {
        Integer count = event.measures().errorCount();
        return count == null ? "errors" : count + (count == 1 ? " error" : " errors");
    }

    private Map<String, String> details(BackupEvent event, JobState state, int threshold) {
        Map<String, String> details = new LinkedHashMap<>();
        details.put("outcome", event.outcome().name());
        details.put("consecutiveFailures", Integer.toString(state.consecutiveFailures()));
        details.put("source", event.source().name());
        if (event.error() != null) {
            if (event.error().code() != null) {
                details.put("errorCode", event.error().code());
            }
            if (event.error().message() != null) {
                details.put("errorMessage", event.error().message());
            }
        }
        if (event.measures().durationSeconds() != null) {
            details.put("durationSeconds", event.measures().durationSeconds().toString());
        }
        if (state.lastSuccessAt() != null) {
            details.put("lastSuccessAt", state.lastSuccessAt().toString());
        }
        if (event.outcome() == Outcome.FAILED) {
            details.put("failureThreshold", Integer.toString(threshold));
        }
        return details;
    }
}
