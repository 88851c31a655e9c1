package dev.vigil.security;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.http.HttpMethod;
import org.springframework.security.access.AccessDeniedException;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.config.annotation.web.configuration.EnableWebSecurity;
import org.springframework.security.config.annotation.web.configuration.WebSecurityCustomizer;
import org.springframework.security.config.http.SessionCreationPolicy;
import org.springframework.security.core.AuthenticationException;
import org.springframework.security.web.AuthenticationEntryPoint;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.security.web.access.AccessDeniedHandler;
import org.springframework.security.web.firewall.StrictHttpFirewall;

/**
 * Every HTTP API of a service ({@code /api/**}) behind tenant API keys, with Spring Security's bearer-token resource
 * server: {@code GET} needs a read key, anything else a write key; without a valid key the answer is 401, with a key
 * that may not do it 403, both as {@code application/problem+json} (RFC 9457). What a key of one tenant may see of
 * another is the controllers' part ({@link ApiCaller}). Nothing else of the service is touched: health and Prometheus
 * stay on the separate management port, open to probes and scrapers.
 */
@AutoConfiguration
@ConditionalOnWebApplication(type = ConditionalOnWebApplication.Type.SERVLET)
@EnableWebSecurity
@EnableConfigurationProperties(ApiKeyProperties.class)
public class ApiSecurityAutoConfiguration {

    /**
     * Spring Security's strict firewall, letting through what job names hold once percent-encoded (RFC 3986): a
     * {@code %}, a {@code ;}, a backslash (Retrospect's {@code 100% done}, {@code R&D; nightly}, Windows paths). The
     * API's rules are "everything under /api needs a key", so no encoding can slip past them.
     */
    @Bean
    WebSecurityCustomizer jobNamesInPaths() {
        StrictHttpFirewall firewall = new StrictHttpFirewall();
        firewall.setAllowUrlEncodedPercent(true);
        firewall.setAllowSemicolon(true);
        firewall.setAllowBackSlash(true);
        firewall.setAllowUrlEncodedPeriod(true);
        return web -> web.httpFirewall(firewall);
    }

    @Bean
    ApiKeyIntrospector apiKeyIntrospector(ApiKeyProperties properties) {
        return new ApiKeyIntrospector(properties);
    }

    @Bean
    SecurityFilterChain apiSecurity(HttpSecurity http, ApiKeyIntrospector introspector,
                                    org.springframework.beans.factory.ObjectProvider<RequestPathMasker> masker)
            throws Exception {
        Problems problems = new Problems(masker.getIfAvailable(() -> path -> path));
        http.securityMatcher("/api/**")
                .csrf(csrf -> csrf.disable())
                .sessionManagement(session -> session.sessionCreationPolicy(SessionCreationPolicy.STATELESS))
                .authorizeHttpRequests(requests -> requests
                        .requestMatchers(HttpMethod.GET, "/api/**").hasAuthority("READ")
                        .requestMatchers(HttpMethod.HEAD, "/api/**").hasAuthority("READ")
                        .anyRequest().hasAuthority("WRITE"))
                .oauth2ResourceServer(server -> server.opaqueToken(token -> token.introspector(introspector))
                        .authenticationEntryPoint(problems).accessDeniedHandler(problems))
                .exceptionHandling(exceptions -> exceptions.authenticationEntryPoint(problems)
                        .accessDeniedHandler(problems));
        return http.build();
    }

    /** 401 and 403 as problem details, with the {@code WWW-Authenticate} challenge RFC 6750 asks for. */
    static final class Problems implements AuthenticationEntryPoint, AccessDeniedHandler {

        private static final tools.jackson.databind.json.JsonMapper JSON = tools.jackson.databind.json.JsonMapper.builder().build();
        private final RequestPathMasker masker;

        Problems(RequestPathMasker masker) {
            this.masker = masker;
        }

        @Override
        public void commence(HttpServletRequest request, HttpServletResponse response, AuthenticationException e)
                throws IOException {
            response.setHeader("WWW-Authenticate", "Bearer realm=\"vigil\"");
            write(response, request, masker, 401, "Unauthorized", "unauthorized",
                    "Send an API key as 'Authorization: Bearer <key>'.");
        }

        @Override
        public void handle(HttpServletRequest request, HttpServletResponse response, AccessDeniedException e)
                throws IOException {
            write(response, request, masker, 403, "Forbidden", "forbidden",
                    "This API key may not do this: a read key cannot change anything.");
        }

        static void write(HttpServletResponse response, HttpServletRequest request, RequestPathMasker masker, int status,
                          String title, String type, String detail) throws IOException {
            response.setStatus(status);
            response.setContentType("application/problem+json");
            response.setCharacterEncoding(StandardCharsets.UTF_8.name());
            java.util.Map<String, Object> problem = new java.util.LinkedHashMap<>();
            problem.put("type", "https://vigil.dev/problems/" + type);
            problem.put("title", title);
            problem.put("status", status);
            problem.put("detail", detail);
            problem.put("instance", masker.mask(request.getRequestURI()));
            response.getWriter().write(JSON.writeValueAsString(problem));
        }
    }
}
