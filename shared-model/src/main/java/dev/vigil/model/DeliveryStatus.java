package dev.vigil.model;

/** What happened to one notification for one channel and target. */
public enum DeliveryStatus {
    /** Handed over to the channel (SMTP accepted, webhook answered 2xx). */
    SENT,
    /** A transient failure; it will be tried again. */
    RETRYING,
    /** A permanent failure or retries exhausted; it went to the dead-letter topic. */
    FAILED,
    /** Deliberately not sent: silence, maintenance, dedup, rate limit or no recipient; the reason says which. */
    SUPPRESSED
}
