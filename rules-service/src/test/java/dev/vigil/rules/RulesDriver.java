package dev.vigil.rules;

import dev.vigil.kafka.IngestControl;
import dev.vigil.kafka.VigilSerdes;
import dev.vigil.model.Alert;
import dev.vigil.model.BackupEvent;
import dev.vigil.model.ErrorInfo;
import dev.vigil.model.EventType;
import dev.vigil.model.JobKey;
import dev.vigil.model.Outcome;
import dev.vigil.model.Source;
import dev.vigil.model.Topics;
import dev.vigil.rules.job.JobHistory;
import dev.vigil.rules.job.JobProcessor;
import dev.vigil.rules.job.JobState;
import dev.vigil.rules.rule.EventRule;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.test.TestRecord;

/**
 * The rules topology in a {@link TopologyTestDriver}, configured as {@code rules.yml} configures the service (its
 * exception handlers and dead-letter topic included), with helpers that send events, raw bytes and heartbeats
 * the way the gateway writes them, and read alerts and dead letters.
 */
final class RulesDriver implements AutoCloseable {

    static final String DEAD_LETTERS = Topics.EVENTS + Topics.DEAD_LETTER_SUFFIX;
    final TopologyTestDriver driver;
    final TestInputTopic<String, BackupEvent> events;
    final TestInputTopic<String, byte[]> rawEvents;
    final TestOutputTopic<String, Alert> alerts;
    final TestOutputTopic<byte[], byte[]> deadLetters;
    private final AtomicInteger ids = new AtomicInteger();

    RulesDriver(Map<String, String> settings, Instant start) {
        this(settings, start, null);
    }

    /** @param rules the event rules, or {@code null} for the service's own */
    RulesDriver(Map<String, String> settings, Instant start, List<EventRule> rules) {
        RulesProperties properties = RulesTestSupport.properties(settings);
        StreamsBuilder builder = new StreamsBuilder();
        AlertTopology.build(builder, properties, 1, rules == null ? AlertTopology.eventRules(properties) : rules);
        Properties config = new Properties();
        config.put(StreamsConfig.APPLICATION_ID_CONFIG, "rules-test");
        config.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "unused:9092");
        config.put(StreamsConfig.DESERIALIZATION_EXCEPTION_HANDLER_CLASS_CONFIG, StreamsErrorHandlers.Deserialization.class);
        config.put(StreamsConfig.PROCESSING_EXCEPTION_HANDLER_CLASS_CONFIG, StreamsErrorHandlers.Processing.class);
        config.put(StreamsConfig.PRODUCTION_EXCEPTION_HANDLER_CLASS_CONFIG, StreamsErrorHandlers.Production.class);
        config.put(StreamsConfig.ERRORS_DEAD_LETTER_QUEUE_TOPIC_NAME_CONFIG, DEAD_LETTERS);
        config.put(StreamsConfig.DEFAULT_TIMESTAMP_EXTRACTOR_CLASS_CONFIG,
                org.apache.kafka.streams.processor.LogAndSkipOnInvalidTimestamp.class);
        driver = new TopologyTestDriver(builder.build(), config, start);
        events = driver.createInputTopic(Topics.EVENTS, new StringSerializer(), VigilSerdes.json(BackupEvent.class).serializer());
        rawEvents = driver.createInputTopic(Topics.EVENTS, new StringSerializer(), new ByteArraySerializer());
        alerts = driver.createOutputTopic(Topics.ALERTS, new StringDeserializer(), VigilSerdes.json(Alert.class).deserializer());
        deadLetters = driver.createOutputTopic(DEAD_LETTERS, new ByteArrayDeserializer(), new ByteArrayDeserializer());
    }

    /** Sends {@code event} as the gateway does: keyed by its job, the record stamped with its receive time. */
    void send(BackupEvent event) {
        events.pipeInput(event.job().asString(), event, event.receivedAt());
    }

    /** A heartbeat as the gateway writes it: the reserved job, the control header, its stamp as record time. */
    void heartbeat(Instant at) {
        BackupEvent beat = new BackupEvent("hb-" + ids.incrementAndGet(), Source.GENERIC, EventType.HEARTBEAT,
                Outcome.NONE, at, at, new JobKey(IngestControl.RESERVED_TENANT, "gateway", "g1"), null, null, null,
                Map.of(), null);
        RecordHeaders headers = new RecordHeaders();
        headers.add(IngestControl.HEADER, IngestControl.HEARTBEAT.getBytes(StandardCharsets.UTF_8));
        events.pipeInput(new TestRecord<>(beat.job().asString(), beat, headers, at));
        driver.advanceWallClockTime(Duration.ofSeconds(1));
    }

    /** Heartbeats every {@code step} from {@code from} to {@code to} inclusive: continuous ingest. */
    void heartbeats(Instant from, Instant to, Duration step) {
        for (Instant at = from; !at.isAfter(to); at = at.plus(step)) {
            heartbeat(at);
        }
    }

    BackupEvent event(JobKey job, EventType type, Outcome outcome, Instant at, Map<String, String> attributes) {
        return new BackupEvent("e" + ids.incrementAndGet(), Source.GENERIC, type, outcome, at, at, job, null, null,
                null, new HashMap<>(attributes), null);
    }

    /** A failed run's end, with {@code message} as its error. */
    BackupEvent failed(JobKey job, Instant at, String message) {
        return new BackupEvent("e" + ids.incrementAndGet(), Source.XSIBACKUP, EventType.BACKUP_FINISHED,
                Outcome.FAILED, at, at, job, null, null, new ErrorInfo("1", message), Map.of(), null);
    }

    List<Alert> alerts() {
        return alerts.readValuesToList();
    }

    JobState state(JobKey job) {
        KeyValueStore<String, JobState> store = driver.getKeyValueStore(JobProcessor.STORE);
        return store.get(job.asString());
    }

    /** The job's history as the status API answers it, oldest first. */
    List<JobState.Entry> history(JobKey job) {
        KeyValueStore<String, JobHistory.Slot> store = driver.getKeyValueStore(JobHistory.STORE);
        return JobHistory.read(store, job.asString(), state(job));
    }

    @Override
    public void close() {
        driver.close();
    }
}
