package dev.vigil.security;

import java.io.PrintWriter;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.catalina.Container;
import org.apache.catalina.Valve;
import org.apache.catalina.connector.Request;
import org.apache.catalina.connector.Response;
import org.apache.catalina.core.StandardHost;
import org.apache.catalina.valves.ErrorReportValve;
import org.springframework.boot.tomcat.ConfigurableTomcatWebServerFactory;
import org.springframework.boot.web.server.WebServerFactoryCustomizer;
import org.springframework.core.Ordered;
import org.springframework.http.HttpStatus;

/**
 * Tomcat's answer to what it refuses before Spring runs (a request line or URI it cannot parse, {@code %zz}, headers
 * over {@code server.max-http-request-header-size}), written as an RFC 9457 {@code application/problem+json} document
 * (the status's plain reason under {@code vigil.web.plain-text-paths}) instead of Tomcat's HTML page. The detail is
 * the status's own words: Tomcat's message quotes the request target, which can hold what a caller must not see
 * echoed into a proxy's log. The gateway replaces this valve with one that also keeps such calls on
 * {@code backup.rejected}.
 */
public class ProblemErrorReportValve extends ErrorReportValve {

    private static final tools.jackson.databind.json.JsonMapper JSON = tools.jackson.databind.json.JsonMapper.builder()
            .build();

    private final List<String> plainTextPaths;

    /** Tomcat instantiates the class by name only when none of it is in the pipeline; it never is. */
    public ProblemErrorReportValve() {
        this(List.of());
    }

    public ProblemErrorReportValve(List<String> plainTextPaths) {
        this.plainTextPaths = List.copyOf(plainTextPaths);
        setShowReport(false);
        setShowServerInfo(false);
    }

    @Override
    protected void report(Request request, Response response, Throwable error) {
        int code = response.getStatus();
        if (code < 400 || response.getContentWritten() > 0 || !response.setErrorReported()) {
            return;
        }
        HttpStatus status = HttpStatus.resolve(code);
        String path = request.getRequestURI() == null ? "" : request.getRequestURI();
        try {
            PrintWriter writer;
            if (plainTextPaths.stream().anyMatch(p -> path.equals(p) || path.startsWith(p + "/"))) {
                response.setContentType("text/plain;charset=UTF-8");
                writer = response.getReporter();
                if (writer != null) {
                    writer.write(code == 404 ? "not found" : status == null ? "error"
                            : status.getReasonPhrase().toLowerCase(java.util.Locale.ROOT));
                }
            } else {
                response.setContentType("application/problem+json;charset=UTF-8");
                writer = response.getReporter();
                if (writer != null) {
                    Map<String, Object> problem = new LinkedHashMap<>();
                    problem.put("type", "https://vigil.dev/problems/" + code);
                    problem.put("title", status == null ? "Error" : status.getReasonPhrase());
                    problem.put("status", code);
                    problem.put("detail", status == null ? "The request was refused."
                            : ProblemErrorController.detail(status));
                    writer.write(JSON.writeValueAsString(problem));
                }
            }
            response.finishResponse();
        } catch (java.io.IOException | RuntimeException e) {
            // the connection is gone or unusable: nothing more to tell
        }
    }

    /**
     * Puts {@code replacement} in place of every error report valve of {@code parent} (a context's host), and names its
     * class as the one the host adds, so Tomcat adds no HTML report of its own; another parent is left as it is.
     */
    public static void replaceOn(Container parent, ErrorReportValve replacement) {
        if (parent instanceof StandardHost host) {
            host.setErrorReportValveClass(replacement.getClass().getName());
            for (Valve valve : host.getPipeline().getValves()) {
                if (valve instanceof ErrorReportValve) {
                    host.getPipeline().removeValve(valve);
                }
            }
            host.getPipeline().addValve(replacement);
        }
    }

    /**
     * Puts the valve in place of Tomcat's error report valve on the host of every Tomcat this customizer is given.
     * Ordered just before the lowest precedence: after Spring Boot's own customizer (which adds a plain error report
     * valve), and before a service's own replacement (the gateway's).
     */
    static WebServerFactoryCustomizer<ConfigurableTomcatWebServerFactory> customizer(List<String> plainTextPaths) {
        return new Customizer(plainTextPaths);
    }

    private record Customizer(List<String> plainTextPaths)
            implements WebServerFactoryCustomizer<ConfigurableTomcatWebServerFactory>, Ordered {

        @Override
        public void customize(ConfigurableTomcatWebServerFactory factory) {
            factory.addContextCustomizers(context -> replaceOn(context.getParent(),
                    new ProblemErrorReportValve(plainTextPaths)));
        }

        @Override
        public int getOrder() {
            return Ordered.LOWEST_PRECEDENCE - 1;
        }
    }
}
