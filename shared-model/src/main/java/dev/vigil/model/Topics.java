package dev.vigil.model;

/**
 * The topics of the shared contract ({@code contracts/asyncapi.yaml}), declared once. Partitions and replication are
 * configuration; topics private to a service are {@code dev.vigil.kafka.InternalTopics}.
 */
public final class Topics {

    /** {@link BackupEvent} keyed by job key. Written by the gateway. */
    public static final String EVENTS = "backup.events";
    /** {@link RejectedInput} keyed by source. Written by the gateway. */
    public static final String REJECTED = "backup.rejected";
    /** Account settings keyed by account uid; compacted. Written by the directory sync. */
    public static final String ACCOUNTS = "backup.accounts";
    /** {@link Alert} keyed by fingerprint. Written by the rules service. */
    public static final String ALERTS = "backup.alerts";
    /** Silences keyed by id; compacted. Written by the notifier API. */
    public static final String SILENCES = "backup.silences";
    /** {@link DeliveryRecord} keyed by delivery id. Written by the notifier. */
    public static final String DELIVERIES = "backup.deliveries";
    /** {@link Change}: who changed what (registrations, silences), keyed by the changed object's id. */
    public static final String CHANGES = "backup.changes";

    /** Suffix of a topic's dead-letter topic. */
    public static final String DEAD_LETTER_SUFFIX = ".dlt";

    private Topics() {
    }
}
