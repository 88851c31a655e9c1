package dev.vigil.gateway.registration;

import dev.vigil.gateway.GatewayProperties;
import dev.vigil.gateway.ingest.HookRejectedException;
import dev.vigil.model.Source;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Component;

/**
 * Finds the registration of a presented token: among the seed registrations of the configuration
 * ({@code vigil.gateway.registrations}, tokens in clear) and those made through the API ({@link RegistrationLog},
 * tokens as SHA-256 only). Tokens are looked up by their SHA-256 and then compared in constant time, so neither the
 * map nor the comparison tells an attacker how much of a guess was right. A token replaced by a rotation
 * authenticates until the end of its grace period; a revoked registration's tokens at once.
 */
@Component
public class Registrations {

    /** healthchecks' default check limit of a paid project; a ping key makes no more checks by {@code ?create=1}. */
    static final int MAX_CHECKS_PER_PING_KEY = 1_000;
    private final Map<String, Registration> byTokenHash = new HashMap<>();
    private final Map<String, Registration> seedsById = new HashMap<>();
    private final RegistrationLog log;
    private final RateLimiter rateLimiter = new RateLimiter();

    public Registrations(GatewayProperties properties, RegistrationLog log) {
        this.log = log;
        for (Registration registration : properties.registrations()) {
            registration.validate();
            if (byTokenHash.put(hash(registration.token()), registration) != null) {
                throw new IllegalStateException("two registrations share a token; the second is " + registration);
            }
            if (seedsById.put(registration.id(), registration) != null) {
                throw new IllegalStateException("two registrations share the id " + registration.id());
            }
        }
    }

    /** The registration of {@code token} if it belongs to {@code source}; empty for a missing or wrong token. */
    public Optional<Registration> authenticate(Source source, String token) {
        return find(source, token);
    }

    /** A healthchecks project ping key: a registration made with {@code pingKey}, whose checks are its slugs. */
    public record PingKey(StoredRegistration stored) {

        public String id() {
            return stored.id();
        }

        /** The registration the pings of its checks are made for (the job is each check's slug). */
        public Registration registration() {
            return stored.registration();
        }
    }

    /**
     * As {@link #authenticate}, for a healthchecks ping key ({@code /ping/<key>/<slug>}): only registrations made
     * with {@code pingKey} match.
     */
    public Optional<PingKey> pingKey(String token) {
        if (token == null || token.isEmpty() || token.length() > 256) {
            return Optional.empty();
        }
        String hash = hash(token);
        return log.byTokenHash(hash).filter(stored -> stored.pingKey() && stored.source() == Source.HEALTHCHECKS
                && validToken(stored, hash)).map(PingKey::new);
    }

    /** True when the ping key has the check {@code slug}. */
    public boolean hasSlug(PingKey key, String slug) {
        return log.hasSlug(key.stored(), slug);
    }

    /** True when {@code ?create=1} may add a check to the ping key: auto-provisioning on, under the checks' limit. */
    public boolean mayCreate(PingKey key) {
        java.util.Set<String> checks = new java.util.HashSet<>(key.stored().slugs());
        checks.addAll(log.createdSlugs(key.id()));
        return key.stored().autoProvision() && checks.size() < MAX_CHECKS_PER_PING_KEY;
    }

    /**
     * Adds the check {@code slug} to the ping key (healthchecks' auto-provisioning), on every gateway instance.
     *
     * @throws dev.vigil.gateway.ingest.IngestUnavailableException when Kafka did not take it in time
     */
    public void createSlug(PingKey key, String slug, java.time.Duration timeout) {
        boolean created;
        try {
            // decided alone (RegistrationLog#exclusively): calls at once on any instance never pass the limit together
            created = log.exclusively(timeout, () -> {
                if (log.createdSlugs(key.id()).contains(slug)) {
                    return false;
                }
                // the key as it is now: changed (slugs, autoProvision) or revoked since the call was authenticated
                StoredRegistration now = log.get(key.id()).orElse(null);
                if (now == null || !mayCreate(new PingKey(now))) {
                    throw new HookRejectedException(org.springframework.http.HttpStatus.NOT_FOUND, "healthchecks",
                            "not found: ping key " + key.id() + " has no check '" + slug + "' and may not make one (its"
                                    + " checks are at the limit of " + MAX_CHECKS_PER_PING_KEY + ")", null, "not found");
                }
                log.write(key.id() + RegistrationLog.SLUG_INFIX + slug,
                        new RegistrationLog.CreatedSlug(key.id(), slug, Instant.now()),
                        org.slf4j.MDC.get(dev.vigil.kafka.CloudEventRecords.TRACE_ID_MDC), timeout);
                return true;
            });
        } catch (IllegalStateException e) {
            throw new dev.vigil.gateway.ingest.IngestUnavailableException("the check could not be created: "
                    + e.getMessage(), e);
        }
        if (!created) {
            return; // another call made it meanwhile
        }
        log.tell(dev.vigil.model.Change.now("gateway", key.stored().tenant(), "check", key.id() + "/" + slug,
                "created", Map.of("slug", slug, "by", "ping with ?create=1")));
    }

