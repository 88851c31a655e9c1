package dev.vigil.gateway.registration;

import dev.vigil.gateway.GatewayProperties;
import dev.vigil.gateway.ingest.HookRejectedException;
import dev.vigil.model.Source;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Component;

/**
 * Finds the registration of a presented token. Tokens are looked up by their SHA-256 and then compared in
 * constant time, so neither the map nor the comparison tells an attacker how much of a guess was right.
 */
@Component
public class Registrations {

    private final Map<String, Registration> byTokenHash = new HashMap<>();
    private final RateLimiter rateLimiter = new RateLimiter();

    public Registrations(GatewayProperties properties) {
        for (Registration registration : properties.registrations()) {
            registration.validate();
            if (byTokenHash.put(hash(registration.token()), registration) != null) {
                throw new IllegalStateException("two registrations share a token; the second is " + registration);
            }
        }
    }

    /** The registration of {@code token} if it belongs to {@code source}; empty for a missing or wrong token. */
    public Optional<Registration> authenticate(Source source, String token) {
        if (token == null || token.isEmpty()) {
            return Optional.empty();
        }
        Registration candidate = byTokenHash.get(hash(token));
        if (candidate == null || candidate.source() != source || !MessageDigest.isEqual(
                candidate.token().getBytes(StandardCharsets.UTF_8), token.getBytes(StandardCharsets.UTF_8))) {
            return Optional.empty();
        }
        return Optional.of(candidate);
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
     * @throws HookRejectedException 429 over the rate limit
     */
    public void admit(Registration registration, String raw) {
        if (!rateLimiter.admit(registration)) {
            throw new HookRejectedException(HttpStatus.TOO_MANY_REQUESTS, registration.source().name()
                    .toLowerCase(java.util.Locale.ROOT), "More than " + registration.rateLimit() + " calls per second from "
                    + registration.id() + ".", raw);
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

    private static String hash(String token) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(token.getBytes(StandardCharsets.UTF_8));
            return java.util.HexFormat.of().formatHex(digest);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
