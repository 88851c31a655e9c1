package dev.vigil.gateway.web;

import dev.vigil.gateway.ingest.EventPublisher;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.UUID;
import java.util.regex.Pattern;
import org.slf4j.MDC;
import org.springframework.stereotype.Component;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Gives every hook a trace id (the caller's {@code X-Request-Id} when it is sane, else a new one). It goes into
 * the logs, the Kafka headers of the event and the response, so one backup's story can be followed to the mail. Sane:
 * 8 to 64 of {@code A-Z a-z 0-9 . _ -}, and nothing the gateway's masker would mask (a hook token, a JSON Web Token):
 * a caller that sends its token as its request id never finds it in a log or a topic.
 */
@Component
class TraceIdFilter extends OncePerRequestFilter {

    private final EventPublisher publisher;

    TraceIdFilter(EventPublisher publisher) {
        this.publisher = publisher;
    }

    static final String HEADER = "X-Request-Id";
    private static final Pattern SANE = Pattern.compile("[A-Za-z0-9._-]{8,64}");

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        String given = request.getHeader(HEADER);
        String traceId = given != null && SANE.matcher(given).matches() && publisher.masker().mask(given).equals(given)
                ? given : UUID.randomUUID().toString();
        MDC.put(EventPublisher.TRACE_ID_MDC, traceId);
        response.setHeader(HEADER, traceId);
        try {
            chain.doFilter(request, response);
        } finally {
            MDC.remove(EventPublisher.TRACE_ID_MDC);
        }
    }
}
