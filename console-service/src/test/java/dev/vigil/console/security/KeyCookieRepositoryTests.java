package dev.vigil.console.security;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.security.ApiKeyIntrospector;
import dev.vigil.security.ApiKeyProperties;
import jakarta.servlet.http.Cookie;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.springframework.mock.web.MockHttpServletRequest;
import org.springframework.mock.web.MockHttpServletResponse;

/** The sign-in cookie: it authenticates its key only while valid, and nothing forged, stale or revoked passes. */
class KeyCookieRepositoryTests {

    static final String KEY = "tenant-a-read-key-000001";
    static final Instant NOW = Instant.parse("2026-11-30T08:00:00Z");

    static ApiKeyIntrospector keys(String... known) {
        return new ApiKeyIntrospector(new ApiKeyProperties(java.util.Arrays.stream(known)
                .map(k -> new ApiKeyProperties.Key("id-" + k.length(), ApiKeyIntrospector.sha256Hex(k), "a",
                        ApiKeyProperties.Access.READ)).toList()));
    }

    static KeyCookieRepository repository(String secret, ApiKeyIntrospector keys, Instant now) {
        return new KeyCookieRepository(secret, keys, Duration.ofHours(12), Clock.fixed(now, ZoneOffset.UTC));
    }

    static Cookie signIn(KeyCookieRepository repository) {
        MockHttpServletResponse response = new MockHttpServletResponse();
        repository.signIn(repository.authenticate(KEY).orElseThrow(), new MockHttpServletRequest(), response);
        return response.getCookie(KeyCookieRepository.COOKIE);
    }

    static MockHttpServletRequest with(Cookie cookie) {
        MockHttpServletRequest request = new MockHttpServletRequest();
        request.setCookies(cookie);
        return request;
    }

    @Test
    void theCookieSignsInItsKeyAndNeverHoldsItReadable() {
        KeyCookieRepository repository = repository("secret-1", keys(KEY), NOW);
        Cookie cookie = signIn(repository);

        assertThat(cookie.isHttpOnly()).isTrue();
        assertThat(cookie.getAttribute("SameSite")).isEqualTo("Lax");
        assertThat(cookie.getValue()).doesNotContain(KEY).doesNotContain("tenant");
        var context = repository.loadDeferredContext(with(cookie)).get();
        assertThat(context.getAuthentication()).isNotNull();
        assertThat(dev.vigil.security.ApiCaller.tenant(context.getAuthentication())).isEqualTo("a");
    }

    @Test
    void anotherReplicaWithTheSameSecretReadsItAndOneWithAnotherSecretDoesNot() {
        Cookie cookie = signIn(repository("shared", keys(KEY), NOW));
        assertThat(repository("shared", keys(KEY), NOW).containsContext(with(cookie))).isTrue();
        assertThat(repository("other", keys(KEY), NOW).containsContext(with(cookie))).isFalse();
        assertThat(repository(null, keys(KEY), NOW).containsContext(with(cookie))).isFalse();
    }

    @Test
    void aChangedExpiredOrRevokedCookieSignsNobodyIn() {
        KeyCookieRepository repository = repository("secret-1", keys(KEY), NOW);
        Cookie cookie = signIn(repository);
        char[] value = cookie.getValue().toCharArray();
        value[value.length / 2] = value[value.length / 2] == 'a' ? 'b' : 'a';

        assertThat(repository.loadDeferredContext(with(new Cookie(KeyCookieRepository.COOKIE, new String(value))))
                .get().getAuthentication()).isNull();
        assertThat(repository("secret-1", keys(KEY), NOW.plus(Duration.ofHours(13)))
                .loadDeferredContext(with(cookie)).get().getAuthentication()).isNull();
        assertThat(repository("secret-1", keys("another-key-0000000000001"), NOW)
                .loadDeferredContext(with(cookie)).get().getAuthentication()).isNull();
        for (String junk : List.of("", "zz", "%00", "a".repeat(5000), "00".repeat(40))) {
            assertThat(repository.loadDeferredContext(with(new Cookie(KeyCookieRepository.COOKIE, junk)))
                    .get().getAuthentication()).as(junk).isNull();
        }
    }

    @Test
    void unknownEmptyOrHugeKeysDoNotAuthenticate() {
        KeyCookieRepository repository = repository("secret-1", keys(KEY), NOW);
        assertThat(repository.authenticate("nope")).isEmpty();
        assertThat(repository.authenticate("")).isEmpty();
        assertThat(repository.authenticate(null)).isEmpty();
        assertThat(repository.authenticate(KEY + "x".repeat(600))).isEmpty();
        assertThat(repository.authenticate(" " + KEY + " ")).isPresent();
    }
}
