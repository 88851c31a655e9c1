package dev.vigil.notifier.channel.http;

import dev.vigil.notifier.channel.DeliveryException;
import java.time.Duration;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;

/**
 * The one place that judges an HTTP answer, for every channel: 2xx done; 429 and 5xx retried, honouring
 * {@code Retry-After}; any other status permanent (a 404 webhook will not come back by itself).
 */
public final class HttpStatusPolicy {

    private HttpStatusPolicy() {
    }

    /** Nothing for a 2xx; otherwise the failure to throw. */
    public static DeliveryException judge(int status, String retryAfter, String body) {
        if (status >= 200 && status < 300) {
            return null;
        }
        String message = "answered " + status + (body == null || body.isBlank() ? "" : ": " + abbreviate(body));
        if (status == 429 || status >= 500) {
            return DeliveryException.retryable("http-" + (status == 429 ? "429" : "5xx"), message, parseRetryAfter(retryAfter), null);
        }
        return DeliveryException.permanent("http-" + status, message, null);
    }

    /** {@code Retry-After} in seconds or as an HTTP date; {@code null} when absent or unreadable. */
    public static Duration parseRetryAfter(String value) {
        if (value == null || value.isBlank()) {
            return null;
        }
        try {
            return Duration.ofSeconds(Math.max(0, Long.parseLong(value.strip())));
        } catch (NumberFormatException e) {
            try {
                Duration until = Duration.between(ZonedDateTime.now(), ZonedDateTime.parse(value.strip(),
                        DateTimeFormatter.RFC_1123_DATE_TIME));
                return until.isNegative() ? Duration.ZERO : until;
            } catch (DateTimeParseException ignored) {
                return null;
            }
        }
    }

    private static String abbreviate(String body) {
        String line = body.strip().replaceAll("\\s+", " ");
        return line.length() > 200 ? line.substring(0, 197) + "..." : line;
    }
}
