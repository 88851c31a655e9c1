package dev.vigil.model;

/** Names of the rules that raise alerts, and the stoney notification check each one belongs to. */
public final class Rules {

    public static final String FAILED_BACKUP = "failed-backup";
    public static final String MISSED_SCHEDULE = "missed-schedule";
    public static final String QUOTA = "quota";
    public static final String ANOMALY = "anomaly";
    public static final String CLIENT_TOO_OLD = "client-too-old";
    public static final String NEVER_USED = "never-used";

    private Rules() {
    }

    /**
     * The value of the reseller's {@code sstNotificationWarning} that subscribes to this rule's alerts:
     * {@code quota}, {@code schedule}, {@code unsuccessful}, {@code upgrade} or {@code nobackup}.
     */
    public static String checkOf(String rule) {
        return switch (rule) {
            case QUOTA -> "quota";
            case MISSED_SCHEDULE -> "schedule";
            case CLIENT_TOO_OLD -> "upgrade";
            case NEVER_USED -> "nobackup";
            default -> "unsuccessful";
        };
    }
}
