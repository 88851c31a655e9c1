package dev.vigil.rules.job;

import dev.vigil.kafka.CloudEventRecords;
import dev.vigil.model.AccountSettings;
import dev.vigil.model.Alert;
import dev.vigil.model.AlertStatus;
import dev.vigil.model.BackupEvent;
import dev.vigil.model.CloudEventHeaders;
import dev.vigil.model.EventType;
import dev.vigil.model.JobKey;
import dev.vigil.model.Outcome;
import dev.vigil.model.Rules;
import dev.vigil.model.Severity;
import dev.vigil.model.Topics;
import dev.vigil.model.Source;
import dev.vigil.rules.RulesProperties;
import dev.vigil.rules.account.AccountsUpdater;
import dev.vigil.rules.rule.Condition;
import dev.vigil.rules.rule.EventRule;
import dev.vigil.rules.schedule.Deadlines;
import dev.vigil.rules.schedule.Schedule;
import dev.vigil.rules.schedule.ScheduleTracker;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import org.apache.kafka.streams.processor.PunctuationType;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Per-job evaluation of the rules.
 * <p>For each event:
 * <ol>
 *   <li>a gateway heartbeat only moves the ingest watermark;</li>
 *   <li>load the job's state; drop an event whose id was already seen (a retried hook);</li>
 *   <li>fold the event into the state (last run, outcome, consecutive failures, quota history) and the
 *       schedule (next expected run);</li>
 *   <li>ask every event rule for its condition, and turn a change against the open alerts into an alert
 *       transition: FIRING when a condition starts (or changes severity), RESOLVED when it clears;</li>
 *   <li>learn from a successful run (anomaly baseline), move the job's deadlines, store the state.</li>
 * </ol>
 * <p>Every second (wall clock) the deadlines due by the <em>ingest watermark</em> — the time of the latest
 * gateway heartbeat seen in this partition, not the clock — become verdicts: a run that did not start (missed
 * schedule) or did not end (failed). While Vigil itself is not ingesting, the watermark stands still and no
 * verdict is given; when data resumes, the backlog is processed before the heartbeats behind it, so runs that
 * did happen are seen first and no false alarm is raised. A client's own outage is the same seen from its side: a run
 * hook that arrives more than the ingest gap plus its source's precision after the time it reports was held back, and
 * no verdict on its job is given until the outage settle after its receipt, so the rest of the client's spool (the end
 * of a run whose start was 25 hours old, the runs of the days it was offline) arrives first. An alert is dated by its
 * deadline as the schedule set it, not by the hold. A start that comes after the open run ran out of time tells that
 * run as unfinished at once, in the time the events report.
 * <p>Under exactly-once processing the state, the alerts and the consumed offsets commit together, so a
 * restart neither loses nor repeats an alert.
 */
public class JobProcessor implements Processor<String, BackupEvent, String, Alert> {

    public static final String STORE = "job-state";
    public static final String WATERMARK_STORE = "ingest-watermark";
    /** Event ids seen per job, for a time window: a retried hook is recognised however many others came between. */
    public static final String SEEN_BY_BUCKET_STORE = "seen-event-ids-by-bucket";
    /** The same in the form before ({@link SeenEvents}): each id at its exact time; read, no longer written. */
    public static final String SEEN_STORE = "seen-event-ids";
    private static final String WATERMARK_KEY = "gateway";
    /**
     * How long after a ping its id (rid and kind, no {@code ts}) marks a retry of it: runitor retries within seconds,
     * {@code curl --retry 5} within about 30 s; a rid reused by the next run comes a schedule's period later.
     */
    static final Duration PING_RETRY = Duration.ofSeconds(30);
    /** 9999-12-31: record timestamps beyond are not times a broker or the gateway wrote. */
    private static final long MAX_TIMESTAMP = 253_402_300_799_000L;
    private static final String OUTAGE_FROM = "outage.from";
    private static final String OUTAGE_TO = "outage.to";
    private static final String OUTAGE_SETTLED = "outage.settled";
    private static final Logger log = LoggerFactory.getLogger(JobProcessor.class);
    private static final DateTimeFormatter WHEN = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm xxx");

    private final List<EventRule> rules;
    private final ScheduleTracker schedules;
    private final Function<JobKey, Schedule> configuredSchedules;
    private final Duration startGrace;
    private final Duration maxRunTime;
    private final Duration dedupWindow;
    private final Duration ingestGap;
    private final Duration outageSettle;
    private ProcessorContext<String, Alert> context;
    private KeyValueStore<String, JobState> store;
    private KeyValueStore<String, Long> watermark;
    private SeenEvents seen;
    private JobHistory history;
    private KeyValueStore<String, AccountSettings> accounts;
    private Deadlines deadlines;

