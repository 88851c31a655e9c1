package dev.vigil.rules.rule;

import dev.vigil.model.AccountSettings;
import dev.vigil.model.BackupEvent;
import dev.vigil.model.EventType;
import dev.vigil.model.Rules;
import dev.vigil.model.Severity;
import dev.vigil.rules.job.JobState;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Warns days before an account's quota is full: a least-squares line through the recent quota reports, and the
 * day it reaches the quota. Resolves when the trend turns or full is far away again.
 */
public class QuotaForecastRule implements EventRule {

    static final int MIN_POINTS = 3;
    private final int days;

    public QuotaForecastRule(int days) {
        this.days = days;
    }

    @Override
    public String name() {
        return Rules.QUOTA_FORECAST;
    }

    @Override
    public Optional<Condition> evaluate(BackupEvent event, JobState state, AccountSettings settings) {
        List<JobState.QuotaPoint> points = state.quota();
        if (event.type() != EventType.QUOTA_REPORTED || points.size() < MIN_POINTS) {
            return Optional.empty();
        }
        Double daysToFull = daysToFull(points);
        String account = event.job().account();
        if (daysToFull != null && daysToFull <= days) {
            return Optional.of(Condition.holds(daysToFull <= 1 ? Severity.CRITICAL : Severity.WARNING,
                    String.format("Backup storage of account %s will be full in about %.0f days at its current growth",
                            account, (double) Math.max(1, Math.round(daysToFull))),
                    Map.of("daysToFull", String.format("%.1f", daysToFull))));
        }
        if (daysToFull == null || daysToFull > 2.0 * days) {
            return Optional.of(Condition.clear("Backup storage of account " + account + " is no longer about to fill up"));
        }
        return Optional.empty();
    }

    /**
     * The least-squares line through the quota reports, as bytes a day; {@code null} with fewer than two reports
     * at different times.
     */
    public static Double slopePerDay(List<JobState.QuotaPoint> points) {
        if (points.size() < 2) {
            return null;
        }
        long t0 = points.get(0).at().getEpochSecond();
        double n = points.size();
        double sx = 0, sy = 0, sxx = 0, sxy = 0;
        for (JobState.QuotaPoint p : points) {
            double x = (p.at().getEpochSecond() - t0) / 86_400.0;
            sx += x;
            sy += p.usedBytes();
            sxx += x * x;
            sxy += x * p.usedBytes();
        }
        double denominator = n * sxx - sx * sx;
        return denominator <= 0 ? null : (n * sxy - sx * sy) / denominator;
    }

    /** Days from the last report until the fitted line reaches the quota; {@code null} when it never does. */
    static Double daysToFull(List<JobState.QuotaPoint> points) {
        long t0 = points.get(0).at().getEpochSecond();
        double n = points.size();
        double sx = 0, sy = 0, sxx = 0, sxy = 0;
        for (JobState.QuotaPoint p : points) {
            double x = (p.at().getEpochSecond() - t0) / 86_400.0;
            double y = p.usedBytes();
            sx += x;
            sy += y;
            sxx += x * x;
            sxy += x * y;
        }
        double denominator = n * sxx - sx * sx;
        if (denominator <= 0) {
            return null;
        }
        double slope = (n * sxy - sx * sy) / denominator; // bytes per day
        if (slope <= 0) {
            return null;
        }
        JobState.QuotaPoint last = points.get(points.size() - 1);
        return Math.max(0, (last.totalBytes() - last.usedBytes()) / slope);
    }
}
