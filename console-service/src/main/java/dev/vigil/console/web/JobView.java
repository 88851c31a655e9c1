package dev.vigil.console.web;

import dev.vigil.model.JobKey;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * One job as the console shows it: the rules' summary ({@code GET /api/v1/jobs}) with its status in one word.
 *
 * @param key          {@code tenant/account/job}
 * @param status       what a person needs to know first
 * @param openAlerts   {@code rule: summary} of each FIRING alert
 * @param silencedBy   the id of the active silence that matches the whole job, or {@code null}
 * @param graceSeconds how long after {@code nextRunAt} a missing run is still not late
 */
public record JobView(String key, String tenant, String account, String job, Status status, String source, String host,
                      Instant lastEventAt, Instant lastEndAt, String lastOutcome, Instant lastSuccessAt,
                      int consecutiveFailures, Instant nextRunAt, long graceSeconds, String schedule,
                      Instant runningSince, List<String> openAlerts, String silencedBy) {

    /**
     * A job's status, worst first: the order of the jobs page.
     * FAILING: a failed-backup (or another critical) alert is firing; LATE: an expected run did not come;
     * WARNING: another alert is firing (quota, anomaly, …); PAUSED: a silence holds back the job's alerts;
     * RUNNING: a run started and has not ended; NEW: no run seen yet; UP: the last run was fine.
     */
    public enum Status {
        FAILING, LATE, WARNING, PAUSED, RUNNING, NEW, UP;

        /** Lower case, as in filters and CSS classes. */
        public String id() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    /** The rules' summary of a job, judged against the active silences at {@code now}. */
    @SuppressWarnings("unchecked")
    public static JobView of(Map<String, Object> summary, List<Map<String, Object>> silences, Instant now) {
        String key = (String) summary.get("job");
        JobKey job = JobKey.parse(key);
        List<String> alerts = summary.get("openAlerts") instanceof List<?> list ? (List<String>) list : List.of();
        String source = (String) summary.get("source");
        String silencedBy = silences.stream().filter(s -> silences(s, job, source, now))
                .map(s -> (String) s.get("id")).findFirst().orElse(null);
        Instant running = instant(summary.get("runningSince"));
        Instant next = instant(summary.get("nextRunAt"));
        long grace = number(summary.get("graceSeconds"));
        Status status;
        if (silencedBy != null) {
            status = Status.PAUSED;
        } else if (alerts.stream().anyMatch(a -> a.startsWith("failed-backup:") || a.startsWith("login:")
                || a.startsWith("media:") || a.startsWith("schedule-cut:"))) {
            status = Status.FAILING;
        } else if (alerts.stream().anyMatch(a -> a.startsWith("missed-schedule:") || a.startsWith("never-used:"))
                || running == null && next != null && now.isAfter(next.plusSeconds(grace))) {
            status = Status.LATE;
        } else if (!alerts.isEmpty()) {
            status = Status.WARNING;
        } else if (running != null) {
            status = Status.RUNNING;
        } else if (summary.get("lastEndAt") == null) {
            status = Status.NEW;
        } else {
            status = Status.UP;
        }
        return new JobView(key, job.tenant(), job.account(), job.job(), status, source, (String) summary.get("host"),
                instant(summary.get("lastEventAt")), instant(summary.get("lastEndAt")),
                (String) summary.get("lastOutcome"), instant(summary.get("lastSuccessAt")),
                (int) number(summary.get("consecutiveFailures")), next, grace, (String) summary.get("schedule"),
                running, alerts, silencedBy);
    }

    /** The job's console page. */
    public String page() {
        return Paths.jobPage(key);
    }

    /** The time the next run may start before it is late, or {@code null}. */
    public Instant lateAfter() {
        return nextRunAt == null ? null : nextRunAt.plus(Duration.ofSeconds(graceSeconds));
    }

    /** Whether the job matches the page's filters; blank filters match all. */
    public boolean matches(String status, String source, String account, String text) {
        return (blank(status) || this.status.id().equals(status))
                && (blank(source) || source.equalsIgnoreCase(this.source))
                && (blank(account) || account.equals(this.account))
                && (blank(text) || (key + " " + (host == null ? "" : host) + " " + String.join(" ", openAlerts))
                .toLowerCase(Locale.ROOT).contains(text.strip().toLowerCase(Locale.ROOT)));
    }

    /**
     * Whether an active silence holds back every alert of the job: each of its matchers is on a job label (tenant,
     * account, job, source) and selects it, exactly (case-insensitive) or as a {@code ~regex}, as the notifier
     * matches. A silence of one rule only does not pause the job.
     */
    @SuppressWarnings("unchecked")
    static boolean silences(Map<String, Object> silence, JobKey job, String source, Instant now) {
        Instant starts = instant(silence.get("startsAt"));
        Instant ends = instant(silence.get("endsAt"));
        if (starts == null || ends == null || now.isBefore(starts) || !now.isBefore(ends)) {
            return false;
        }
        Map<String, String> labels = Map.of("tenant", job.tenant(), "account", job.account(), "job", job.job(),
                "source", source == null ? "" : source.toLowerCase(Locale.ROOT));
        Map<String, Object> matchers = silence.get("matchers") instanceof Map<?, ?> m ? (Map<String, Object>) m : Map.of();
        if (matchers.isEmpty()) {
            return false;
        }
        for (Map.Entry<String, Object> matcher : matchers.entrySet()) {
            String label = matcher.getKey().toLowerCase(Locale.ROOT);
            String expected = String.valueOf(matcher.getValue());
            if (!labels.containsKey(label)) {
                return false;
            }
            String value = labels.get(label);
            boolean ok;
            try {
                ok = expected.startsWith("~") ? Pattern.compile(expected.substring(1)).matcher(value).matches()
                        : expected.equalsIgnoreCase(value);
            } catch (java.util.regex.PatternSyntaxException e) {
                ok = false;
            }
            if (!ok) {
                return false;
            }
        }
        return true;
    }

    static Instant instant(Object value) {
        if (value == null) {
            return null;
        }
        if (value instanceof Number n) {
            // Jackson may write instants as seconds with a fraction
            return Instant.ofEpochMilli((long) (n.doubleValue() * 1000));
        }
        try {
            return Instant.parse(value.toString());
        } catch (java.time.format.DateTimeParseException e) {
            return null;
        }
    }

    static long number(Object value) {
        return value instanceof Number n ? n.longValue() : 0;
    }

    private static boolean blank(String value) {
        return value == null || value.isBlank();
    }
}