    /**
     * @param settings    start grace, maximum run time, and what counts as an outage of Vigil's ingest and how long
     *                    deadlines that fell into one wait after it
     * @param dedupWindow how long an event id is remembered per job
     */
    public JobProcessor(List<EventRule> rules, ScheduleTracker schedules, Function<JobKey, Schedule> configuredSchedules,
                        RulesProperties.ScheduleSettings settings, Duration dedupWindow) {
        this.rules = rules;
        this.schedules = schedules;
        this.configuredSchedules = configuredSchedules;
        this.startGrace = settings.startGrace();
        this.maxRunTime = settings.maxRunTime();
        this.ingestGap = settings.ingestGap();
        this.outageSettle = settings.outageSettle();
        this.dedupWindow = dedupWindow;
    }

    @Override
    public void init(ProcessorContext<String, Alert> context) {
        this.context = context;
        this.store = context.getStateStore(STORE);
        this.watermark = context.getStateStore(WATERMARK_STORE);
        this.seen = new SeenEvents(context.getStateStore(SEEN_BY_BUCKET_STORE), context.getStateStore(SEEN_STORE),
                dedupWindow);
        this.history = new JobHistory(context.getStateStore(JobHistory.STORE));
        this.accounts = context.getStateStore(AccountsUpdater.STORE);
        this.deadlines = new Deadlines(context.getStateStore(Deadlines.STORE), startGrace, maxRunTime);
        context.schedule(Duration.ofSeconds(1), PunctuationType.WALL_CLOCK_TIME, now -> checkDeadlines());
    }

    @Override
    public void process(Record<String, BackupEvent> record) {
        BackupEvent event = record.value();
        if (event == null) {
            return;
        }
        if (event.type() == EventType.HEARTBEAT) {
            heartbeat(JobState.at(event).toEpochMilli());
            return;
        }
        String key = event.job().asString();
        if (seenBefore(key, event, record.timestamp())) {
            log.debug("event {} of {} seen before; not counted again", event.id(), key);
            return;
        }
        JobState before = store.get(key);
        before = before == null ? JobState.EMPTY : before;
        if (before.isLate(event)) {
            Values.ignored("late-run");
            log.info("{} {} of {} is dated {}, before the last verdict {}: kept in the history only", event.type(),
                    event.id(), key, JobState.at(event), before.lastEndAt());
            store.put(key, remembered(key, before, event));
            return;
        }
        String traceId = CloudEventRecords.header(record.headers(), CloudEventHeaders.TRACE_ID);
        JobState current = before;
        if (event.type() == EventType.BACKUP_STARTED && current.runningSince() != null
                && !JobState.at(event).isBefore(current.runningSince().plus(maxRunTime))) {
            // a new run starts after the one still open ran out of time: that one did not finish, whether or not
            // its deadline was judged first (a spool sent at once, or the next run's start as its deadline falls due)
            current = unfinishedRun(event.job(), current, current.runningSince().plus(maxRunTime));
        }
        JobState state = schedules.apply(event, current.after(event), configuredSchedules.apply(event.job()));
        AccountSettings settings = accounts.get(event.job().account());
        for (EventRule rule : rules) {
            Optional<Condition> condition = rule.evaluate(event, state, settings);
            if (condition.isPresent()) {
                state = apply(rule.name(), condition.get(), state, event.job(), event.source(), JobState.at(event),
                        event.id(), record.timestamp(), traceId);
            }
        }
        boolean finished = event.type() == EventType.BACKUP_FINISHED || event.type() == EventType.SOURCE_FINISHED;
        var m = event.measures();
        if (finished && event.outcome() == Outcome.SUCCESS
                && (m.bytes() != null || m.files() != null || m.durationSeconds() != null)) {
            state = state.withRun(new JobState.Run(JobState.at(event), event.measures().bytes(),
                    event.measures().files(), event.measures().durationSeconds()));
        }
        if (JobState.isHeldBack(event, ingestGap) && received(event)) {
            state = state.heldUntil(event.receivedAt().plus(outageSettle));
        }
        deadlines.sync(key, before, state);
        store.put(key, remembered(key, state, event));
    }

    /**
     * Writes the event's entry in the job's history, placed at its record of {@code backup.events} (where the console
     * finds its raw input), and returns the state that counts it.
     */
    private JobState remembered(String key, JobState state, BackupEvent event) {
        var metadata = context.recordMetadata();
        boolean located = metadata.isPresent() && Topics.EVENTS.equals(metadata.get().topic());
        return history.append(key, state, JobState.entry(event, located ? metadata.get().partition() : null,
                located ? metadata.get().offset() : null));
    }