    private Optional<Registration> find(Source source, String token) {
        if (token == null || token.isEmpty() || token.length() > 256) {
            return Optional.empty();
        }
        String hash = hash(token);
        Registration candidate = byTokenHash.get(hash);
        if (candidate != null) {
            if (candidate.source() != source || !MessageDigest.isEqual(
                    candidate.token().getBytes(StandardCharsets.UTF_8), token.getBytes(StandardCharsets.UTF_8))) {
                return Optional.empty();
            }
            return Optional.of(candidate);
        }
        return log.byTokenHash(hash)
                .filter(stored -> stored.source() == source && !stored.pingKey() && validToken(stored, hash))
                .map(StoredRegistration::registration);
    }

    private static boolean validToken(StoredRegistration stored, String hash) {
        Instant now = Instant.now();
        boolean valid = false;
        for (StoredRegistration.TokenHash token : stored.tokens()) {
            // every hash is compared, in constant time, whatever matched before
            valid |= MessageDigest.isEqual(token.sha256().getBytes(StandardCharsets.US_ASCII),
                    hash.getBytes(StandardCharsets.US_ASCII)) && token.validAt(now);
        }
        return valid;
    }

    /** The seed registration {@code id} of the configuration, if there is one. */
    public Optional<Registration> seed(String id) {
        return Optional.ofNullable(seedsById.get(id));
    }

    /** Every seed registration of the configuration. */
    public java.util.Collection<Registration> seeds() {
        return java.util.Collections.unmodifiableCollection(seedsById.values());
    }

    /**
     * True when {@code text} is a token of a registration made through the API, revoked ones included (for masking;
     * seed tokens are masked by their text). Hashes nothing while there is no such registration: masking calls it
     * for every run of token characters of every published text.
     */
    public boolean isToken(String text) {
        if (text == null || text.length() < 16 || text.length() > 256 || !log.hasTokenHashes()) {
            return false;
        }
        String hash = hash(text);
        return byTokenHash.containsKey(hash) || log.isTokenHash(hash);
    }

    /** True when {@code token} is, or was, any registration's: a seed's or one made through the API, revoked too. */
    boolean isTaken(String token) {
        String hash = hash(token);
        return byTokenHash.containsKey(hash) || log.isTokenHash(hash);
    }

    /** The seed tokens in clear (for masking wherever they appear). */
    public java.util.List<String> seedTokens() {
        return seedsById.values().stream().map(Registration::token).toList();
    }

    /**
     * The registration of {@code token} for {@code source}, before anything of the call is read.
     *
     * @throws HookRejectedException 401 (an unauthenticated call: sampled, not all kept) for a missing or wrong token
     */
    public Registration authenticated(Source source, String token) {
        return authenticate(source, token).orElseThrow(() -> HookRejectedException.unauthorized(
                source.name().toLowerCase(java.util.Locale.ROOT)));
    }

    /**
     * Lets the call through within its registration's rate limit.
     *
     * @param raw the call's input, kept on {@code backup.rejected} when it is refused
     * @throws HookRejectedException 429 over the rate limit, with the seconds until a call is admitted again
     */
    public void admit(Registration registration, String raw) {
        admit(registration, null, raw);
    }

    /**
     * As {@link #admit(Registration, String)}, for one of the callers a registration stands for: a ping key's check (its
     * slug), or an account of a registration that acts for any ({@code account: *}, a stoney server's clients). Each
     * has a rate of its own, so one host's flood does not refuse another's call, and a fleet calling at the same
     * minute is not refused.
     *
     * @param caller the slug or account; {@code null} for the registration itself
     */
    public void admit(Registration registration, String caller, String raw) {
        long wait = rateLimiter.admit(registration, caller == null ? registration.id() : registration.id() + "/" + caller);
        if (wait > 0) {
            throw HookRejectedException.tooManyCalls(registration.source().name().toLowerCase(java.util.Locale.ROOT),
                    "More than " + registration.rateLimit() + " calls per second from " + registration.id() + ".", raw,
                    java.util.concurrent.TimeUnit.NANOSECONDS.toSeconds(wait + 999_999_999L));
        }
    }

    /** {@link #authenticated} then {@link #admit}, for a call whose input is already read (a query string). */
    public Registration require(Source source, String token, String raw) {
        Registration registration = authenticated(source, token);
        admit(registration, raw);
        return registration;
    }

    /** The token of a header-authenticated call: {@code Authorization: Bearer <token>} or {@code X-Vigil-Token}. */
    public static String bearer(String authorization, String vigilToken) {
        if (authorization != null && authorization.regionMatches(true, 0, "Bearer ", 0, 7)) {
            return authorization.substring(7).strip();
        }
        return vigilToken == null ? null : vigilToken.strip();
    }

    /** The SHA-256 of {@code token} in lowercase hex, as tokens are stored (the same digest as API keys'). */
    static String hash(String token) {
        return dev.vigil.security.ApiKeyIntrospector.sha256Hex(token);
    }
}
