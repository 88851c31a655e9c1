package dev.vigil.model;

/** Names of the rules that raise alerts, and the stoney notification check each one belongs to. */
public final class Rules {

    public static final String FAILED_BACKUP = "failed-backup";
    public static final String MISSED_SCHEDULE = "missed-schedule";
    public static final String QUOTA = "quota";
    public static final String ANOMALY = "anomaly";
    public static final String CLIENT_TOO_OLD = "client-too-old";
    public static final String NEVER_USED = "never-used";
    public static final String QUOTA_FORECAST = "quota-forecast";
    public static final String SCRIPT_CHECK = "script-check";
    public static final String SCHEDULE_CUT = "schedule-cut";
    public static final String LOGIN = "login";

    private Rules() {
    }

    /**
     * The value of the reseller's {@code sstNotificationWarning} that subscribes to this rule's alerts:
     * {@code quota}, {@code schedule}, {@code unsuccessful}, {@code upgrade} or {@code nobackup}.
     */
    public static String checkOf(String rule) {
        return switch (rule) {
            case QUOTA, QUOTA_FORECAST -> "quota";
            case MISSED_SCHEDULE, SCRIPT_CHECK, SCHEDULE_CUT -> "schedule";
            case CLIENT_TOO_OLD -> "upgrade";
            case NEVER_USED -> "nobackup";
            default -> "unsuccessful";
        };
    }
}