    /**
     * Moves the ingest watermark to a gateway heartbeat. Heartbeats further apart than the ingest gap mean Vigil was
     * not ingesting in between: the outage is remembered, and deadlines that fell into it wait until the watermark
     * is an outage-settle past its end, for the hooks clients held back.
     */
    private void heartbeat(long beat) {
        Long current = watermark.get(WATERMARK_KEY);
        if (current != null && beat <= current) {
            return;
        }
        if (current != null && beat - current > ingestGap.toMillis()) {
            Long settling = watermark.get(OUTAGE_SETTLED);
            boolean stillSettling = settling != null && current < settling;
            if (!stillSettling) {
                watermark.put(OUTAGE_FROM, current);
            }
            watermark.put(OUTAGE_TO, beat);
            watermark.put(OUTAGE_SETTLED, beat + outageSettle.toMillis());
            log.info("no heartbeat from {} to {}: deadlines in between wait until {}", Instant.ofEpochMilli(current),
                    Instant.ofEpochMilli(beat), Instant.ofEpochMilli(beat + outageSettle.toMillis()));
        }
        watermark.put(WATERMARK_KEY, beat);
    }

    /**
     * The time up to which deadlines may be judged: the watermark, except while an outage settles, when only the
     * deadlines that fell before it began are.
     */
    private Long judgeUpTo() {
        Long mark = watermark.get(WATERMARK_KEY);
        Long settled = watermark.get(OUTAGE_SETTLED);
        if (mark != null && settled != null && mark < settled) {
            return Math.min(mark, watermark.get(OUTAGE_FROM));
        }
        return mark;
    }

    /**
     * True when {@code event}'s receive time is one Vigil's ingest has reached (within {@link EventGate#RECEIVE_SKEW}
     * of the watermark): a record stamped far ahead must not hold the job's verdicts until then.
     */
    private boolean received(BackupEvent event) {
        Long mark = watermark.get(WATERMARK_KEY);
        return mark == null || !event.receivedAt().isAfter(Instant.ofEpochMilli(mark).plus(EventGate.RECEIVE_SKEW));
    }

    /** The outage a deadline fell into, as "from … to …", or {@code null}. */
    private String outageAround(Instant due) {
        Long from = watermark.get(OUTAGE_FROM);
        Long to = watermark.get(OUTAGE_TO);
        if (from == null || to == null || due.toEpochMilli() <= from || due.toEpochMilli() > to) {
            return null;
        }
        return Instant.ofEpochMilli(from) + " to " + Instant.ofEpochMilli(to);
    }

    /**
     * True when {@code eventId} of {@code job} was seen within the dedup window of {@code timestamp} (the record's
     * ingest time), either side; remembers it otherwise.
     */
    private boolean seenBefore(String job, BackupEvent event, long timestamp) {
        if (timestamp < 0 || timestamp > MAX_TIMESTAMP) {
            Values.ignored("timestamp");
            return false; // a record stamped outside any sane time would move the dedup store's clock for good
        }
        String key = job + "\u0000" + event.id();
        return isPingRetryId(event) ? seen.seenBefore(key, timestamp, Math.min(PING_RETRY.toMillis(), dedupWindow.toMillis()))
                : seen.seenBefore(key, timestamp);
    }

    /**
     * A ping's id made of its {@code rid} and kind, without a {@code ts} of its own (its time is its receipt): a client
     * may reuse the rid run after run, so the id marks a retry of the same call only within {@link #PING_RETRY}.
     */
    private static boolean isPingRetryId(BackupEvent event) {
        return event.source() == Source.HEALTHCHECKS && event.runId() != null
                && java.util.Objects.equals(event.occurredAt(), event.receivedAt());
    }

    /**
     * The deadlines due by the ingest watermark become verdicts. Each deadline is taken off the store before it is
     * judged and judged on its own: one that fails is counted and dead-lettered by the caller's handler, never
     * retried for ever, and never holds back the others.
     */
    void checkDeadlines() {
        Long mark = judgeUpTo();
        if (mark == null) {
            return; // no heartbeat yet: nothing proves that data is complete
        }
        for (Deadlines.Deadline deadline : deadlines.due(Instant.ofEpochMilli(mark))) {
            deadlines.remove(deadline);
            try {
                judge(deadline);
            } catch (RuntimeException e) {
                Values.ignored("deadline");
                log.warn("deadline {} of {} could not be judged; dropped: {}", deadline.kind(), deadline.job(), e.toString());
            }
        }
    }

