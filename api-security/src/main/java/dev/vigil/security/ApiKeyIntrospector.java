package dev.vigil.security;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import org.springframework.security.core.GrantedAuthority;
import org.springframework.security.core.authority.SimpleGrantedAuthority;
import org.springframework.security.oauth2.core.DefaultOAuth2AuthenticatedPrincipal;
import org.springframework.security.oauth2.core.OAuth2AuthenticatedPrincipal;
import org.springframework.security.oauth2.server.resource.introspection.BadOpaqueTokenException;
import org.springframework.security.oauth2.server.resource.introspection.OpaqueTokenIntrospector;

/**
 * Spring Security's opaque bearer token, answered from the configured keys instead of an authorization server: the
 * presented key's SHA-256 is compared with every configured hash in constant time (no early exit, so neither the
 * answer's time nor a map lookup tells how close a guess was). A known key becomes a principal named by the key's
 * id, with the attributes {@code tenant} and {@code access} and the authorities {@code READ} (and {@code WRITE}).
 *
 * @throws BadOpaqueTokenException for an unknown key (answered 401)
 */
public class ApiKeyIntrospector implements OpaqueTokenIntrospector {

    private record Known(byte[] hash, ApiKeyProperties.Key key) {
    }

    private final List<Known> keys = new ArrayList<>();

    public ApiKeyIntrospector(ApiKeyProperties properties) {
        for (ApiKeyProperties.Key key : properties.keys()) {
            if (key.id() == null || key.tenant() == null || key.sha256() == null
                    || !key.sha256().strip().matches("[0-9a-fA-F]{64}")) {
                throw new IllegalStateException("vigil.api.keys: every key needs an id, a tenant and a sha256 of 64 hex"
                        + " digits; " + key.id() + " has not");
            }
            keys.add(new Known(HexFormat.of().parseHex(key.sha256().strip().toLowerCase()), key));
        }
    }

    @Override
    public OAuth2AuthenticatedPrincipal introspect(String token) {
        byte[] presented = sha256(token);
        ApiKeyProperties.Key match = null;
        for (Known known : keys) {
            if (MessageDigest.isEqual(presented, known.hash()) && match == null) {
                match = known.key();
            }
        }
        if (match == null) {
            throw new BadOpaqueTokenException("unknown API key");
        }
        List<GrantedAuthority> authorities = new ArrayList<>(List.of(new SimpleGrantedAuthority("READ")));
        if (match.access() == ApiKeyProperties.Access.WRITE) {
            authorities.add(new SimpleGrantedAuthority("WRITE"));
        }
        return new DefaultOAuth2AuthenticatedPrincipal(match.id(),
                Map.of(ApiCaller.TENANT, match.tenant(), "access", match.access().name()), authorities);
    }

    /** The SHA-256 of a key as {@code vigil.api.keys[n].sha256} holds it: 64 lowercase hex digits. */
    public static String sha256Hex(String key) {
        return HexFormat.of().formatHex(sha256(key));
    }

    static byte[] sha256(String text) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every JVM", e);
        }
    }
}
