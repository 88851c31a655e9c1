package dev.vigil.rules.rule;

import dev.vigil.model.AccountSettings;
import dev.vigil.model.BackupEvent;
import dev.vigil.model.EventType;
import dev.vigil.model.Outcome;
import dev.vigil.model.Rules;
import dev.vigil.model.Severity;
import dev.vigil.rules.job.JobState;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

/**
 * A run that looks wrong although it "succeeded" — the silent failure other monitors miss: much smaller,
 * fewer files, much shorter or much larger than the job's recent successful runs (median and MAD, a robust
 * z-score, after a minimum history). Retrospect's own AnomalyAlert is raised as it is. The next ordinary run
 * resolves it.
 */
public class AnomalyRule implements EventRule {

    private final int minHistory;
    private final double deviation;
    private final double minChange;

    public AnomalyRule(int minHistory, double deviation, double minChange) {
        this.minHistory = minHistory;
        this.deviation = deviation;
        this.minChange = minChange;
    }

    @Override
    public String name() {
        return Rules.ANOMALY;
    }

    @Override
    public Optional<Condition> evaluate(BackupEvent event, JobState state, AccountSettings settings) {
        if (event.type() == EventType.ANOMALY) {
            Map<String, String> a = event.attributes();
            // the counts the gateway could read, each only when present
            String counts = a.containsKey("changedFiles") && a.containsKey("watchedFiles")
                    ? a.get("changedFiles") + " of " + a.get("watchedFiles") + " watched files changed"
                    : a.containsKey("changedFiles") ? a.get("changedFiles") + " watched files changed" : "";
            String share = a.containsKey("changedPercent") ? a.get("changedPercent") + " %" : "";
            String facts = counts.isEmpty() ? share : share.isEmpty() ? counts : counts + " (" + share + ")";
            return Optional.of(Condition.holds(Severity.WARNING, "Retrospect found unusual changes in "
                    + event.job().job() + (facts.isEmpty() ? "" : ": " + facts), a));
        }
        boolean finished = event.type() == EventType.BACKUP_FINISHED || event.type() == EventType.SOURCE_FINISHED;
        if (!finished || event.outcome() != Outcome.SUCCESS || state.recentRuns().size() < minHistory) {
            return Optional.empty();
        }
        List<String> findings = new ArrayList<>();
        Map<String, String> details = new LinkedHashMap<>();
        check("bytes", event.measures().bytes(), state, JobState.Run::bytes, findings, details);
        check("files", event.measures().files(), state, JobState.Run::files, findings, details);
        check("duration", event.measures().durationSeconds(), state, JobState.Run::durationSeconds, findings, details);
        String job = "Backup " + event.job().job() + " of account " + event.job().account();
        if (!findings.isEmpty()) {
            return Optional.of(Condition.holds(Severity.WARNING, job + " looks unusual: " + String.join(", ", findings),
                    details));
        }
        return Optional.of(Condition.clear(job + " looks as usual again"));
    }

    private void check(String what, Long value, JobState state, Function<JobState.Run, Long> measure,
                       List<String> findings, Map<String, String> details) {
        if (value == null) {
            return;
        }
        double[] history = state.recentRuns().stream().map(measure).filter(v -> v != null).mapToDouble(Long::doubleValue).toArray();
        if (history.length < minHistory) {
            return;
        }
        double median = median(history);
        double mad = median(Arrays.stream(history).map(v -> Math.abs(v - median)).toArray());
        double change = median == 0 ? (value == 0 ? 0 : Double.POSITIVE_INFINITY) : Math.abs(value - median) / median;
        double z = mad == 0 ? (change > 0 ? Double.POSITIVE_INFINITY : 0) : 0.6745 * Math.abs(value - median) / mad;
        if (z > deviation && change >= minChange) {
            findings.add(what + " " + format(what, value) + " against a usual " + format(what, (long) median)
                    + (value < median ? " (much less)" : " (much more)"));
            details.put(what, Long.toString(value));
            details.put(what + "Median", Long.toString((long) median));
        }
    }

    private static String format(String what, long value) {
        return switch (what) {
            case "bytes" -> QuotaRule.size(value);
            case "duration" -> value >= 3600 ? String.format("%.1f h", value / 3600.0)
                    : value >= 60 ? String.format("%d min", value / 60) : value + " s";
            default -> Long.toString(value);
        };
    }

    /**
     * The range of values this rule takes as usual for a measure: a run outside it on both counts (robust z-score
     * above {@code deviation} and a change of at least {@code minChange}) is an anomaly.
     *
     * @param history the measure of the last successful runs, in its own unit (bytes, files, seconds)
     * @return the median and the band's ends, in the same unit; {@code null} when {@code history} is shorter than
     *         {@code minHistory}
     */
    public static Band band(double[] history, int minHistory, double deviation, double minChange) {
        if (history.length == 0 || history.length < minHistory) {
            return null;
        }
        double median = median(history);
        double mad = median(Arrays.stream(history).map(v -> Math.abs(v - median)).toArray());
        double half = Math.max(deviation * mad / 0.6745, minChange * Math.abs(median));
        return new Band(median, Math.max(0, median - half), median + half);
    }

    /** The usual range of one measure: its median and the lowest and highest value still taken as usual. */
    public record Band(double median, double low, double high) {
    }

    static double median(double[] values) {
        double[] sorted = values.clone();
        Arrays.sort(sorted);
        int n = sorted.length;
        return n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
    }
}
