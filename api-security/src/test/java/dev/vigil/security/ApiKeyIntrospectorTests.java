package dev.vigil.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.springframework.security.core.GrantedAuthority;
import org.springframework.security.oauth2.core.OAuth2AuthenticatedPrincipal;
import org.springframework.security.oauth2.server.resource.introspection.BadOpaqueTokenException;

/** Keys are known by their hash only; a key says its tenant and whether it may write. */
class ApiKeyIntrospectorTests {

    private final ApiKeyIntrospector introspector = new ApiKeyIntrospector(new ApiKeyProperties(List.of(
            new ApiKeyProperties.Key("acme-read", ApiKeyIntrospector.sha256Hex("acme-read-key-00000001"), "acme",
                    ApiKeyProperties.Access.READ),
            new ApiKeyProperties.Key("ops", ApiKeyIntrospector.sha256Hex("operator-key-000000001").toUpperCase(), "*",
                    ApiKeyProperties.Access.WRITE))));

    @Test
    void aKnownKeyIsItsTenantAndAccess() {
        OAuth2AuthenticatedPrincipal read = introspector.introspect("acme-read-key-00000001");
        assertThat(read.getName()).isEqualTo("acme-read");
        assertThat((String) read.getAttribute("tenant")).isEqualTo("acme");
        assertThat(read.getAuthorities()).extracting(GrantedAuthority::getAuthority).containsExactly("READ");
        OAuth2AuthenticatedPrincipal ops = introspector.introspect("operator-key-000000001");
        assertThat(ops.getAuthorities()).extracting(GrantedAuthority::getAuthority).containsExactly("READ", "WRITE");
    }

    @Test
    void anUnknownKeyIsRefused() {
        assertThatThrownBy(() -> introspector.introspect("acme-read-key-00000002")).isInstanceOf(BadOpaqueTokenException.class);
        assertThatThrownBy(() -> introspector.introspect("")).isInstanceOf(BadOpaqueTokenException.class);
    }

    @Test
    void aKeyWithoutAHashOfSixtyFourHexDigitsRefusesToStart() {
        assertThatThrownBy(() -> new ApiKeyIntrospector(new ApiKeyProperties(List.of(new ApiKeyProperties.Key("x",
                "plaintext-key", "acme", ApiKeyProperties.Access.READ))))).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("sha256");
    }
}
