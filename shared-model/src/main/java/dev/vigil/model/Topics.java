package dev.vigil.model;

/** Topic names, declared once. Partitions and replication are configuration. */
public final class Topics {

    /** {@link BackupEvent} keyed by job key. Written by the gateway. */
    public static final String EVENTS = "backup.events";
    /** {@link RejectedInput} keyed by source. Written by the gateway. */
    public static final String REJECTED = "backup.rejected";
    /** Account settings keyed by account uid; compacted. Written by the directory sync. */
    public static final String ACCOUNTS = "backup.accounts";
    /** The first event time of an account (epoch millis), keyed by account uid. Internal to the rules service. */
    public static final String ACCOUNT_ACTIVITY = "backup.account-activity";
    /** {@link Alert} keyed by fingerprint. Written by the rules service. */
    public static final String ALERTS = "backup.alerts";
    /** Silences keyed by id; compacted. Written by the notifier API. */
    public static final String SILENCES = "backup.silences";
    /** Delivery requests keyed by delivery id. Written and read by the notifier. */
    public static final String NOTIFICATIONS = "backup.notifications";
    /** Alerts waiting in a notification group, and the group's sent batches, keyed by group. Internal to the notifier. */
    public static final String NOTIFICATION_GROUPS = "backup.notification-groups";
    /** {@link DeliveryRecord} keyed by delivery id. Written by the notifier. */
    public static final String DELIVERIES = "backup.deliveries";

    /**
     * The registrations created through the gateway's API, keyed by registration id (and {@code <id>/slug/<slug>} for
     * a ping key's checks); compacted, a tombstone revokes. Tokens are kept as SHA-256 hashes only. Internal to the
     * gateway.
     */
    public static final String REGISTRATIONS = "backup.registrations";
    /** {@link Change}: who changed what (registrations, silences), keyed by the changed object's id. */
    public static final String CHANGES = "backup.changes";

    /** Suffix of a topic's dead-letter topic. */
    public static final String DEAD_LETTER_SUFFIX = ".dlt";

    private Topics() {
    }
}
