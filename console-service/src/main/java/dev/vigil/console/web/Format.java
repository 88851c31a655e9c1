package dev.vigil.console.web;

import dev.vigil.console.ConsoleProperties;
import dev.vigil.model.Text;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.util.Locale;
import org.springframework.stereotype.Component;

/**
 * How the pages write times, durations and sizes, as {@code @fmt} in the templates: times in the configured zone
 * ({@code 2026-11-30 07:14 CET}), ages and durations in words ({@code 14 min 5 s ago}), sizes in binary units.
 */
@Component("fmt")
public class Format {

    private final DateTimeFormatter time;

    public Format(ConsoleProperties properties) {
        this.time = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm z", Locale.ENGLISH).withZone(properties.zone());
    }

    /** A time in the console's zone; an empty string for {@code null}. */
    public String time(Object instant) {
        Instant at = JobView.instant(instant);
        if (at == null) {
            return "";
        }
        try {
            return time.format(at);
        } catch (java.time.DateTimeException e) {
            return at.toString(); // beyond what a local date can hold (a year past 999,999,999 days): as it is
        }
    }

    /** The machine form for {@code <time datetime>} (ISO 8601, UTC). */
    public String iso(Object instant) {
        Instant at = JobView.instant(instant);
        return at == null ? "" : at.toString();
    }

    /** {@code 3 min ago} or {@code in 2 h 5 min}; empty for {@code null}. */
    public String ago(Object instant) {
        Instant at = JobView.instant(instant);
        if (at == null) {
            return "";
        }
        Duration between = Duration.between(at, Instant.now());
        if (between.abs().toSeconds() < 5) {
            return "now";
        }
        return between.isNegative() ? "in " + words(between.negated()) : words(between) + " ago";
    }

    /** {@code 14 min 5 s}, {@code 2 h 5 min}, {@code 3 d 4 h}: two units at most. */
    public String words(Duration duration) {
        return Text.duration(duration);
    }

    /** Seconds as words, e.g. from {@code durationSeconds}. */
    public String seconds(Object seconds) {
        return seconds instanceof Number n ? words(Duration.ofSeconds(n.longValue())) : "";
    }

    /** {@code 1.5 GiB}; empty for {@code null}. */
    public String bytes(Object bytes) {
        if (!(bytes instanceof Number n)) {
            return "";
        }
        double value = n.doubleValue();
        String[] units = {"B", "KiB", "MiB", "GiB", "TiB", "PiB"};
        int unit = 0;
        while (Math.abs(value) >= 1024 && unit < units.length - 1) {
            value /= 1024;
            unit++;
        }
        return unit == 0 ? String.format(Locale.ENGLISH, "%d B", n.longValue())
                : String.format(Locale.ENGLISH, "%.1f %s", value, units[unit]);
    }
}
