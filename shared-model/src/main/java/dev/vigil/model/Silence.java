package dev.vigil.model;

import java.time.Instant;
import java.util.Map;
import java.util.Objects;

/**
 * A silence or maintenance window: while it is active, FIRING notifications of the alerts its matchers select are
 * held back (and recorded as suppressed); RESOLVED notices always go out. Value of the compacted
 * {@code backup.silences}, keyed by id; a silence that starts in the future is a maintenance window.
 *
 * @param matchers alert labels (tenant, account, job, rule, severity, source, check), exact or {@code ~regex}
 */
public record Silence(String id, Map<String, String> matchers, Instant startsAt, Instant endsAt, String author,
                      String comment, Instant createdAt) {

    public Silence {
        Objects.requireNonNull(id, "id");
        matchers = matchers == null ? Map.of() : Map.copyOf(matchers);
    }

    public boolean activeAt(Instant now) {
        return !now.isBefore(startsAt) && now.isBefore(endsAt);
    }
}
