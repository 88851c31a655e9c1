package dev.vigil.model;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.Map;
import java.util.Objects;

/**
 * A condition on one job, FIRING until RESOLVED. Value of {@code backup.alerts}, keyed by {@link #fingerprint()}.
 *
 * @param rule      the rule that decided, e.g. {@code failed-backup}; also names the stoney check through
 *                  {@link #check()}
 * @param summary   one line a person understands
 * @param startsAt  when the condition began; stays the same in the RESOLVED record
 * @param endsAt    when it was resolved; {@code null} while firing
 * @param eventId   the event that caused this transition, or {@code null} for wall-clock verdicts
 */
public record Alert(String fingerprint, String rule, Severity severity, AlertStatus status, JobKey job,
                    Source source, String summary, Map<String, String> details,
                    Instant startsAt, Instant endsAt, String eventId) {

    public Alert {
        Objects.requireNonNull(fingerprint, "fingerprint");
        Objects.requireNonNull(rule, "rule");
        Objects.requireNonNull(status, "status");
        Objects.requireNonNull(job, "job");
        details = details == null ? Map.of() : Map.copyOf(details);
    }

    /** Fingerprint of (rule, job): one alert per condition per job. */
    public static String fingerprint(String rule, JobKey job) {
        try {
            byte[] hash = MessageDigest.getInstance("SHA-256")
                    .digest((rule + "\n" + job.asString()).getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(hash, 0, 12);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every JVM", e);
        }
    }

    /** The RESOLVED twin of this firing alert. */
    public Alert resolve(Instant at, String summary, String eventId) {
        return new Alert(fingerprint, rule, severity, AlertStatus.RESOLVED, job, source, summary, details,
                startsAt, at, eventId);
    }

    /** How long the condition lasted; {@code null} while firing. */
    public Duration duration() {
        return endsAt == null || startsAt == null ? null : Duration.between(startsAt, endsAt);
    }

    /** The stoney notification check this rule belongs to (§3.2 of the source spec). */
    public String check() {
        return Rules.checkOf(rule);
    }
}
