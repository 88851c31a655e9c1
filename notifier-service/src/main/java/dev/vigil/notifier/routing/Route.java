package dev.vigil.notifier.routing;

import dev.vigil.model.Alert;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * One route of the tree, shaped like Alertmanager's: matchers on the alert's labels (tenant, account, job, rule,
 * severity, source, status), exact or — with a leading {@code ~} — a regular expression; the receiver; whether to
 * go on to the next sibling after a match; and child routes.
 */
public record Route(@DefaultValue Map<String, String> matchers, String receiver,
                    @DefaultValue("false") boolean continueMatching, @DefaultValue List<Route> routes) {

    public Route {
        matchers = matchers == null ? Map.of() : Map.copyOf(matchers);
        routes = routes == null ? List.of() : List.copyOf(routes);
    }

    public boolean matches(Alert alert) {
        return matches(matchers, alert);
    }

    /** Whether every matcher selects the alert's labels: exact (case-insensitive) or, with a leading {@code ~}, a regex. */
    public static boolean matches(Map<String, String> matchers, Alert alert) {
        Map<String, String> labels = labels(alert);
        for (Map.Entry<String, String> matcher : matchers.entrySet()) {
            String value = labels.getOrDefault(matcher.getKey().toLowerCase(Locale.ROOT), "");
            String expected = matcher.getValue();
            boolean ok = expected.startsWith("~") ? Pattern.compile(expected.substring(1)).matcher(value).matches()
                    : expected.equalsIgnoreCase(value);
            if (!ok) {
                return false;
            }
        }
        return true;
    }

    public static Map<String, String> labels(Alert alert) {
        return Map.of("tenant", alert.job().tenant(), "account", alert.job().account(), "job", alert.job().job(),
                "rule", alert.rule(), "severity", String.valueOf(alert.severity()).toLowerCase(Locale.ROOT),
                "source", alert.source() == null ? "" : alert.source().name().toLowerCase(Locale.ROOT),
                "status", alert.status().name().toLowerCase(Locale.ROOT), "check", alert.check());
    }
}
