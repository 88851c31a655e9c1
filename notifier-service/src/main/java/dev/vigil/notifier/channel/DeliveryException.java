package dev.vigil.notifier.channel;

import java.time.Duration;

/**
 * A failed send, and whether trying again may help (Alertmanager's {@code (retry bool, err)}). A retryable failure
 * may say when to try again ({@code Retry-After}).
 */
public class DeliveryException extends Exception {

    private final boolean retryable;
    private final String reason;
    private final Duration retryAfter;

    private DeliveryException(boolean retryable, String reason, String message, Duration retryAfter, Throwable cause) {
        super(message, cause);
        this.retryable = retryable;
        this.reason = reason;
        this.retryAfter = retryAfter;
    }

    /** A failure that may pass: the server is down, busy or rate-limiting. */
    public static DeliveryException retryable(String reason, String message, Duration retryAfter, Throwable cause) {
        return new DeliveryException(true, reason, message, retryAfter, cause);
    }

    /** A failure that will not pass by itself: a refused address, a revoked webhook. */
    public static DeliveryException permanent(String reason, String message, Throwable cause) {
        return new DeliveryException(false, reason, message, null, cause);
    }

    public boolean retryable() {
        return retryable;
    }

    /** A short label for metrics and the audit record, e.g. {@code smtp-4xx}, {@code http-429}. */
    public String reason() {
        return reason;
    }

    /** When the target asked to be tried again; {@code null} when it did not say. */
    public Duration retryAfter() {
        return retryAfter;
    }
}
