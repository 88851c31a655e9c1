package dev.vigil.security;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * A request whose parameters cannot be decoded (a stray {@code %}, {@code %zz}, bytes that are not UTF-8 once
 * decoded, as in {@code ?q=%C3%28}) is the caller's error: answered {@code 400} as an RFC 9457
 * {@code application/problem+json} document, and logged at DEBUG only. Tomcat parses parameters on the first
 * {@code getParameter} (a filter's, a controller's {@code @RequestParam}) and throws its
 * {@code InvalidParameterException} there and on every later call; left alone it escaped the servlet, and Tomcat logged
 * an ERROR with a stack trace for every such request anyone sent. Paths that read the raw query themselves (the
 * gateway's hooks) never ask Tomcat to parse it and are not touched.
 */
public class UndecodableQueryFilter extends OncePerRequestFilter {

    private static final Logger log = LoggerFactory.getLogger(UndecodableQueryFilter.class);
    private static final String INVALID_PARAMETER = "org.apache.tomcat.util.http.InvalidParameterException";

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        try {
            chain.doFilter(request, response);
        } catch (ServletException | RuntimeException e) {
            if (!undecodable(e) || response.isCommitted()) {
                throw e;
            }
            log.debug("Refused a request whose parameters cannot be decoded: {}", request.getRequestURI());
            response.resetBuffer();
            ApiSecurityAutoConfiguration.Problems.write(response, request, 400, "Bad Request", "undecodable-query",
                    "The query or form cannot be decoded: every '%' must be followed by two hexadecimal digits, and the"
                            + " decoded bytes must be UTF-8 (RFC 3986, section 2.1).");
        }
    }

    /** True when {@code e} or one of its causes is Tomcat's refusal of a parameter it could not decode. */
    static boolean undecodable(Throwable e) {
        for (Throwable cause = e; cause != null; cause = cause.getCause() == cause ? null : cause.getCause()) {
            if (cause.getClass().getName().equals(INVALID_PARAMETER)) {
                return true;
            }
        }
        return false;
    }

    /** The filter, first of every chain, on requests and error dispatches. */
    static org.springframework.boot.web.servlet.FilterRegistrationBean<UndecodableQueryFilter> registration() {
        var registration = new org.springframework.boot.web.servlet.FilterRegistrationBean<>(new UndecodableQueryFilter());
        registration.setOrder(org.springframework.core.Ordered.HIGHEST_PRECEDENCE);
        registration.setDispatcherTypes(jakarta.servlet.DispatcherType.REQUEST, jakarta.servlet.DispatcherType.ERROR);
        return registration;
    }

    @Override
    protected boolean shouldNotFilterErrorDispatch() {
        return false; // an error page that asks for a parameter meets the same failure
    }
}
