package dev.vigil.rules.job;

import dev.vigil.kafka.CloudEventRecords;
import dev.vigil.kafka.IngestControl;
import dev.vigil.model.BackupEvent;
import dev.vigil.model.ErrorInfo;
import dev.vigil.model.EventType;
import dev.vigil.model.JobKey;
import dev.vigil.model.Measures;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.HexFormat;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.apache.kafka.streams.processor.api.FixedKeyProcessor;
import org.apache.kafka.streams.processor.api.FixedKeyProcessorContext;
import org.apache.kafka.streams.processor.api.FixedKeyRecord;

/**
 * The one door from {@code backup.events} into the rules. Whatever a caller managed to put into an event, what
 * passes this gate is bounded and its times belong to Vigil:
 * <ul>
 *   <li><b>heartbeats</b> pass only when the gateway wrote them ({@link IngestControl#HEADER}, the reserved tenant)
 *       and their stamp is not ahead of the record's own timestamp by more than {@link #HEARTBEAT_SKEW}; any other
 *       record of the reserved tenant is dropped;</li>
 *   <li><b>times</b> are cut to milliseconds (the precision of Kafka timestamps and of the deadline store); the
 *       receive time is the gateway's, checked against the record timestamp; the source's own time is kept only
 *       within {@link #MAX_CLOCK_AHEAD} after and {@link #MAX_LATENESS} before the receive time, else the receive
 *       time stands for it;</li>
 *   <li><b>text</b> loses control characters other than tab and line breaks, and is capped: error messages keep head and tail around a marker ({@link #MESSAGE_LIMIT} characters),
 *       attributes at most {@link #MAX_ATTRIBUTES} of at most {@link #VALUE_LIMIT} characters, ids over
 *       {@link #ID_LIMIT} characters become their SHA-256; the raw input is not carried (no rule reads it);</li>
 *   <li><b>numbers</b>: a negative measure is dropped;</li>
 *   <li><b>keys</b>: a record whose key is not its job's key, or whose tenant or account holds a {@code /}, is dropped
 *       (its state would be kept apart from its job's, or read back as another account's); job names lose control
 *       and invisible characters and are shortened to {@link #NAME_LIMIT} characters with a digest of the whole
 *       ({@link JobKey#bounded()}), so a job of any name is still judged and told.</li>
 * </ul>
 * Everything dropped or changed is counted in {@code vigil_rules_ignored_values_total{field}}. The gate never throws
 * for a value; a record it cannot read at all never gets here (the deserialisation handler dead-letters it).
 */
public class EventGate implements FixedKeyProcessor<String, BackupEvent, BackupEvent> {

    public static final Duration HEARTBEAT_SKEW = Duration.ofSeconds(10);
    public static final Duration MAX_CLOCK_AHEAD = Duration.ofMinutes(5);
    public static final Duration MAX_LATENESS = Duration.ofDays(30);
    public static final Duration RECEIVE_SKEW = Duration.ofHours(1);
    public static final int MESSAGE_LIMIT = 2_000;
    public static final int CODE_LIMIT = 64;
    public static final int MAX_ATTRIBUTES = 32;
    public static final int KEY_LIMIT = 64;
    public static final int VALUE_LIMIT = 256;
    public static final int ID_LIMIT = 128;
    public static final int NAME_LIMIT = JobKey.NAME_LIMIT;
    /** Attributes some rule reads: kept before any other when an event has too many. */
    static final Set<String> READ_BY_RULES = Set.of("schedule.kind", "schedule.cron", "schedule.zone", "schedule.period",
            "nextRunAt", "waitedMinutes", "attempts", "member", "reason", "changedFiles", "watchedFiles",
            "changedPercent", "client.identifier", "client.version");

    private FixedKeyProcessorContext<String, BackupEvent> context;

    @Override
    public void init(FixedKeyProcessorContext<String, BackupEvent> context) {
        this.context = context;
    }

    @Override
    public void process(FixedKeyRecord<String, BackupEvent> record) {
        BackupEvent event = record.value();
        if (event == null) {
            return;
        }
        boolean reserved = IngestControl.RESERVED_TENANT.equals(event.job().tenant());
        if (event.type() == EventType.HEARTBEAT || reserved) {
            if (isGatewayHeartbeat(record)) {
                context.forward(record);
            } else {
                Values.ignored("heartbeat");
            }
            return;
        }
        if (!event.job().asString().equals(record.key()) || event.job().tenant().contains("/")
                || event.job().account().contains("/")) {
            Values.ignored("key"); // its state would be split from its job's, or read back as another account's
            return;
        }
        BackupEvent bounded = bound(event, record.timestamp());
        if (bounded != null) {
            context.forward(record.withValue(bounded));
        }
    }

    private static boolean isGatewayHeartbeat(FixedKeyRecord<String, BackupEvent> record) {
        BackupEvent event = record.value();
        return event.type() == EventType.HEARTBEAT
                && IngestControl.RESERVED_TENANT.equals(event.job().tenant())
                && IngestControl.HEARTBEAT.equals(CloudEventRecords.header(record.headers(), IngestControl.HEADER))
                && event.occurredAt() != null
                && !event.occurredAt().isAfter(Instant.ofEpochMilli(record.timestamp()).plus(HEARTBEAT_SKEW));
    }

