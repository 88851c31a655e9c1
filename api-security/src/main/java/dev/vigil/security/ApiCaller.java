package dev.vigil.security;

import org.springframework.security.core.Authentication;
import org.springframework.security.oauth2.core.OAuth2AuthenticatedPrincipal;

/**
 * Who called an API, as the controllers need it: the tenant the key acts for, or an operator who sees all.
 * A controller asks {@link #mayAct} before it shows or changes anything of a tenant, and filters lists by it.
 */
public final class ApiCaller {

    /** The tenant of an operator key: every tenant. */
    public static final String OPERATOR = "*";
    static final String TENANT = "tenant";

    private ApiCaller() {
    }

    /** The caller's tenant, {@value #OPERATOR} for an operator; {@code null} when nobody authenticated. */
    public static String tenant(Authentication authentication) {
        if (authentication == null || !(authentication.getPrincipal() instanceof OAuth2AuthenticatedPrincipal principal)) {
            return null;
        }
        Object tenant = principal.getAttribute(TENANT);
        return tenant == null ? null : tenant.toString();
    }

    public static boolean isOperator(Authentication authentication) {
        return OPERATOR.equals(tenant(authentication));
    }

    /** True when the caller may see or act on {@code tenant}'s jobs, alerts and silences. */
    public static boolean mayAct(Authentication authentication, String tenant) {
        String own = tenant(authentication);
        return OPERATOR.equals(own) || own != null && own.equals(tenant);
    }
}
