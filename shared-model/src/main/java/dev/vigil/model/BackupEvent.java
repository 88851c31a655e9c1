package dev.vigil.model;

import java.time.Instant;
import java.util.Map;
import java.util.Objects;

/**
 * One call of a backup product, normalised. Value of {@code backup.events}, keyed by {@link JobKey#asString()}.
 *
 * @param id         stable id: deterministic where the source allows it (XSIBackup host+PID+outcome, stoney run
 *                   id, an idempotency key), so a retried hook is recognised downstream
 * @param runId      pairs the start and the end of one run where the source says so; may be {@code null}
 * @param occurredAt when it happened according to the source; the receive time when the source gives none
 * @param attributes free, source-specific facts (VM list, client version, schedule, malformed flag)
 * @param raw        the input as received, so the event can be parsed again later
 */
public record BackupEvent(String id, Source source, EventType type, Outcome outcome,
                          Instant occurredAt, Instant receivedAt, JobKey job, String runId,
                          Measures measures, ErrorInfo error, Map<String, String> attributes, String raw) {

    public BackupEvent {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(source, "source");
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(job, "job");
        outcome = outcome == null ? Outcome.NONE : outcome;
        measures = measures == null ? Measures.NONE : measures;
        attributes = attributes == null ? Map.of() : Map.copyOf(attributes);
    }

    /** The CloudEvents {@code type} attribute of this event, e.g. {@code dev.vigil.backup.backup_finished}. */
    public String cloudEventType() {
        return "dev.vigil.backup." + type.name().toLowerCase(java.util.Locale.ROOT);
    }
}