    /**
     * The event with every caller-controlled value bounded; its job name fit to be a name (counted when changed).
     *
     * @param recordTimestamp the Kafka record's timestamp (epoch millis; {@code <= 0} when unknown)
     */
    public static BackupEvent bound(BackupEvent event, long recordTimestamp) {
        JobKey job = event.job().bounded();
        if (job != event.job()) {
            Values.ignored("job"); // shortened or cleaned, never dropped: a failure of any job is told
        }
        Instant received = millis(event.receivedAt());
        if (recordTimestamp > 0) {
            Instant stamped = Instant.ofEpochMilli(recordTimestamp);
            if (received == null || Duration.between(received, stamped).abs().compareTo(RECEIVE_SKEW) > 0) {
                received = stamped;
            }
        }
        Instant occurred = millis(event.occurredAt());
        if (received != null && occurred != null
                && (occurred.isAfter(received.plus(MAX_CLOCK_AHEAD)) || occurred.isBefore(received.minus(MAX_LATENESS)))) {
            Values.ignored("occurredAt");
            occurred = received;
        }
        if (occurred == null) {
            occurred = received != null ? received : Instant.EPOCH;
        }
        if (received == null) {
            received = occurred;
        }
        ErrorInfo error = event.error() == null ? null : new ErrorInfo(cut(clean(event.error().code()), CODE_LIMIT),
                headAndTail(clean(event.error().message()), MESSAGE_LIMIT));
        return new BackupEvent(id(event.id()), event.source(), event.type(), event.outcome(), occurred, received, job,
                event.runId() == null ? null : id(event.runId()), measures(event.measures()), error,
                attributes(event.attributes()), null);
    }

    private static Instant millis(Instant instant) {
        return instant == null ? null : instant.truncatedTo(ChronoUnit.MILLIS);
    }

    private static Measures measures(Measures m) {
        Measures bounded = new Measures(positive(m.bytes()), positive(m.files()), positive(m.durationSeconds()),
                m.errorCount() == null || m.errorCount() >= 0 ? m.errorCount() : null,
                positive(m.quotaUsedBytes()), positive(m.quotaTotalBytes()));
        if (!bounded.equals(m)) {
            Values.ignored("measures");
        }
        return bounded;
    }

    private static Long positive(Long value) {
        return value == null || value >= 0 ? value : null;
    }

    private static Map<String, String> attributes(Map<String, String> attributes) {
        if (attributes.isEmpty()) {
            return attributes;
        }
        Map<String, String> kept = new TreeMap<>();
        for (String key : READ_BY_RULES) {
            String value = attributes.get(key);
            if (value != null) {
                kept.put(key, cut(clean(value), VALUE_LIMIT));
            }
        }
        for (Map.Entry<String, String> entry : new TreeMap<>(attributes).entrySet()) {
            if (kept.size() >= MAX_ATTRIBUTES) {
                break;
            }
            if (entry.getKey().length() <= KEY_LIMIT && entry.getValue() != null) {
                // a name becomes an alert's detail, kept in the state: as well formed as the values
                kept.putIfAbsent(clean(entry.getKey()), cut(clean(entry.getValue()), VALUE_LIMIT));
            }
        }
        if (kept.size() < attributes.size()) {
            Values.ignored("attributes");
        }
        return kept;
    }

    /** {@code text} without control characters other than tab and line breaks (a NUL never reaches a person). */
    static String clean(String text) {
        if (text == null) {
            return null;
        }
        text = dev.vigil.model.Text.wellFormed(text);
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (Character.isISOControl(c) && c != '\n' && c != '\r' && c != '\t') {
                StringBuilder out = new StringBuilder(text.length());
                text.chars().filter(ch -> !Character.isISOControl(ch) || ch == '\n' || ch == '\r' || ch == '\t')
                        .forEach(ch -> out.append((char) ch));
                return out.toString();
            }
        }
        return text;
    }

    /** {@code text} cut to {@code limit} characters, ending in "…" when cut. */
    public static String cut(String text, int limit) {
        if (text == null || text.length() <= limit) {
            return text;
        }
        int end = limit - 1;
        if (Character.isHighSurrogate(text.charAt(end - 1))) {
            end--;
        }
        return text.substring(0, end) + "…";
    }

    /** Head and tail of a long text around a marker that says how much was left out (the error is often last). */
    public static String headAndTail(String text, int limit) {
        if (text == null || text.length() <= limit) {
            return text;
        }
        int head = limit * 2 / 3;
        if (Character.isHighSurrogate(text.charAt(head - 1))) {
            head--;
        }
        int start = text.length() - (limit - head - 40);
        if (Character.isLowSurrogate(text.charAt(start))) {
            start++;
        }
        return text.substring(0, head) + "\n[… " + (start - head) + " characters left out …]\n" + text.substring(start);
    }

    private static String id(String id) {
        if (id.length() <= ID_LIMIT) {
            return dev.vigil.model.Text.wellFormed(id); // kept in the state, compared with the next event's
        }
        try {
            byte[] hash = MessageDigest.getInstance("SHA-256").digest(id.getBytes(StandardCharsets.UTF_8));
            return "sha256:" + HexFormat.of().formatHex(hash);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every JVM", e);
        }
    }
}
