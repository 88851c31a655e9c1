package dev.vigil.console.badge;

import dev.vigil.console.ConsoleProperties;
import dev.vigil.model.JobKey;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Optional;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.springframework.stereotype.Component;

/**
 * Unguessable badge URLs, healthchecks-style: {@code /badge/<signature>/<subject>.svg} (or {@code .json}), where the
 * subject names a job or an account (base64url of {@code job\n<tenant/account/job>} or
 * {@code account\n<tenant/account>}) and the signature is the first 128 bits of its HMAC-SHA256 with the console's
 * secret, in hex. Only the console can make one; a URL says nothing about any other job.
 */
@Component
public class Badges {

    /** What a badge is about: one job, or every job of one account. */
    public record Subject(String kind, String tenant, String account, String job) {
    }

    private final byte[] secret;

    public Badges(ConsoleProperties properties) {
        String configured = properties.sessionSecret();
        byte[] key = new byte[32];
        if (configured == null || configured.isBlank()) {
            new java.security.SecureRandom().nextBytes(key);
        } else {
            key = sha256("vigil-console-badges\n" + configured);
        }
        this.secret = key;
    }

    /** The path of a job's badge, without its extension. */
    public String forJob(JobKey job) {
        return path("job\n" + job.asString());
    }

    /** The path of an account's badge (its worst job), without its extension. */
    public String forAccount(String tenant, String account) {
        return path("account\n" + tenant + "/" + account);
    }

    /** The subject of a badge path's two parts, or empty when the signature does not hold. */
    public Optional<Subject> read(String signature, String subject) {
        byte[] expected = HexFormat.of().parseHex(sign(subject));
        byte[] given;
        try {
            given = HexFormat.of().parseHex(signature);
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
        if (!MessageDigest.isEqual(expected, given)) {
            return Optional.empty();
        }
        String text;
        try {
            text = new String(Base64.getUrlDecoder().decode(subject), StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
        String[] parts = text.split("\n", 2);
        if (parts.length < 2) {
            return Optional.empty();
        }
        String[] key = parts[1].split("/", 3);
        return switch (parts[0]) {
            case "job" -> key.length == 3 ? Optional.of(new Subject("job", key[0], key[1], key[2])) : Optional.empty();
            case "account" -> key.length >= 2 ? Optional.of(new Subject("account", key[0], key[1], null)) : Optional.empty();
            default -> Optional.empty();
        };
    }

    private String path(String subject) {
        String encoded = Base64.getUrlEncoder().withoutPadding().encodeToString(subject.getBytes(StandardCharsets.UTF_8));
        return "/badge/" + sign(encoded) + "/" + encoded;
    }

    private String sign(String subject) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(secret, "HmacSHA256"));
            return HexFormat.of().formatHex(mac.doFinal(subject.getBytes(StandardCharsets.UTF_8)), 0, 16);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is part of every JVM", e);
        }
    }

    private static byte[] sha256(String text) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("SHA-256 is part of every JVM", e);
        }
    }
}
