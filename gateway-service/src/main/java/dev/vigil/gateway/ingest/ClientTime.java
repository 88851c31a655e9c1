package dev.vigil.gateway.ingest;

import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Optional;

/**
 * The time a client says its event happened, when it sends it apart from the source's own fields: the Retrospect
 * handler's {@code occurred}, a ping's {@code ts}. A held-back call (a spool, a retry after an outage of Vigil) is
 * then judged by when it happened, not when it arrived. Vigil's clock stays the judge of what is believable: a
 * time more than {@link #CLOCK_AHEAD} ahead of the receive time or more than {@link #LATENESS} behind it is not used.
 */
public final class ClientTime {

    public static final Duration CLOCK_AHEAD = Duration.ofMinutes(5);
    public static final Duration LATENESS = Duration.ofDays(30);

    private ClientTime() {
    }

    /** What a client's time value says. */
    public interface Reading {
    }

    /** No value was sent. */
    public record Absent() implements Reading {
    }

    /** A believable time. */
    public record Used(Instant at) implements Reading {
    }

    /** A readable time outside what Vigil believes; the receive time stands. */
    public record Ignored(String value) implements Reading {
    }

    /** Not Unix seconds and not RFC 3339. */
    public record Unreadable(String value) implements Reading {
    }

    /**
     * Reads Unix seconds (with an optional fraction, e.g. {@code 1764460800.25}) or an RFC 3339 instant.
     *
     * @param receivedAt the gateway's receive time
     */
    public static Reading read(String value, Instant receivedAt) {
        if (value == null || value.isBlank()) {
            return new Absent();
        }
        String text = value.strip();
        Optional<Instant> at = parse(text);
        if (at.isEmpty()) {
            return new Unreadable(text.length() > 40 ? text.substring(0, 40) : text);
        }
        if (at.get().isAfter(receivedAt.plus(CLOCK_AHEAD)) || at.get().isBefore(receivedAt.minus(LATENESS))) {
            return new Ignored(text);
        }
        return new Used(at.get());
    }

    private static Optional<Instant> parse(String text) {
        if (text.matches("[0-9]{1,12}(\\.[0-9]{1,9})?")) {
            String[] parts = text.split("\\.");
            long nanos = parts.length == 2 ? Long.parseLong((parts[1] + "000000000").substring(0, 9)) : 0;
            return Optional.of(Instant.ofEpochSecond(Long.parseLong(parts[0]), nanos));
        }
        try {
            return Optional.of(java.time.OffsetDateTime.parse(text).toInstant());
        } catch (DateTimeParseException e) {
            return Optional.empty();
        }
    }
}
