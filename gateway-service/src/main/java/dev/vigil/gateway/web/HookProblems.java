package dev.vigil.gateway.web;

import dev.vigil.gateway.GatewayProperties;
import dev.vigil.gateway.ingest.EventPublisher;
import dev.vigil.gateway.ingest.HookRejectedException;
import dev.vigil.gateway.ingest.IngestUnavailableException;
import dev.vigil.model.RejectedInput;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.servlet.http.HttpServletRequest;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;

/**
 * Turns every refusal into an RFC 9457 problem ({@code application/problem+json}) that says what is wrong, and
 * keeps the refused input on {@code backup.rejected}, so nothing a caller sent is silently lost.
 */
@RestControllerAdvice
@org.springframework.core.annotation.Order(org.springframework.core.Ordered.HIGHEST_PRECEDENCE)
class HookProblems {

    private static final Logger log = LoggerFactory.getLogger(HookProblems.class);
    private static final Set<String> KEPT_HEADERS = Set.of("user-agent", "content-type", "content-length",
            "x-forwarded-for", "idempotency-key");

    /** A refusal's reason, as answered, logged and kept: one line, secrets masked, at most this long. */
    static final int REASON_LIMIT = 500;
    private final java.util.Map<String, java.util.concurrent.atomic.AtomicLong> lastSampled =
            new java.util.concurrent.ConcurrentHashMap<>();
    private final EventPublisher publisher;
    private final GatewayProperties properties;
    private final MeterRegistry meters;

    private final TokenPathMasker paths;

    HookProblems(EventPublisher publisher, GatewayProperties properties, MeterRegistry meters, TokenPathMasker paths) {
        this.paths = paths;
        this.publisher = publisher;
        this.properties = properties;
        this.meters = meters;
    }

    @ExceptionHandler
    ResponseEntity<?> rejected(HookRejectedException e, HttpServletRequest request) {
        meters.counter("vigil.hooks.refused", "source", e.source(), "reason", reasonTag(e.status())).increment();
        String reason = dev.vigil.model.Text.line(publisher.masker().mask(e.getMessage()), REASON_LIMIT);
        int limit = (int) properties.rejectedRawLimit().toBytes();
        String raw = e.raw() == null ? "" : e.raw();
        byte[] bytes = raw.getBytes(StandardCharsets.UTF_8);
        boolean truncated = bytes.length > limit;
        String kept = truncated ? new String(bytes, 0, limit, StandardCharsets.UTF_8) : raw;
        if (!e.unauthenticatedCall() || sampled(e.source())) {
            publisher.reject(new RejectedInput(e.source(), paths.mask(request.getRequestURI()), request.getMethod(),
                e.status().value(), reason, kept, truncated, headers(request), request.getRemoteAddr(),
                Instant.now()));
            log.info("refused {} hook from {}: {} {}", e.source(), request.getRemoteAddr(), e.status().value(), reason);
        }

        if (isPing(request)) {
            // healthchecks' clients expect its plain answers ("not found"), not a problem document.
            ResponseEntity.BodyBuilder response = ResponseEntity.status(e.status()).contentType(MediaType.TEXT_PLAIN)
                    .header("X-Vigil-Reason", dev.vigil.model.Text.line(reason, 200))
                    .header(HttpHeaders.CACHE_CONTROL, Paths.NEVER_CACHE);
            if (e.status() == HttpStatus.TOO_MANY_REQUESTS) {
                response.header(HttpHeaders.RETRY_AFTER, Long.toString(Math.max(1, e.retryAfterSeconds())));
            }
            return response.body(e.answer() == null || e.answer().equals(e.getMessage()) ? reason : e.answer());
        }
        ProblemDetail problem = ProblemDetail.forStatusAndDetail(e.status(), reason);
        problem.setTitle(switch (e.status()) {
            case UNAUTHORIZED -> "Unknown token";
            case TOO_MANY_REQUESTS -> "Too many calls";
            case PAYLOAD_TOO_LARGE, URI_TOO_LONG -> "Too large";
            case REQUEST_TIMEOUT -> "Too slow";
            default -> "Hook refused";
        });
        problem.setType(URI.create("https://vigil.dev/problems/" + reasonTag(e.status())));
        problem.setInstance(URI.create(paths.mask(request.getRequestURI())));
        problem.setProperty("source", e.source());
        // problem+json whatever the caller's Accept says (a backup product sends what it sends)
        ResponseEntity.BodyBuilder response = ResponseEntity.status(e.status()).contentType(MediaType.APPLICATION_PROBLEM_JSON);
        if (e.status() == HttpStatus.TOO_MANY_REQUESTS) {
            response.header(HttpHeaders.RETRY_AFTER, Long.toString(Math.max(1, e.retryAfterSeconds())));
        }
        return response.body(problem);
    }

