package dev.vigil.notifier.inhibit;

import dev.vigil.model.Alert;
import dev.vigil.model.AlertStatus;
import dev.vigil.notifier.routing.Route;
import dev.vigil.notifier.silence.OpenAlerts;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.stereotype.Component;

/**
 * Decides whether an alert's FIRING notification is inhibited by another alert that fires now
 * ({@code vigil.notifier.inhibit-rules}, {@link InhibitRule}). RESOLVED notices are never inhibited: a person who
 * heard of a failure always hears that it is over. An alert never inhibits itself.
 */
@Component
public class Inhibitor {

    /** The configured rules. */
    @ConfigurationProperties("vigil.notifier")
    public record Rules(@DefaultValue List<InhibitRule> inhibitRules) {
    }

    private final List<InhibitRule> rules;
    private final OpenAlerts openAlerts;

    public Inhibitor(Rules rules, OpenAlerts openAlerts) {
        this.rules = rules.inhibitRules();
        this.openAlerts = openAlerts;
    }

    /** The firing alert that inhibits {@code alert}, if a rule says one does. */
    public Optional<Alert> inhibitor(Alert alert) {
        if (rules.isEmpty() || alert.status() != AlertStatus.FIRING) {
            return Optional.empty();
        }
        Map<String, String> target = Route.labels(alert);
        for (InhibitRule rule : rules) {
            if (!Route.matches(rule.targetMatchers(), alert)) {
                continue;
            }
            for (Alert source : openAlerts.firing()) {
                if (source.fingerprint().equals(alert.fingerprint()) || !Route.matches(rule.sourceMatchers(), source)) {
                    continue;
                }
                Map<String, String> labels = Route.labels(source);
                if (rule.equal().stream().allMatch(label -> Objects.equals(labels.get(label), target.get(label)))) {
                    return Optional.of(source);
                }
            }
        }
        return Optional.empty();
    }
}
