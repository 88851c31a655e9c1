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
    private final RequestPathMasker masker;

    /** @param masker what the answer's {@code instance} shows of the path ({@link RequestPathMasker}) */
    public UndecodableQueryFilter(RequestPathMasker masker) {
        this.masker = masker;
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        try {
            chain.doFilter(request, response);
        } catch (ServletException | RuntimeException e) {
            Throwable refusal = undecodable(e);
            if (refusal == null || response.isCommitted()) {
                throw e;
            }
            response.resetBuffer();
            if (errorCode(refusal) == 413) {
                log.debug("Refused a request with too many parameters: {}", masker.mask(request.getRequestURI()));
                ApiSecurityAutoConfiguration.Problems.write(response, request, masker, 413, "Content Too Large",
                        "too-many-parameters", "The query and form together hold more parameters than the server"
                                + " takes (Tomcat's maxParameterCount, 1,000 by default).");
                return;
            }
            log.debug("Refused a request whose parameters cannot be decoded: {}", masker.mask(request.getRequestURI()));
            ApiSecurityAutoConfiguration.Problems.write(response, request, masker, 400, "Bad Request",
                    "undecodable-query", "The query or form cannot be decoded: every '%' must be followed by two"
                            + " hexadecimal digits, and the decoded bytes must be UTF-8 (RFC 3986, section 2.1).");
        }
    }

    /**
     * Tomcat's refusal of the parameters ({@code InvalidParameterException}: one it could not decode, or more than
     * {@code maxParameterCount}) when {@code e} is one or has one among its causes, else {@code null}.
     */
    static Throwable undecodable(Throwable e) {
        for (Throwable cause = e; cause != null; cause = cause.getCause() == cause ? null : cause.getCause()) {
            if (cause.getClass().getName().equals(INVALID_PARAMETER)) {
                return cause;
            }
        }
        return null;
    }

    /**
     * The status the refusal deserves: {@code 413} for more parameters than {@code maxParameterCount} (Tomcat gives
     * that refusal the same class and code as an undecodable one, and says which in its message, {@code
     * parameters.maxCountFail}, in English only), else {@code 400}.
     */
    private static int errorCode(Throwable refusal) {
        String message = refusal.getMessage();
        return message != null && message.contains("maxParameterCount") ? 413 : 400;
    }

    /** The filter, first of every chain but the HTTP observation, on requests and error dispatches. */
    static org.springframework.boot.web.servlet.FilterRegistrationBean<UndecodableQueryFilter> registration(
            RequestPathMasker masker) {
        var registration = new org.springframework.boot.web.servlet.FilterRegistrationBean<>(new UndecodableQueryFilter(masker));
        // inside the HTTP observation (ServerHttpObservationFilter, HIGHEST_PRECEDENCE + 1), so the metrics count the
        // 400 or 413 answered, not the exception as a 500; before every other filter that reads parameters
        registration.setOrder(org.springframework.core.Ordered.HIGHEST_PRECEDENCE + 2);
        registration.setDispatcherTypes(jakarta.servlet.DispatcherType.REQUEST, jakarta.servlet.DispatcherType.ERROR);
        return registration;
    }

    @Override
    protected boolean shouldNotFilterErrorDispatch() {
        return false; // an error page that asks for a parameter meets the same failure
    }
}
