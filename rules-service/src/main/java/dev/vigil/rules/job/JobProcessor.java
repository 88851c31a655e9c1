package dev.vigil.rules.job;

import dev.vigil.kafka.CloudEventRecords;
import dev.vigil.model.Alert;
import dev.vigil.model.AlertStatus;
import dev.vigil.model.BackupEvent;
import dev.vigil.model.CloudEventHeaders;
import dev.vigil.rules.rule.Condition;
import dev.vigil.rules.rule.EventRule;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Per-job evaluation of the event rules:
 * <ol>
 *   <li>load the job's state; drop an event whose id was already seen (a retried hook);</li>
 *   <li>fold the event into the state (last run, outcome, consecutive failures);</li>
 *   <li>ask every rule for its condition, and turn a change against the open alerts into an alert
 *       transition: FIRING when a condition starts (or changes severity), RESOLVED when it clears;</li>
 *   <li>store the state and forward the transitions, keyed by fingerprint.</li>
 * </ol>
 * Under exactly-once processing the state, the alerts and the consumed offset commit together, so a restart
 * neither loses nor repeats an alert.
 */
public class JobProcessor implements Processor<String, BackupEvent, String, Alert> {

    public static final String STORE = "job-state";
    private static final Logger log = LoggerFactory.getLogger(JobProcessor.class);

    private final List<EventRule> rules;
    private ProcessorContext<String, Alert> context;
    private KeyValueStore<String, JobState> store;

    public JobProcessor(List<EventRule> rules) {
        this.rules = rules;
    }

    @Override
    public void init(ProcessorContext<String, Alert> context) {
        this.context = context;
        this.store = context.getStateStore(STORE);
    }

    @Override
    public void process(Record<String, BackupEvent> record) {
        BackupEvent event = record.value();
        if (event == null) {
            return;
        }
        String key = event.job().asString();
        JobState before = store.get(key);
        before = before == null ? JobState.EMPTY : before;
        if (before.hasSeen(event.id())) {
            log.debug("event {} of {} seen before; not counted again", event.id(), key);
            return;
        }
        String traceId = CloudEventRecords.header(record.headers(), CloudEventHeaders.TRACE_ID);
        JobState state = before.after(event);
        for (EventRule rule : rules) {
            Optional<Condition> condition = rule.evaluate(event, state);
            if (condition.isEmpty()) {
                continue;
            }
            Optional<Alert> transition = transition(rule.name(), condition.get(), state, event);
            if (transition.isPresent()) {
                Alert alert = transition.get();
                state = state.withAlert(alert);
                forward(alert, record.timestamp(), traceId);
            }
        }
        store.put(key, state);
    }

    /** The alert transition a condition causes, given the alerts already open for the job. */
    static Optional<Alert> transition(String rule, Condition condition, JobState state, BackupEvent event) {
        Alert open = state.openAlerts().get(rule);
        Instant at = event.occurredAt() != null ? event.occurredAt() : event.receivedAt();
        if (condition.holds()) {
            if (open != null && open.severity() == condition.severity()) {
                return Optional.empty(); // already told; repeats are the notifier's business
            }
            return Optional.of(new Alert(Alert.fingerprint(rule, event.job()), rule, condition.severity(),
                    AlertStatus.FIRING, event.job(), event.source(), condition.summary(), condition.details(),
                    open != null ? open.startsAt() : at, null, event.id()));
        }
        if (open == null) {
            return Optional.empty();
        }
        Duration down = Duration.between(open.startsAt(), at);
        return Optional.of(open.resolve(at, condition.summary() + " (problem lasted " + human(down) + ")",
                event.id()));
    }

    private void forward(Alert alert, long timestamp, String traceId) {
        RecordHeaders headers = new RecordHeaders();
        CloudEventRecords.addHeaders(headers, alert.fingerprint(),
                alert.fingerprint() + "-" + alert.status().name().toLowerCase() + "-" + alert.eventId(),
                "dev.vigil.alert." + alert.status().name().toLowerCase(), "rules",
                alert.endsAt() != null ? alert.endsAt() : alert.startsAt(), traceId);
        context.forward(new Record<>(alert.fingerprint(), alert, timestamp, headers));
        log.info("alert {} {} for {}: {}", alert.rule(), alert.status(), alert.job().asString(), alert.summary());
    }

    /** {@code 2h 5m}, {@code 3d 4h}, {@code 45s}: how long, for a person. */
    public static String human(Duration duration) {
        long seconds = Math.max(0, duration.toSeconds());
        long days = seconds / 86_400;
        long hours = seconds % 86_400 / 3_600;
        long minutes = seconds % 3_600 / 60;
        if (days > 0) {
            return days + "d " + hours + "h";
        }
        if (hours > 0) {
            return hours + "h " + minutes + "m";
        }
        if (minutes > 0) {
            return minutes + "m " + seconds % 60 + "s";
        }
        return seconds + "s";
    }
}
