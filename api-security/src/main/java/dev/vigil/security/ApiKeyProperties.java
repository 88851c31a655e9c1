package dev.vigil.security;

import java.util.List;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * The API keys of a service's HTTP API ({@code /api/**}), stored hashed: a key is presented as
 * {@code Authorization: Bearer <key>}, and only its SHA-256 is configured ({@code printf %s "$KEY" | sha256sum}).
 *
 * @param keys every key the service accepts
 */
@ConfigurationProperties("vigil.api")
public record ApiKeyProperties(@DefaultValue List<Key> keys) {

    /** What a key may do: read (GET) or read and write (create, change, expire). */
    public enum Access { READ, WRITE }

    /**
     * One API key.
     *
     * @param id     a name that is safe to log (never the key)
     * @param sha256 the SHA-256 of the key, 64 hex digits
     * @param tenant the tenant it acts for; {@value ApiCaller#OPERATOR} for an operator, who sees every tenant
     * @param access {@code read} or {@code write}
     */
    public record Key(String id, String sha256, String tenant, @DefaultValue("read") Access access) {
    }
}
