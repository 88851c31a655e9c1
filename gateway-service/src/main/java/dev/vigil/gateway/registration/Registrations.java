package dev.vigil.gateway.registration;

import dev.vigil.gateway.GatewayProperties;
import dev.vigil.model.Source;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import org.springframework.stereotype.Component;

/**
 * Finds the registration of a presented token. Tokens are looked up by their SHA-256 and then compared in
 * constant time, so neither the map nor the comparison tells an attacker how much of a guess was right.
 */
@Component
public class Registrations {

    private final Map<String, Registration> byTokenHash = new HashMap<>();

    public Registrations(GatewayProperties properties) {
        for (Registration registration : properties.registrations()) {
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

    private static String hash(String token) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(token.getBytes(StandardCharsets.UTF_8));
            return java.util.HexFormat.of().formatHex(digest);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
