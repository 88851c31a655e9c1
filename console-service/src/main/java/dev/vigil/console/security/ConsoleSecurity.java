package dev.vigil.console.security;

import dev.vigil.console.ConsoleProperties;
import dev.vigil.security.ApiKeyIntrospector;
import java.time.Clock;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.annotation.Order;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.config.http.SessionCreationPolicy;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.security.web.csrf.CookieCsrfTokenRepository;
import org.springframework.security.web.header.writers.ReferrerPolicyHeaderWriter;

/**
 * The console's pages behind a sign-in with a tenant API key ({@link KeyCookieRepository}); the badges, the sign-in
 * page and the static files open. No server session: the sign-in and the CSRF token (RFC-less double submit, Spring
 * Security's {@link CookieCsrfTokenRepository}) live in cookies, so replicas need nothing but the shared secret.
 * A strict Content-Security-Policy allows only the console's own scripts and styles: nothing comes from a CDN.
 */
@Configuration
public class ConsoleSecurity {

    @Bean
    KeyCookieRepository keyCookieRepository(ConsoleProperties properties, ApiKeyIntrospector keys) {
        return new KeyCookieRepository(properties.sessionSecret(), keys, properties.sessionTtl(), Clock.systemUTC());
    }

    @Bean
    @Order(10)
    SecurityFilterChain console(HttpSecurity http, KeyCookieRepository signIns) throws Exception {
        http.securityMatcher("/**")
                .securityContext(context -> context.securityContextRepository(signIns))
                .sessionManagement(session -> session.sessionCreationPolicy(SessionCreationPolicy.STATELESS))
                .csrf(csrf -> csrf.csrfTokenRepository(new CookieCsrfTokenRepository()))
                .authorizeHttpRequests(requests -> requests
                        .requestMatchers("/login", "/badge/**", "/webjars/**", "/css/**", "/js/**", "/favicon.svg",
                                "/error").permitAll()
                        // health and Prometheus, on the management port only (9084), open to probes and scrapers
                        // as in every service
                        .requestMatchers("/actuator/**").permitAll()
                        .anyRequest().authenticated())
                .exceptionHandling(exceptions -> exceptions
                        .authenticationEntryPoint((request, response, denied) -> {
                            String next = request.getRequestURI()
                                    + (request.getQueryString() == null ? "" : "?" + request.getQueryString());
                            response.sendRedirect(request.getContextPath() + "/login?next="
                                    + java.net.URLEncoder.encode(next, java.nio.charset.StandardCharsets.UTF_8));
                        }))
                .requestCache(cache -> cache.disable())
                .headers(headers -> headers
                        .contentSecurityPolicy(csp -> csp.policyDirectives("default-src 'self'; img-src 'self' data:; "
                                + "style-src 'self'; script-src 'self'; object-src 'none'; frame-ancestors 'none'; "
                                + "base-uri 'self'; form-action 'self'"))
                        .referrerPolicy(referrer -> referrer.policy(ReferrerPolicyHeaderWriter.ReferrerPolicy.SAME_ORIGIN)));
        return http.build();
    }
}
