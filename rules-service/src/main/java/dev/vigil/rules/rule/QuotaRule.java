package dev.vigil.rules.rule;

import dev.vigil.model.AccountSettings;
import dev.vigil.model.BackupEvent;
import dev.vigil.model.EventType;
import dev.vigil.model.Rules;
import dev.vigil.model.Severity;
import dev.vigil.rules.job.JobState;
import java.util.Map;
import java.util.Optional;

/**
 * The used share of an account's quota is over its threshold (stoney's quota check); it resolves only once the
 * share is a hysteresis below the threshold, so a quota hovering around it does not flap.
 */
public class QuotaRule implements EventRule {

    private final double threshold;
    private final double hysteresis;

    public QuotaRule(double threshold, double hysteresis) {
        this.threshold = threshold;
        this.hysteresis = hysteresis;
    }

    @Override
    public String name() {
        return Rules.QUOTA;
    }

    @Override
    public Optional<Condition> evaluate(BackupEvent event, JobState state, AccountSettings settings) {
        Double used = event.type() == EventType.QUOTA_REPORTED ? event.measures().quotaUsedPercent() : null;
        if (used == null) {
            return Optional.empty();
        }
        double threshold = settings != null && settings.quotaThresholdPercent() != null
                ? settings.quotaThresholdPercent() : this.threshold;
        String account = event.job().account();
        if (used >= threshold) {
            String amount = amount(event, used);
            return Optional.of(Condition.holds(used >= 95 ? Severity.CRITICAL : Severity.WARNING,
                    "Backup storage of account " + account + " is almost full (" + amount + ")",
                    Map.of("usedPercent", String.format("%.2f", used), "thresholdPercent", String.format("%.0f", threshold))));
        }
        if (used < threshold - hysteresis && state.openAlerts().containsKey(name())) {
            String amount = amount(event, used);
            return Optional.of(Condition.clear("Backup storage of account " + account + " has room again (" + amount + ")"));
        }
        return Optional.empty();
    }

    /** "87% used: 43.5 GiB of 50.0 GiB", made only for a verdict (most reports change nothing). */
    private static String amount(BackupEvent event, double used) {
        return String.format("%.0f%% used: %s of %s", used, size(event.measures().quotaUsedBytes()),
                size(event.measures().quotaTotalBytes()));
    }

    static String size(Long bytes) {
        if (bytes == null) {
            return "?";
        }
        double gib = bytes / (1024.0 * 1024 * 1024);
        return gib >= 1 ? String.format("%.1f GiB", gib) : String.format("%.0f MiB", bytes / (1024.0 * 1024));
    }
}
