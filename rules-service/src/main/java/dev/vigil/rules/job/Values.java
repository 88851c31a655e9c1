package dev.vigil.rules.job;

import dev.vigil.model.BackupEvent;
import io.micrometer.core.instrument.Metrics;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.OptionalInt;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Defensive reading of the values a caller controls (event attributes, registration periods). A value that cannot
 * be used is never an exception: the reader answers "absent" and counts it in
 * {@code vigil_rules_ignored_values_total{field}}, so one bad hook costs that hook's one fact, not the rules.
 */
public final class Values {

    /** Meter of the values that were present but unusable, tagged by the field (a fixed set of names). */
    public static final String IGNORED = "vigil.rules.ignored.values";
    /** The longest period a registration may declare: a job expected less than yearly is not a schedule. */
    public static final Duration MAX_PERIOD = Duration.ofDays(366);
    /** The shortest period: below it every heartbeat would be a verdict. */
    public static final Duration MIN_PERIOD = Duration.ofSeconds(1);
    private static final Pattern PERIOD = Pattern.compile("([0-9]{1,9})([smhdw])");

    private Values() {
    }

    /**
     * A whole number from 0 to {@code max} held in attribute {@code name} (leading/trailing blanks allowed).
     *
     * @return the number; empty when the attribute is absent, or (counted) not a number, negative or above max
     */
    public static OptionalInt count(BackupEvent event, String name, int max) {
        String text = event.attributes().get(name);
        if (text == null) {
            return OptionalInt.empty();
        }
        try {
            long value = Long.parseLong(text.strip());
            if (value >= 0 && value <= max) {
                return OptionalInt.of((int) value);
            }
        } catch (NumberFormatException e) {
            // counted below
        }
        ignored(name);
        return OptionalInt.empty();
    }

    /**
     * A period such as {@code 90m}, {@code 12h}, {@code 1d}, {@code 2w} (units s, m, h, d, w), between
     * {@link #MIN_PERIOD} and {@link #MAX_PERIOD}.
     *
     * @return the period, or {@code null} (counted when present) for anything else
     */
    public static Duration period(String text, String field) {
        if (text == null) {
            return null;
        }
        Matcher m = PERIOD.matcher(text.strip());
        if (m.matches()) {
            long amount = Long.parseLong(m.group(1));
            Duration unit = switch (m.group(2)) {
                case "s" -> Duration.ofSeconds(1);
                case "m" -> Duration.ofMinutes(1);
                case "h" -> Duration.ofHours(1);
                case "d" -> Duration.ofDays(1);
                default -> Duration.ofDays(7);
            };
            Duration period = unit.multipliedBy(amount); // at most 10^9 weeks: no overflow
            if (period.compareTo(MIN_PERIOD) >= 0 && period.compareTo(MAX_PERIOD) <= 0) {
                return period;
            }
        }
        ignored(field);
        return null;
    }

    /** An RFC 3339 instant, or {@code null} (counted when present and unreadable). */
    public static Instant instant(String text, String field) {
        if (text == null) {
            return null;
        }
        try {
            return Instant.parse(text.strip());
        } catch (DateTimeParseException e) {
            ignored(field);
            return null;
        }
    }

    /** Counts one unusable value of {@code field}. */
    public static void ignored(String field) {
        Metrics.counter(IGNORED, "field", field).increment();
    }
}
