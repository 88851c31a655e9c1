package dev.vigil.model;

/**
 * Canonical event types. Every source maps its own vocabulary onto these, so the rules never need to know
 * which product sent an event.
 */
public enum EventType {
    /** A backup run (script, job, VM list, stoney prefix) started. */
    BACKUP_STARTED,
    /** A backup run ended; {@link Outcome} says how. */
    BACKUP_FINISHED,
    /** One source (volume, client) of a run started. */
    SOURCE_STARTED,
    /** One source (volume, client) of a run ended. */
    SOURCE_FINISHED,
    /** A fatal error interrupted a run. */
    FATAL_ERROR,
    /** The backup software itself started or stopped. */
    APP_STARTED,
    APP_STOPPED,
    SERVER_STARTED,
    SERVER_STOPPED,
    /** The backup software found something unusual (Retrospect AnomalyAlert). */
    ANOMALY,
    MEDIA_REQUEST,
    MEDIA_REQUEST_TIMED_OUT,
    /** A scheduled run will not be able to run (Retrospect ScriptCheckFailed). */
    SCRIPT_CHECK_FAILED,
    /** The next expected run of a job (Retrospect NextExec). */
    NEXT_EXECUTION,
    /** A run was cut off by its schedule window. */
    SCHEDULED_STOP,
    /** A password / login attempt; failed when the outcome is FAILED. */
    LOGIN,
    /** The job's schedule was declared or changed (stoney scheduler.xml). */
    SCHEDULE_DECLARED,
    /** A storage quota report. */
    QUOTA_REPORTED,
    /** A log message without a change of state. */
    LOG,
    /** An event Vigil does not know; kept with its raw input. */
    UNKNOWN,
    /**
     * Vigil's own ingest heartbeat, written by the gateway to every partition of {@code backup.events} every few
     * seconds. It says "everything before me in this partition has been written": the rules decide missed runs
     * against it, never against a clock alone. Subscribers skip it.
     */
    HEARTBEAT
}
