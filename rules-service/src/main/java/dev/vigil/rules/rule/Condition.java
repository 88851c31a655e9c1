package dev.vigil.rules.rule;

import dev.vigil.model.Severity;
import java.util.Map;

/**
 * A rule's verdict on one job after one event: the condition holds (with a severity and a line a person
 * understands) or it is clear. Whether that raises, changes or resolves an alert is decided in one place,
 * {@link dev.vigil.rules.job.JobProcessor}, against the alerts already open.
 */
public record Condition(boolean holds, Severity severity, String summary, Map<String, String> details) {

    public static Condition holds(Severity severity, String summary, Map<String, String> details) {
        return new Condition(true, severity, summary, details);
    }

    public static Condition clear(String summary) {
        return new Condition(false, null, summary, Map.of());
    }
}