    private void judge(Deadlines.Deadline deadline) {
        JobState state = store.get(deadline.job());
        if (state == null) {
            return;
        }
        JobState before = state;
        JobKey job = JobKey.parse(deadline.job());
        Instant scheduled = deadlines.scheduledDue(state, deadline.kind()); // the alert's time, before any hold
        if (Deadlines.START.equals(deadline.kind()) && Deadlines.same(deadline.due(), deadlines.startDue(state))) {
            state = missedRun(job, state, scheduled);
        } else if (Deadlines.FINISH.equals(deadline.kind()) && Deadlines.same(deadline.due(), deadlines.finishDue(state))) {
            state = unfinishedRun(job, state, scheduled);
        } else {
            deadlines.restore(deadline.job(), state); // superseded: the state's own deadlines are the ones that count
            return;
        }
        deadlines.syncJudged(deadline.job(), deadline.kind(), before, state);
        store.put(deadline.job(), state);
    }

    private JobState missedRun(JobKey job, JobState state, Instant due) {
        Instant expected = state.nextRunAt();
        Schedule schedule = state.schedule();
        Instant next = schedule == null ? null
                : schedule.interval() != null ? expected.plus(schedule.interval()) : schedule.next(expected);
        if (!schedules.missed(state, expected)) {
            return state.withSchedule(schedule, next, 0);
        }
        int missed = state.missedRuns() + 1;
        state = state.withSchedule(schedule, next, missed);
        Map<String, String> details = new LinkedHashMap<>();
        details.put("expectedAt", expected.toString());
        details.put("missedRuns", Integer.toString(missed));
        if (schedule != null) {
            details.put("schedule", schedule.describe());
        }
        if (state.lastStartAt() != null) {
            details.put("lastStartAt", state.lastStartAt().toString());
        }
        String outage = outageAround(due);
        if (outage != null) {
            details.put("vigilOutage", outage);
        }
        String when = expected.atZone(schedule != null && schedule.zone() != null ? ZoneId.of(schedule.zone())
                : ZoneId.of("UTC")).format(WHEN);
        Condition condition = Condition.holds(Severity.WARNING, "Backup " + job.job() + " of account " + job.account()
                + " did not run as scheduled at " + when + (missed > 1 ? " (" + missed + " runs missed)" : "")
                + (outage == null ? "" : "; Vigil itself was not receiving hooks from " + outage
                + ", and none arrived for this run in the " + human(outageSettle) + " after"), details);
        return apply(Rules.MISSED_SCHEDULE, condition, state, job, null, due, null, context.currentSystemTimeMs(), null);
    }

    private JobState unfinishedRun(JobKey job, JobState state, Instant due) {
        Instant started = state.runningSince();
        Condition condition = Condition.holds(Severity.CRITICAL, "Backup " + job.job() + " of account " + job.account()
                + " started " + started + " and has not finished after " + human(maxRunTime),
                Map.of("startedAt", started.toString(), "maxRunTime", maxRunTime.toString()));
        state = apply(Rules.FAILED_BACKUP, condition, state, job, null, due, null, context.currentSystemTimeMs(), null);
        return state.withRunningSince(null);
    }

    private JobState apply(String rule, Condition condition, JobState state, JobKey job, Source source, Instant at,
                           String eventId, long timestamp, String traceId) {
        Optional<Alert> transition = transition(rule, condition, state, job, source, at, eventId);
        if (transition.isEmpty()) {
            return state;
        }
        Alert alert = transition.get();
        context.forward(AlertRecords.record(alert, timestamp, traceId));
        return state.withAlert(alert);
    }

    /** The details with the machine as the backup product names it ({@code host}), where the job has one. */
    private static java.util.Map<String, String> withHost(java.util.Map<String, String> details, String host) {
        if (host == null || details.containsKey("host")) {
            return details;
        }
        java.util.Map<String, String> with = new java.util.LinkedHashMap<>(details);
        with.put("host", host);
        return with;
    }

    /** The alert transition a condition causes, given the alerts already open for the job. */
    static Optional<Alert> transition(String rule, Condition condition, JobState state, JobKey job, Source source,
                                      Instant at, String eventId) {
        Alert open = state.openAlerts().get(rule);
        if (condition.holds()) {
            if (open != null && open.severity() == condition.severity()) {
                return Optional.empty(); // already told; repeats are the notifier's business
            }
            return Optional.of(new Alert(Alert.fingerprint(rule, job), rule, condition.severity(), AlertStatus.FIRING,
                    job, source != null ? source : open != null ? open.source() : null, condition.summary(),
                    withHost(condition.details(), state.host()), open != null ? open.startsAt() : at, null,
                    eventId != null ? eventId : rule + "@" + at.toEpochMilli()));
        }
        if (open == null) {
            return Optional.empty();
        }
        Duration down = Duration.between(open.startsAt(), at);
        return Optional.of(open.resolve(at, condition.summary() + " (problem lasted " + human(down) + ")",
                eventId != null ? eventId : rule + "@" + at.toEpochMilli()));
    }

    /** How long, for a person ({@link dev.vigil.model.Text#duration}). */
    public static String human(Duration duration) {
        return dev.vigil.model.Text.duration(duration);
    }
}
