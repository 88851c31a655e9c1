package dev.vigil.kafka;

/**
 * Topics private to one service: their names and records may change with it, so they are not part of the shared
 * model other teams build on ({@link dev.vigil.model.Topics} and {@code contracts/asyncapi.yaml}).
 */
public final class InternalTopics {

    /** The first event time of an account (epoch millis), keyed by account uid; compacted. The rules service's. */
    public static final String ACCOUNT_ACTIVITY = "backup.account-activity";
    /** Delivery requests keyed by channel and target (all requests to one target on one partition). The notifier's. */
    public static final String NOTIFICATIONS = "backup.notifications";
    /**
     * The latest transition of every alert (FIRING or RESOLVED), keyed by fingerprint; compacted, so an alert that
     * fires for longer than {@code backup.alerts} keeps its records is still known after a restart. The notifier's.
     */
    public static final String ALERT_STATES = "backup.alert-states";
    /** Alerts waiting in a notification group, and the group's sent batches, keyed by group. The notifier's. */
    public static final String NOTIFICATION_GROUPS = "backup.notification-groups";
    /**
     * A receiver's part of an alert that waits for the directory (its recipients could not be looked up), keyed by the
     * alert's fingerprint, so the other receivers and the alerts behind it are not held. The notifier's.
     */
    public static final String DIRECTORY_WAIT = "backup.notifications.directory-wait";
    /**
     * The registrations made through the gateway's API, keyed by registration id (and {@code <id>/slug/<slug>} for a
     * ping key's checks); compacted, a tombstone revokes. Tokens as SHA-256 hashes only. The gateway's.
     */
    public static final String REGISTRATIONS = "backup.registrations";

    private InternalTopics() {
    }
}
