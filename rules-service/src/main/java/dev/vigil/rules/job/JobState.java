package dev.vigil.rules.job;

import dev.vigil.model.Alert;
import dev.vigil.model.BackupEvent;
import dev.vigil.model.EventType;
import dev.vigil.model.Outcome;
import dev.vigil.rules.schedule.Schedule;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * What the rules know about one job, kept in a state store (backed by a changelog topic) under the job key.
 *
 * @param consecutiveFailures failed runs since the last successful one: runs, not events — one run that reports a
 *                            fatal error and then ends failed counts once
 * @param failedRunCounted    the run in progress has already been counted as failed (a fatal error before its end)
 * @param lastFailedRunId     the source's run id of the last run counted as failed, so its other events are not
 * @param openAlerts          the alerts of this job that are FIRING, by rule
 * @param schedule            when the job is expected to run; {@code null} when nobody said
 * @param nextRunAt           the next expected run; {@code null} when none is expected
 * @param missedRuns          expected runs missed since the last run
 * @param runningSince        start of a run that has not ended yet
 * @param recentRuns          measures of the last successful runs: the anomaly baseline
 * @param quota               the last quota reports: the forecast's history
 * @param history             the job's last events, newest last, as states kept them before the history had its own
 *                            store ({@link JobHistory}); moved there at the job's next event, empty in every state
 *                            written since
 * @param source              the backup product that last reported on the job; {@code null} before this was kept
 * @param host                the machine as the product names it (XSIBackup's registration, Retrospect's client),
 *                            {@code null} when the product names none
 * @param runningRunId        the run id of the start {@code runningSince} is of; {@code null} when it had none
 * @param historyNext         the sequence number the job's next event takes in {@link JobHistory} (0 before the first,
 *                            and in states written before the history had its own store)
 * @param heldUntil           no verdict on the job before this ingest time: set when a hook arrived long after the time
 *                            it reports (a client's spool or retries sent after its own outage), so the rest of what it
 *                            held back can arrive first; {@code null} when never
 */
public record JobState(Instant lastEventAt, Instant lastStartAt, Instant lastEndAt,
                       Outcome lastOutcome, Instant lastSuccessAt, int consecutiveFailures,
                       boolean failedRunCounted, String lastFailedRunId, Map<String, Alert> openAlerts, Schedule schedule, Instant nextRunAt, int missedRuns,
                       Instant runningSince, List<Run> recentRuns, List<QuotaPoint> quota, List<Entry> history,
                       dev.vigil.model.Source source, String host, String runningRunId, long historyNext,
                       Instant heldUntil) {

    /** Characters of an event's error message kept in the history. */
    public static final int HISTORY_ERROR_LIMIT = 200;
    public static final int REMEMBERED_RUNS = 30;
    public static final int REMEMBERED_QUOTA = 60;

    public static final JobState EMPTY = new JobState(null, null, null, null, null, 0, false, null, Map.of(), null, null,
            0, null, List.of(), List.of(), List.of(), null, null, null, 0, null);

    /** A state without {@code heldUntil} (as written before it was kept). */
    public JobState(Instant lastEventAt, Instant lastStartAt, Instant lastEndAt, Outcome lastOutcome,
                    Instant lastSuccessAt, int consecutiveFailures, boolean failedRunCounted, String lastFailedRunId,
                    Map<String, Alert> openAlerts, Schedule schedule, Instant nextRunAt, int missedRuns,
                    Instant runningSince, List<Run> recentRuns, List<QuotaPoint> quota, List<Entry> history,
                    dev.vigil.model.Source source, String host, String runningRunId, long historyNext) {
        this(lastEventAt, lastStartAt, lastEndAt, lastOutcome, lastSuccessAt, consecutiveFailures, failedRunCounted,
                lastFailedRunId, openAlerts, schedule, nextRunAt, missedRuns, runningSince, recentRuns, quota, history,
                source, host, runningRunId, historyNext, null);
    }

    /** A state without source and host (as written before they were kept). */
    public JobState(Instant lastEventAt, Instant lastStartAt, Instant lastEndAt, Outcome lastOutcome,
                    Instant lastSuccessAt, int consecutiveFailures, boolean failedRunCounted, String lastFailedRunId,
                    Map<String, Alert> openAlerts, Schedule schedule, Instant nextRunAt, int missedRuns,
                    Instant runningSince, List<Run> recentRuns, List<QuotaPoint> quota, List<Entry> history) {
        this(lastEventAt, lastStartAt, lastEndAt, lastOutcome, lastSuccessAt, consecutiveFailures, failedRunCounted,
                lastFailedRunId, openAlerts, schedule, nextRunAt, missedRuns, runningSince, recentRuns, quota, history,
                null, null, null, 0, null);
    }

    /** A state without the history's sequence number (as written before the history had its own store). */
    public JobState(Instant lastEventAt, Instant lastStartAt, Instant lastEndAt, Outcome lastOutcome,
                    Instant lastSuccessAt, int consecutiveFailures, boolean failedRunCounted, String lastFailedRunId,
                    Map<String, Alert> openAlerts, Schedule schedule, Instant nextRunAt, int missedRuns,
                    Instant runningSince, List<Run> recentRuns, List<QuotaPoint> quota, List<Entry> history,
                    dev.vigil.model.Source source, String host, String runningRunId) {
        this(lastEventAt, lastStartAt, lastEndAt, lastOutcome, lastSuccessAt, consecutiveFailures, failedRunCounted,
                lastFailedRunId, openAlerts, schedule, nextRunAt, missedRuns, runningSince, recentRuns, quota, history,
                source, host, runningRunId, 0, null);
    }

    /**
     * One event in the job's history.
     *
     * @param partition the partition of {@code backup.events} the event was read from, or {@code null} (kept from
     *                  before this was recorded)
     * @param offset    its offset there: with the partition, where its full record (the raw input) is
     */
    public record Entry(Instant at, EventType type, Outcome outcome, String eventId, String error, Integer partition,
                        Long offset) {

        public Entry(Instant at, EventType type, Outcome outcome, String eventId, String error) {
            this(at, type, outcome, eventId, error, null, null);
        }
    }

    /** One successful run's measures. */
    public record Run(Instant at, Long bytes, Long files, Long durationSeconds) {
    }

    /** One quota report. */
    public record QuotaPoint(Instant at, long usedBytes, long totalBytes) {
    }

    public JobState {
        openAlerts = openAlerts == null ? Map.of() : Map.copyOf(openAlerts);
        recentRuns = recentRuns == null ? List.of() : List.copyOf(recentRuns);
        quota = quota == null ? List.of() : List.copyOf(quota);
        history = history == null ? List.of() : List.copyOf(history);
    }

    /**
     * How much earlier than the running run's start an event must be dated to be of an earlier run: more than a
     * client's clock may run ahead of Vigil's ({@link EventGate#MAX_CLOCK_AHEAD}), so a start dated by the client and
     * an end dated on receipt are still one run.
     */
    public static final java.time.Duration EARLIER_RUN = EventGate.MAX_CLOCK_AHEAD;

    /** True when {@code at} is more than {@link #EARLIER_RUN} before the start of the run in progress. */
    boolean isBeforeRunning(Instant at) {
        return runningSince != null && at.isBefore(runningSince.minus(EARLIER_RUN));
    }

    /**
     * How long after a ping's failure another failure under its rid (with no start between) is a retry of the same
     * call: curl's {@code --retry} back-off grows to 10 minutes. A client that reuses its rid fails again a run later.
     */
    public static final java.time.Duration PING_RETRY_SPAN = java.time.Duration.ofMinutes(10);

    /** How much earlier than the last verdict a verdict may be dated and still be news (minute-precision sources). */
    public static final java.time.Duration SOURCE_PRECISION = java.time.Duration.ofMinutes(1);

    /**
     * True when {@code event} tells of a run older than what the state already knows: a start dated before the last
     * end, or a verdict dated more than {@link #SOURCE_PRECISION} before the last one. Such an event arrived late (a
     * spool or a retry sent after newer calls) and is history only: it must not reopen a run, count a failure the job
     * has since recovered from, or resolve a newer failure.
     */
    public boolean isLate(BackupEvent event) {
        Instant at = at(event);
        boolean start = event.type() == EventType.BACKUP_STARTED || event.type() == EventType.SOURCE_STARTED;
        if (start && isBeforeRunning(at)) {
            return true; // an earlier run's start after a later one's (Retrospect sends the live call before its spool)
        }
        if (lastEndAt == null) {
            return false;
        }
        if (start) {
            return at.isBefore(lastEndAt);
        }
        return isRunVerdict(event) && at.isBefore(lastEndAt.minus(SOURCE_PRECISION));
    }

    /**
     * The entry {@code event} makes in the job's history ({@link JobHistory}), its error message cut to
     * {@value #HISTORY_ERROR_LIMIT} characters.
     *
     * @param partition the partition of {@code backup.events} it was read from, or {@code null}
     * @param offset    its offset there, or {@code null}
     */
    public static Entry entry(BackupEvent event, Integer partition, Long offset) {
        return new Entry(at(event), event.type(), event.outcome(), event.id(),
                event.error() == null ? null : EventGate.cut(event.error().message(), HISTORY_ERROR_LIMIT), partition,
                offset);
    }

    /** The state whose job's next history entry takes {@code next}; a history kept in the state is dropped (moved). */
    public JobState withHistoryNext(long next) {
        Builder builder = toBuilder();
        builder.history = List.of();
        builder.historyNext = next;
        return builder.build();
    }

    /** The state after {@code event}: the facts every rule reads. */
    public JobState after(BackupEvent event) {
        Builder next = toBuilder();
        Instant at = at(event);
        next.lastEventAt = at;
        next.source = event.source();
        String host = event.attributes().getOrDefault("host", event.attributes().get("clientName"));
        if (host != null && !host.isBlank()) {
            next.host = dev.vigil.model.Text.line(host, 200);
        }
        if (event.type() == EventType.BACKUP_STARTED) {
            next.lastStartAt = at;
            next.runningSince = at;
            next.runningRunId = event.runId();
            next.failedRunCounted = false;
            if (event.source() == dev.vigil.model.Source.HEALTHCHECKS) {
                next.lastFailedRunId = null; // a new run: a rid the client reuses is its own again
            }
        }
        if (isRunVerdict(event)) {
            boolean endsRun = event.type() != EventType.FATAL_ERROR;
            boolean inRun = runningSince != null;
            next.lastEndAt = at;
            next.lastOutcome = event.outcome();
            if ((event.type() == EventType.BACKUP_FINISHED || event.type() == EventType.FATAL_ERROR)
                    && !endsAnotherRun(event) && !isBeforeRunning(at)) { // an earlier run's end leaves this one watched
                next.runningSince = null;
                next.runningRunId = null;
            }
            switch (event.outcome()) {
                case FAILED -> {
                    // a run id is one run's until the job's next success; a ping's rid only until its next start, and
                    // for PING_RETRY_SPAN after the failure (a client may reuse the rid for every run)
                    boolean sameRun = failedRunCounted || event.runId() != null && event.runId().equals(lastFailedRunId)
                            && (event.source() != dev.vigil.model.Source.HEALTHCHECKS
                                || lastEndAt != null && !at.isAfter(lastEndAt.plus(PING_RETRY_SPAN)));
                    if (!sameRun) {
                        next.consecutiveFailures++;
                        next.lastFailedRunId = event.runId();
                    }
                    // a fatal error inside a started run: its end is still to come and is the same run
                    next.failedRunCounted = !endsRun && (inRun || failedRunCounted);
                }
                case SUCCESS, WARNING -> {
                    next.consecutiveFailures = 0;
                    next.lastSuccessAt = at;
                    next.failedRunCounted = false;
                    next.lastFailedRunId = null;
                }
                default -> { }
            }
        }
        if (event.type() == EventType.QUOTA_REPORTED && event.measures().quotaTotalBytes() != null
                && event.measures().quotaUsedBytes() != null) {
            List<QuotaPoint> points = new ArrayList<>(quota);
            points.add(new QuotaPoint(at, event.measures().quotaUsedBytes(), event.measures().quotaTotalBytes()));
            next.quota = tail(points, REMEMBERED_QUOTA);
        }
        return next.build();
    }

    /**
     * True when {@code event} is a ping's success of another run than the one running: healthchecks keeps watching
     * the most recent start when a success with a different {@code rid} arrives (overlapping runs; {@code Check.ping}),
     * so a later run that hangs is still told. A failure, or an end without a run id, ends whatever is running.
     */
    private boolean endsAnotherRun(BackupEvent event) {
        return event.source() == dev.vigil.model.Source.HEALTHCHECKS && event.outcome() != Outcome.FAILED
                && event.runId() != null && runningRunId != null && !event.runId().equals(runningRunId);
    }

    /** The baseline after a successful run with measures. */
    public JobState withRun(Run run) {
        Builder next = toBuilder();
        List<Run> runs = new ArrayList<>(recentRuns);
        runs.add(run);
        next.recentRuns = tail(runs, REMEMBERED_RUNS);
        return next.build();
    }

    /** Events that end a run (or a part of it) with a verdict on it. */
    public static boolean isRunVerdict(BackupEvent event) {
        return event.outcome() != Outcome.NONE && switch (event.type()) {
            case BACKUP_FINISHED, SOURCE_FINISHED, FATAL_ERROR -> true;
            default -> false;
        };
    }

    /** Events that show the job ran (started or ended), which is what a schedule expects. */
    public static boolean isRun(BackupEvent event) {
        return event.type() == EventType.BACKUP_STARTED || event.type() == EventType.BACKUP_FINISHED
                || event.type() == EventType.SOURCE_STARTED || event.type() == EventType.SOURCE_FINISHED;
    }

    public static Instant at(BackupEvent event) {
        return event.occurredAt() != null ? event.occurredAt() : event.receivedAt();
    }

    public JobState withAlert(Alert alert) {
        Builder next = toBuilder();
        Map<String, Alert> alerts = new HashMap<>(openAlerts);
        switch (alert.status()) {
            case FIRING -> alerts.put(alert.rule(), alert);
            case RESOLVED -> alerts.remove(alert.rule());
        }
        next.openAlerts = alerts;
        return next.build();
    }

    public JobState withSchedule(Schedule schedule, Instant nextRunAt, int missedRuns) {
        Builder next = toBuilder();
        next.schedule = schedule;
        next.nextRunAt = nextRunAt;
        next.missedRuns = missedRuns;
        return next.build();
    }

    /**
     * True when {@code event} tells of a run (a start, an end, a fatal error) and was received more than
     * {@code allowance} plus its source's precision after the time it reports: its client held it back (a spool,
     * retries after its own outage). Retrospect dates most events to the minute; every other source to the second or
     * finer. Other events (logs, quota reports) never hold, so a client that keeps sending them cannot put off a verdict.
     */
    public static boolean isHeldBack(BackupEvent event, java.time.Duration allowance) {
        if (!isRun(event) && !isRunVerdict(event)) {
            return false;
        }
        Instant received = event.receivedAt();
        Instant at = at(event);
        java.time.Duration precision = event.source() == dev.vigil.model.Source.RETROSPECT ? SOURCE_PRECISION
                : java.time.Duration.ofSeconds(1);
        return received != null && at != null && at.plus(allowance).plus(precision).isBefore(received);
    }

    /** The state with no verdict before {@code until} ({@link #heldUntil}); a later hold already set stays. */
    public JobState heldUntil(Instant until) {
        if (heldUntil != null && !heldUntil.isBefore(until)) {
            return this;
        }
        Builder next = toBuilder();
        next.heldUntil = until;
        return next.build();
    }

    public JobState withRunningSince(Instant runningSince) {
        Builder next = toBuilder();
        next.runningSince = runningSince;
        if (runningSince == null) {
            next.runningRunId = null;
        }
        return next.build();
    }

    private static <T> List<T> tail(List<T> list, int max) {
        return list.size() <= max ? list : list.subList(list.size() - max, list.size());
    }

    private Builder toBuilder() {
        return new Builder(this);
    }

    /** Mutable copy used to derive the next state. */
    private static final class Builder {
        Instant lastEventAt;
        Instant lastStartAt;
        Instant lastEndAt;
        Outcome lastOutcome;
        Instant lastSuccessAt;
        int consecutiveFailures;
        boolean failedRunCounted;
        String lastFailedRunId;
        Map<String, Alert> openAlerts;
        Schedule schedule;
        Instant nextRunAt;
        int missedRuns;
        Instant runningSince;
        List<Run> recentRuns;
        List<QuotaPoint> quota;
        List<Entry> history;
        dev.vigil.model.Source source;
        String host;
        String runningRunId;
        long historyNext;
        Instant heldUntil;

        Builder(JobState s) {
            lastEventAt = s.lastEventAt;
            lastStartAt = s.lastStartAt;
            lastEndAt = s.lastEndAt;
            lastOutcome = s.lastOutcome;
            lastSuccessAt = s.lastSuccessAt;
            consecutiveFailures = s.consecutiveFailures;
            failedRunCounted = s.failedRunCounted;
            lastFailedRunId = s.lastFailedRunId;
            openAlerts = s.openAlerts;
            schedule = s.schedule;
            nextRunAt = s.nextRunAt;
            missedRuns = s.missedRuns;
            runningSince = s.runningSince;
            recentRuns = s.recentRuns;
            quota = s.quota;
            history = s.history;
            source = s.source;
            host = s.host;
            runningRunId = s.runningRunId;
            historyNext = s.historyNext;
            heldUntil = s.heldUntil;
        }

        JobState build() {
            return new JobState(lastEventAt, lastStartAt, lastEndAt, lastOutcome, lastSuccessAt,
                    consecutiveFailures, failedRunCounted, lastFailedRunId, openAlerts, schedule, nextRunAt, missedRuns, runningSince, recentRuns, quota,
                    history, source, host, runningRunId, historyNext, heldUntil);
        }
    }
}
