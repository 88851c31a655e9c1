package dev.vigil.model;

import java.time.Instant;
import java.util.Map;
import java.util.Objects;

/**
 * Who changed what: one record on {@code backup.changes} per change made through an API, keyed by the changed
 * object's id. Never holds a secret: a token change says that it happened, not the token.
 *
 * @param id      unique id of this change (a UUID)
 * @param at      when Vigil made the change
 * @param actor   the API key id that made it ({@code gateway} for changes the gateway makes itself, such as a check
 *                created by a ping with {@code ?create=1})
 * @param tenant  the tenant of the changed object
 * @param kind    what was changed: {@code registration}, {@code silence}
 * @param subject the changed object's id
 * @param action  {@code created}, {@code changed}, {@code rotated}, {@code revoked}, {@code expired}
 * @param details the changed fields and their new values, as text (no secrets)
 */
public record Change(String id, Instant at, String actor, String tenant, String kind, String subject, String action,
                     Map<String, String> details) {

    /** The CloudEvents type of a change record. */
    public static final String CLOUD_EVENT_TYPE = "dev.vigil.change";

    public Change {
        Objects.requireNonNull(id, "id");
        details = details == null ? Map.of() : Map.copyOf(details);
    }

    /** A change made now, with a fresh id. */
    public static Change now(String actor, String tenant, String kind, String subject, String action,
                             Map<String, String> details) {
        return new Change(java.util.UUID.randomUUID().toString(), Instant.now(), actor, tenant, kind, subject, action,
                details);
    }
}
