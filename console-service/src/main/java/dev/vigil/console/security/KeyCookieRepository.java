package dev.vigil.console.security;

import dev.vigil.security.ApiKeyIntrospector;
import jakarta.servlet.http.Cookie;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.Optional;
import org.springframework.security.core.context.SecurityContext;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.security.crypto.encrypt.Encryptors;
import org.springframework.security.crypto.encrypt.TextEncryptor;
import org.springframework.security.oauth2.core.OAuth2AccessToken;
import org.springframework.security.oauth2.core.OAuth2AuthenticatedPrincipal;
import org.springframework.security.oauth2.server.resource.authentication.BearerTokenAuthentication;
import org.springframework.security.web.context.HttpRequestResponseHolder;
import org.springframework.security.web.context.SecurityContextRepository;

/**
 * The console's sign-in, kept by the browser and by no server: the person's API key, encrypted and authenticated
 * (AES-256-GCM, Spring Security Crypto's {@link Encryptors#delux}) with the console's secret, in an
 * {@code HttpOnly}, {@code SameSite=Lax} cookie (a link from a mail opens the page signed in) that expires. Every request decrypts it and checks the key
 * against the configured keys again ({@link ApiKeyIntrospector}), so a removed key signs out at once and any replica
 * that shares the secret answers the same person. The key itself goes with each API call the console makes for the
 * person; it never reaches a page, a log or a topic.
 */
public class KeyCookieRepository implements SecurityContextRepository {

    /** The cookie's name. */
    public static final String COOKIE = "vigil_console";

    private static final org.slf4j.Logger log = org.slf4j.LoggerFactory.getLogger(KeyCookieRepository.class);

    private final TextEncryptor encryptor;
    private final ApiKeyIntrospector keys;
    private final Duration ttl;
    private final Clock clock;

    public KeyCookieRepository(String secret, ApiKeyIntrospector keys, Duration ttl, Clock clock) {
        if (secret == null || secret.isBlank()) {
            byte[] random = new byte[32];
            new SecureRandom().nextBytes(random);
            secret = HexFormat.of().formatHex(random);
            log.warn("vigil.console.session-secret is not set: a random one is used, so sign-ins end at a restart and"
                    + " only this instance can read them. Give every replica the same secret.");
        }
        // The salt only has to differ between uses of one secret; the secret is what must stay private.
        this.encryptor = Encryptors.delux(secret, HexFormat.of().formatHex("vigil-console-sign-in".getBytes(StandardCharsets.UTF_8)));
        this.keys = keys;
        this.ttl = ttl;
        this.clock = clock;
    }

    /** The authentication of an API key, or empty when no configured key matches. */
    public Optional<BearerTokenAuthentication> authenticate(String apiKey) {
        if (apiKey == null || apiKey.isBlank() || apiKey.length() > 512) {
            return Optional.empty();
        }
        try {
            OAuth2AuthenticatedPrincipal principal = keys.introspect(apiKey.strip());
            OAuth2AccessToken token = new OAuth2AccessToken(OAuth2AccessToken.TokenType.BEARER, apiKey.strip(), null, null);
            return Optional.of(new BearerTokenAuthentication(principal, token, principal.getAuthorities()));
        } catch (RuntimeException unknown) {
            return Optional.empty();
        }
    }

    /** Signs the browser in: the key, encrypted with its expiry, in the cookie. */
    public void signIn(BearerTokenAuthentication authentication, HttpServletRequest request, HttpServletResponse response) {
        Instant expires = clock.instant().plus(ttl);
        String value = encryptor.encrypt(expires.getEpochSecond() + "\n" + authentication.getToken().getTokenValue());
        response.addCookie(cookie(value, (int) ttl.toSeconds(), request));
    }

    /** Signs the browser out: the cookie is cleared. */
    public void signOut(HttpServletRequest request, HttpServletResponse response) {
        response.addCookie(cookie("", 0, request));
    }

    @Override
    @SuppressWarnings("deprecation")
    public SecurityContext loadContext(HttpRequestResponseHolder holder) {
        return load(holder.getRequest());
    }

    @Override
    public org.springframework.security.core.context.DeferredSecurityContext loadDeferredContext(HttpServletRequest request) {
        return new org.springframework.security.core.context.DeferredSecurityContext() {
            private SecurityContext context;

            @Override
            public SecurityContext get() {
                if (context == null) {
                    context = load(request);
                }
                return context;
            }

            @Override
            public boolean isGenerated() {
                return get().getAuthentication() == null;
            }
        };
    }

    private SecurityContext load(HttpServletRequest request) {
        SecurityContext context = SecurityContextHolder.createEmptyContext();
        read(request).flatMap(this::authenticate).ifPresent(context::setAuthentication);
        return context;
    }

    private Optional<String> read(HttpServletRequest request) {
        if (request.getCookies() == null) {
            return Optional.empty();
        }
        for (Cookie cookie : request.getCookies()) {
            if (COOKIE.equals(cookie.getName()) && !cookie.getValue().isEmpty() && cookie.getValue().length() < 4096) {
                try {
                    String[] parts = encryptor.decrypt(cookie.getValue()).split("\n", 2);
                    if (parts.length == 2 && clock.instant().getEpochSecond() < Long.parseLong(parts[0])) {
                        return Optional.of(parts[1]);
                    }
                } catch (RuntimeException forgedOrOld) {
                    return Optional.empty();
                }
            }
        }
        return Optional.empty();
    }

    @Override
    public void saveContext(SecurityContext context, HttpServletRequest request, HttpServletResponse response) {
        // the cookie is written at sign-in only
    }

    @Override
    public boolean containsContext(HttpServletRequest request) {
        return read(request).isPresent();
    }

    private static Cookie cookie(String value, int maxAge, HttpServletRequest request) {
        Cookie cookie = new Cookie(COOKIE, value);
        cookie.setHttpOnly(true);
        cookie.setSecure(request.isSecure());
        cookie.setPath("/");
        cookie.setMaxAge(maxAge);
        cookie.setAttribute("SameSite", "Lax");
        return cookie;
    }
}