    /**
     * A path nothing is served at ({@code /hooks/xsibackup/<token>} without its callback, a mistyped source): 404 in
     * the endpoint's format, its token masked in the answer too, kept on {@code backup.rejected} as a sample (the
     * call is not authenticated), so a backup product calling a wrong URL is seen.
     */
    @ExceptionHandler
    ResponseEntity<?> notFound(org.springframework.web.servlet.resource.NoResourceFoundException e,
                               HttpServletRequest request) {
        String uri = request.getRequestURI();
        String source = uri.equals("/ping") || uri.startsWith("/ping/") ? "healthchecks"
                : uri.startsWith("/hooks/") ? Paths.sourceOf(uri) : "unknown";
        return rejected(HookRejectedException.unauthenticated(HttpStatus.NOT_FOUND, source, "Nothing is served at "
                + paths.mask(uri) + " for " + request.getMethod() + ": see the source's URL in the README.",
                "not found"), request);
    }

    /**
     * A method a path does not take ({@code PUT} on an XSIBackup hook): 405 with its {@code Allow} header, in the
     * endpoint's format, the token masked in the answer too, kept on {@code backup.rejected} as a sample.
     */
    @ExceptionHandler
    ResponseEntity<?> methodNotAllowed(org.springframework.web.HttpRequestMethodNotSupportedException e,
                                       HttpServletRequest request) {
        String uri = request.getRequestURI();
        ResponseEntity<?> answer = rejected(HookRejectedException.unauthenticated(HttpStatus.METHOD_NOT_ALLOWED,
                Paths.sourceOf(uri), "This path does not take " + request.getMethod() + ": "
                        + paths.mask(uri) + ".", "method not allowed"), request);
        HttpHeaders headers = new HttpHeaders();
        headers.putAll(answer.getHeaders());
        if (e.getSupportedHttpMethods() != null) {
            headers.setAllow(e.getSupportedHttpMethods());
        }
        return ResponseEntity.status(answer.getStatusCode()).headers(headers).body(answer.getBody());
    }

    @ExceptionHandler
    ResponseEntity<?> unavailable(IngestUnavailableException e, HttpServletRequest request) {
        meters.counter("vigil.hooks.refused", "source", Paths.sourceOf(request.getRequestURI()),
                "reason", "kafka-unavailable").increment();
        log.warn("answering 503 to {}: {}", paths.mask(request.getRequestURI()), e.getMessage());
        if (isPing(request)) {
            return ResponseEntity.status(HttpStatus.SERVICE_UNAVAILABLE).contentType(MediaType.TEXT_PLAIN)
                    .header(HttpHeaders.RETRY_AFTER, Long.toString(properties.retryAfter().toSeconds()))
                    .header(HttpHeaders.CACHE_CONTROL, Paths.NEVER_CACHE).body("service unavailable");
        }
        ProblemDetail problem = ProblemDetail.forStatusAndDetail(HttpStatus.SERVICE_UNAVAILABLE,
                "The event could not be stored safely; nothing was accepted. Send it again later.");
        problem.setTitle("Ingest unavailable");
        problem.setType(URI.create("https://vigil.dev/problems/ingest-unavailable"));
        return ResponseEntity.status(HttpStatus.SERVICE_UNAVAILABLE).contentType(MediaType.APPLICATION_PROBLEM_JSON)
                .header(HttpHeaders.RETRY_AFTER, Long.toString(properties.retryAfter().toSeconds()))
                .body(problem);
    }

