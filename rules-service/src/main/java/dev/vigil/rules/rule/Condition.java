package dev.vigil.rules.rule;

import dev.vigil.model.Severity;
import dev.vigil.rules.job.EventGate;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A rule's verdict on one job after one event: the condition holds (with a severity and a line a person
 * understands) or it is clear. Whether that raises, changes or resolves an alert is decided in one place,
 * {@link dev.vigil.rules.job.JobProcessor}, against the alerts already open.
 * <p>An alert is kept in the job's state while it fires, so its text is bounded here, whatever a rule passes:
 * the summary to one line of {@value #SUMMARY_LIMIT} characters without control characters, the details to {@value #MAX_DETAILS} entries of at most
 * {@value #DETAIL_LIMIT} characters ({@code errorMessage}: {@value #MESSAGE_LIMIT}, head and tail).
 */
public record Condition(boolean holds, Severity severity, String summary, Map<String, String> details) {

    public static final int SUMMARY_LIMIT = 400;
    public static final int MAX_DETAILS = 16;
    public static final int DETAIL_LIMIT = 256;
    public static final int MESSAGE_LIMIT = 1_000;

    public Condition {
        summary = dev.vigil.model.Text.line(summary, SUMMARY_LIMIT); // one line: it becomes a mail subject
        Map<String, String> bounded = new LinkedHashMap<>();
        if (details != null) {
            for (Map.Entry<String, String> entry : details.entrySet()) {
                if (bounded.size() == MAX_DETAILS) {
                    break;
                }
                if (entry.getKey().length() <= EventGate.KEY_LIMIT && entry.getValue() != null) {
                    bounded.put(entry.getKey(), "errorMessage".equals(entry.getKey())
                            ? EventGate.headAndTail(entry.getValue(), MESSAGE_LIMIT)
                            : EventGate.cut(entry.getValue(), DETAIL_LIMIT));
                }
            }
        }
        details = bounded;
    }

    public static Condition holds(Severity severity, String summary, Map<String, String> details) {
        return new Condition(true, severity, summary, details);
    }

    public static Condition clear(String summary) {
        return new Condition(false, null, summary, Map.of());
    }
}
