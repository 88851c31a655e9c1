package dev.vigil.security;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletRequestWrapper;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.Collections;
import java.util.Enumeration;
import org.springframework.http.HttpHeaders;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * The JSON APIs ({@code /api/...} of every service) answer JSON, and problem+json when they refuse, whatever the
 * caller's {@code Accept} header says: the filter shows Spring the header {@value #JSON} instead of the caller's. A
 * server may disregard {@code Accept} and answer as if the response were not negotiated (RFC 9110, section 12.5.1).
 * <p>
 * Without it, Spring negotiated the answer only after the handler had run: a {@code POST} creating a registration or
 * a silence, or rotating a token, with {@code Accept: text/html} (or one that does not parse, {@code ;;;}) made the
 * change and then answered {@code 406}, without the new token; a caller could not tell that anything had changed.
 */
public class JsonApiAcceptFilter extends OncePerRequestFilter {

    /** What every {@code /api/} request is answered as. */
    static final String JSON = "application/json, application/problem+json";

    @Override
    protected boolean shouldNotFilter(HttpServletRequest request) {
        // the decoded path, as Spring MVC maps it (/%61pi/... is /api/...)
        String path = request.getServletPath() + (request.getPathInfo() == null ? "" : request.getPathInfo());
        return !path.startsWith("/api/");
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        chain.doFilter(new HttpServletRequestWrapper(request) {
            @Override
            public String getHeader(String name) {
                return HttpHeaders.ACCEPT.equalsIgnoreCase(name) ? JSON : super.getHeader(name);
            }

            @Override
            public Enumeration<String> getHeaders(String name) {
                return HttpHeaders.ACCEPT.equalsIgnoreCase(name) ? Collections.enumeration(java.util.List.of(JSON))
                        : super.getHeaders(name);
            }

            @Override
            public Enumeration<String> getHeaderNames() {
                java.util.List<String> names = Collections.list(super.getHeaderNames());
                if (names.stream().noneMatch(HttpHeaders.ACCEPT::equalsIgnoreCase)) {
                    names.add(HttpHeaders.ACCEPT);
                }
                return Collections.enumeration(names);
            }
        }, response);
    }

    /** The filter, right after {@link UndecodableQueryFilter}, on requests only. */
    static org.springframework.boot.web.servlet.FilterRegistrationBean<JsonApiAcceptFilter> registration() {
        var registration = new org.springframework.boot.web.servlet.FilterRegistrationBean<>(new JsonApiAcceptFilter());
        registration.setOrder(org.springframework.core.Ordered.HIGHEST_PRECEDENCE + 1);
        return registration;
    }
}
