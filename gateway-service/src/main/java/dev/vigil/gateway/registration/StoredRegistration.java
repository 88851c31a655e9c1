package dev.vigil.gateway.registration;

import dev.vigil.model.Source;
import java.time.Instant;
import java.time.ZoneId;
import java.util.List;

/**
 * A registration made through the API, as it is kept on the compacted {@code backup.registrations} (key: its id).
 * Its tokens are kept as SHA-256 hashes only: the clear token is answered once, when it is made, and never stored.
 *
 * @param tokens    the hashes of the tokens that authenticate it; after a rotation the old one with {@code notAfter}
 * @param pingKey   for {@code healthchecks}: the token is a project ping key, used as {@code /ping/<key>/<slug>}, and
 *                  the slug is the job
 * @param autoProvision for a ping key: {@code ?create=1} adds an unknown slug as a new check (healthchecks' option)
 * @param slugs     for a ping key: the checks (slugs) it has; those made by {@code ?create=1} are separate records
 * @param revision  1 when created, +1 per change; the API's {@code ETag}
 * @param revokedAt when it was revoked: it authenticates nothing any more, and its id and tokens are never given to
 *                  another registration (a revoked token a backup host still sends cannot be claimed by another
 *                  tenant); {@code null} while it is in force
 */
public record StoredRegistration(String id, Source source, String tenant, String account, String job, String reply,
                                 String zone, double rateLimit, String schedule, boolean pingKey,
                                 boolean autoProvision, List<String> slugs, List<TokenHash> tokens, long revision,
                                 Instant createdAt, Instant changedAt, String changedBy, Instant revokedAt) {

    public StoredRegistration {
        slugs = slugs == null ? List.of() : List.copyOf(slugs);
        tokens = tokens == null ? List.of() : List.copyOf(tokens);
    }

    /**
     * One token's SHA-256 (lowercase hex) and, for a token replaced by a rotation, the end of its grace period.
     */
    public record TokenHash(String sha256, Instant notAfter) {

        boolean validAt(Instant now) {
            return notAfter == null || now.isBefore(notAfter);
        }
    }

    /** As the hook controllers use it: a {@link Registration} without a clear token. */
    Registration registration() {
        ZoneId zoneId;
        try {
            zoneId = zone == null ? ZoneId.of("UTC") : ZoneId.of(zone);
        } catch (java.time.DateTimeException e) {
            zoneId = ZoneId.of("UTC");
        }
        return new Registration(id, null, source, tenant, account, job, reply == null ? "OK" : reply, zoneId,
                rateLimit, schedule);
    }
}
