package dev.vigil.gateway.source.retrospect;

import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeFormatterBuilder;
import java.time.format.DateTimeParseException;
import java.time.format.ResolverStyle;
import java.time.temporal.ChronoField;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * Retrospect's locale dates: no seconds, no zone ({@code 11/21/2016 18:06}, {@code 2/10/2016 12:01 AM},
 * {@code 12/14/99 16:32 PM}). The zone is the registration's. A 24-hour time with a stray AM/PM marker is read as
 * the 24-hour time it is.
 */
final class RetrospectDates {

    private static final List<DateTimeFormatter> TWELVE_HOUR = List.of(twoDigitYear(" h:mm a"), pattern("M/d/uuuu h:mm a"));
    private static final List<DateTimeFormatter> TWENTY_FOUR_HOUR = List.of(twoDigitYear(" H:mm"), pattern("M/d/uuuu H:mm"));

    private RetrospectDates() {
    }

    static Optional<Instant> parse(String text, ZoneId zone) {
        if (text == null || text.isBlank()) {
            return Optional.empty();
        }
        String value = text.strip().replaceAll("\\s+", " ");
        String upper = value.toUpperCase(Locale.ROOT);
        boolean marker = upper.endsWith(" AM") || upper.endsWith(" PM");
        if (marker) {
            Optional<LocalDateTime> twelve = first(TWELVE_HOUR, upper);
            if (twelve.isPresent()) {
                return twelve.map(t -> t.atZone(zone).toInstant());
            }
            value = value.substring(0, value.length() - 3); // "16:32 PM": a 24-hour time after all
        }
        return first(TWENTY_FOUR_HOUR, value).map(t -> t.atZone(zone).toInstant());
    }

    private static Optional<LocalDateTime> first(List<DateTimeFormatter> formats, String value) {
        for (DateTimeFormatter format : formats) {
            try {
                return Optional.of(LocalDateTime.parse(value, format));
            } catch (DateTimeParseException e) {
                // next format
            }
        }
        return Optional.empty();
    }

    /** {@code 12/14/99}: two-digit years are 1950–2049, so a '99 is 1999. */
    private static DateTimeFormatter twoDigitYear(String time) {
        return new DateTimeFormatterBuilder().parseCaseInsensitive().appendPattern("M/d/")
                .appendValueReduced(ChronoField.YEAR, 2, 2, 1950).appendPattern(time)
                .toFormatter(Locale.US).withResolverStyle(ResolverStyle.SMART);
    }

    private static DateTimeFormatter pattern(String pattern) {
        return new DateTimeFormatterBuilder().parseCaseInsensitive().appendPattern(pattern)
                .toFormatter(Locale.US).withResolverStyle(ResolverStyle.SMART);
    }
}
