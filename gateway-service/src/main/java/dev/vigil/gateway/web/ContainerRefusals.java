package dev.vigil.gateway.web;

import io.micrometer.core.instrument.MeterRegistry;
import jakarta.servlet.RequestDispatcher;
import java.io.PrintWriter;
import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.catalina.connector.Request;
import org.apache.catalina.connector.Response;
import org.apache.catalina.valves.ErrorReportValve;
import org.springframework.boot.tomcat.ConfigurableTomcatWebServerFactory;
import org.springframework.boot.web.server.WebServerFactoryCustomizer;
import org.springframework.core.Ordered;
import org.springframework.stereotype.Component;

/**
 * Refusals Tomcat makes before any of Vigil's code runs (a request line or header it cannot parse, headers over
 * {@code server.max-http-request-header-size}, an invalid URI), answered in the endpoint's own format: plain text
 * under {@code /ping} as healthchecks answers, an RFC 9457 {@code application/problem+json} document elsewhere, never
 * Tomcat's HTML page. Such calls are not authenticated, so they are counted ({@code vigil_hooks_refused_total},
 * reason {@code container}) and kept on {@code backup.rejected} only as a sample ({@link HookProblems}).
 * <p>
 * The same holds for what Tomcat refuses and hands to the error page ({@code TRACE}, which Tomcat refuses itself, a
 * body that did not arrive in time): the error page answers, and tells {@link #answered} to count and keep it.
 * <p>
 * An encoded slash ({@code %2F}) in a path is passed through to Vigil's own code instead of being refused by
 * Tomcat, so a token or job name that holds one gets Vigil's answer.
 */
@Component
class ContainerRefusals implements WebServerFactoryCustomizer<ConfigurableTomcatWebServerFactory>, Ordered,
        dev.vigil.security.ErrorPageListener {

    private final HookProblems problems;
    private final MeterRegistry meters;

    ContainerRefusals(HookProblems problems, MeterRegistry meters) {
        this.problems = problems;
        this.meters = meters;
    }

    @Override
    public void customize(ConfigurableTomcatWebServerFactory factory) {
        factory.addConnectorCustomizers(connector -> connector.setEncodedSolidusHandling("passthrough"));
        // in place of Tomcat's report and of the problem+json one every Vigil service has (the host adds no other)
        factory.addContextCustomizers(context -> dev.vigil.security.ProblemErrorReportValve.replaceOn(
                context.getParent(), new EndpointErrorReport(this)));
    }

    /** After Spring Boot's own Tomcat customizer, which adds a plain error report valve this one replaces. */
    @Override
    public int getOrder() {
        return Ordered.LOWEST_PRECEDENCE;
    }

    /** The reason a container refusal is answered with, one line. */
    private static String reason(Request request, Response response, Throwable error) {
        Object message = request.getAttribute(RequestDispatcher.ERROR_MESSAGE);
        String text = message != null ? message.toString() : response.getMessage();
        if ((text == null || text.isBlank()) && error != null) {
            text = error.getMessage();
        }
        if (text == null || text.isBlank()) {
            text = switch (response.getStatus()) {
                case 400 -> "The request could not be read (its request line, a header or its URI is malformed).";
                case 413, 431 -> "The request's headers are too large.";
                default -> "The request was refused.";
            };
        }
        // Tomcat quotes the request target it could not parse; its query (an XSIBackup payload with the options'
        // secrets in base64, which the masker cannot see) is left out
        return dev.vigil.model.Text.line(QUERY.matcher(text).replaceAll("?…"), 300);
    }

    private static final java.util.regex.Pattern QUERY = java.util.regex.Pattern.compile("\\?[^\\s\\]]*");
    /** The path of the request target Tomcat's message quotes. */
    private static final java.util.regex.Pattern TARGET = java.util.regex.Pattern.compile("\\[(/[^\\s\\]?]{0,2048})");

    /** A refusal the error page answered ({@link dev.vigil.security.ProblemErrors}): counted, kept as a sample. */
    @Override
    public void answered(jakarta.servlet.http.HttpServletRequest request, String path, int status, String detail) {
        try {
            boolean ping = path.equals("/ping") || path.startsWith("/ping/");
            String source = ping ? "healthchecks" : path.startsWith("/hooks/") ? Paths.sourceOf(path) : "unknown";
            meters.counter("vigil.hooks.refused", "source", source, "reason", "container").increment();
            problems.keepContainerRefusal(source, path, java.util.Objects.toString(request.getMethod(), ""), status,
                    detail, request.getRemoteAddr());
        } catch (RuntimeException e) {
            // the answer goes out all the same
        }
    }

    void answer(Request request, Response response, Throwable error) {
        String uri = request.getRequestURI() == null ? "" : request.getRequestURI();
        String reason = problems.mask(reason(request, response, error)); // answered too: no token in a proxy's log
        if (uri.isEmpty()) {
            // a request line Tomcat could not parse has no URI; its message quotes the target ("… target [/ping/…]")
            java.util.regex.Matcher target = TARGET.matcher(reason(request, response, error));
            uri = target.find() ? target.group(1) : "";
        }
        boolean ping = uri.equals("/ping") || uri.startsWith("/ping/");
        String source = ping ? "healthchecks" : uri.startsWith("/hooks/") ? Paths.sourceOf(uri) : "unknown";
        meters.counter("vigil.hooks.refused", "source", source, "reason", "container").increment();
        problems.keepContainerRefusal(source, uri, java.util.Objects.toString(request.getMethod(), ""),
                response.getStatus(), reason, request.getRemoteAddr());
        try {
            PrintWriter writer;
            if (ping) {
                response.setContentType("text/plain;charset=UTF-8");
                response.setHeader("X-Vigil-Reason", reason);
                writer = response.getReporter();
                if (writer != null) {
                    writer.write(response.getStatus() == 404 ? "not found" : "bad request");
                }
            } else {
                response.setContentType("application/problem+json;charset=UTF-8");
                writer = response.getReporter();
                if (writer != null) {
                    Map<String, Object> problem = new LinkedHashMap<>();
                    problem.put("type", "https://vigil.dev/problems/invalid");
                    problem.put("title", "Request refused");
                    problem.put("status", response.getStatus());
                    problem.put("detail", reason);
                    writer.write(dev.vigil.model.Json.mapper().writeValueAsString(problem));
                }
            }
            response.finishResponse();
        } catch (java.io.IOException | RuntimeException e) {
            // the connection is gone or unusable: nothing more to tell
        }
    }

    /** Tomcat's error report valve, writing Vigil's formats. */
    static final class EndpointErrorReport extends ErrorReportValve {

        private final ContainerRefusals refusals;

        /** Tomcat instantiates the class by name only when none of it is in the pipeline; it never is. */
        public EndpointErrorReport() {
            this(null);
        }

        EndpointErrorReport(ContainerRefusals refusals) {
            this.refusals = refusals;
            setShowReport(false);
            setShowServerInfo(false);
        }

        @Override
        protected void report(Request request, Response response, Throwable error) {
            if (refusals == null || response.getStatus() < 400 || response.getContentWritten() > 0
                    || !response.setErrorReported()) {
                if (refusals == null) {
                    super.report(request, response, error);
                }
                return;
            }
            refusals.answer(request, response, error);
        }
    }
}