    @ExceptionHandler
    ResponseEntity<?> misconfigured(dev.vigil.gateway.ingest.IngestMisconfiguredException e,
                                    HttpServletRequest request) {
        meters.counter("vigil.hooks.refused", "source", Paths.sourceOf(request.getRequestURI()),
                "reason", "kafka-refused").increment();
        log.error("answering 500 to {}: Kafka refused the event: {}", paths.mask(request.getRequestURI()),
                e.getMessage());
        if (isPing(request)) {
            return ResponseEntity.status(HttpStatus.INTERNAL_SERVER_ERROR).contentType(MediaType.TEXT_PLAIN)
                    .header(HttpHeaders.CACHE_CONTROL, Paths.NEVER_CACHE).body("internal server error");
        }
        ProblemDetail problem = ProblemDetail.forStatusAndDetail(HttpStatus.INTERNAL_SERVER_ERROR,
                "Vigil cannot store events right now because of its own configuration; nothing was accepted. "
                        + "Its operators are told.");
        problem.setTitle("Ingest misconfigured");
        problem.setType(URI.create("https://vigil.dev/problems/ingest-misconfigured"));
        return ResponseEntity.status(HttpStatus.INTERNAL_SERVER_ERROR).contentType(MediaType.APPLICATION_PROBLEM_JSON)
                .body(problem);
    }

    /** healthchecks' paths ({@code /ping}, {@code /ping/…}): answered in plain text, as its clients expect. */
    static boolean isPing(HttpServletRequest request) {
        String uri = request.getRequestURI();
        return uri.equals("/ping") || uri.startsWith("/ping/");
    }

    /** {@code text} with the secrets the gateway's masker recognises (hook tokens among them) replaced by ***. */
    String mask(String text) {
        return publisher.masker().mask(text);
    }

    /**
     * Keeps, as a sample, a refusal the servlet container made before any of Vigil's code ran (such a call is not
     * authenticated): on {@code backup.rejected} at most once a second per source, without a body.
     */
    void keepContainerRefusal(String source, String uri, String method, int status, String reason, String remote) {
        if (sampled(source)) {
            publisher.reject(new RejectedInput(source, paths.mask(uri), method, status,
                    dev.vigil.model.Text.line(publisher.masker().mask(reason), REASON_LIMIT), "", false, Map.of(),
                    remote, Instant.now()));
            log.info("refused a {} call from {} before it reached Vigil: {} {}", source, remote, status, reason);
        }
    }

    /**
     * Calls nobody is known to have sent are kept on {@code backup.rejected} (and logged) at most once a second per
     * source; every one is counted in {@code vigil_hooks_refused_total}. So a flood of wrong tokens cannot fill the topic.
     */
    private boolean sampled(String source) {
        long now = System.currentTimeMillis();
        java.util.concurrent.atomic.AtomicLong last = lastSampled.computeIfAbsent(source,
                s -> new java.util.concurrent.atomic.AtomicLong());
        long previous = last.get();
        return now - previous >= 1_000 && last.compareAndSet(previous, now);
    }

    private static String reasonTag(HttpStatus status) {
        return switch (status) {
            case UNAUTHORIZED -> "unauthorized";
            case FORBIDDEN -> "forbidden";
            case PAYLOAD_TOO_LARGE, URI_TOO_LONG -> "too-large";
            case REQUEST_TIMEOUT -> "timeout";
            case TOO_MANY_REQUESTS -> "rate-limited";
            default -> "invalid";
        };
    }

    private static Map<String, String> headers(HttpServletRequest request) {
        Map<String, String> headers = new LinkedHashMap<>();
        for (String name : KEPT_HEADERS) {
            String value = request.getHeader(name);
            if (value != null) {
                headers.put(name, value);
            }
        }
        return headers;
    }
}
