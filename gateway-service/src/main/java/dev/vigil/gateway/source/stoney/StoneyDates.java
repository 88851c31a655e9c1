package dev.vigil.gateway.source.stoney;

import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The dates stoney clients write, with their offsets repaired where the text allows (source spec §3.5):
 * {@code -00:00} is UTC; the Perl client's offsets beyond ±14 h are off by 24 h; Sepiola's huge positive offsets
 * are the true offset plus 2³² seconds; {@code +05:450} is {@code +05:45}. Only when nothing fits is the date
 * read in the account's zone, and flagged.
 */
final class StoneyDates {

    private static final Pattern DATE = Pattern.compile(
            "(\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}(?::\\d{2}(?:\\.\\d+)?)?)(Z|([+-])(\\d{1,9}):(\\d{2})\\d?)?");
    private static final long MAX_OFFSET = 14 * 3600;
    private static final long TWO_POW_32 = 1L << 32;

    /** A parsed date; {@code repair} says what was done to its offset, or is {@code null}. */
    record Parsed(Instant instant, ZoneOffset offset, String repair) {
    }

    private StoneyDates() {
    }

    /** @return the instant, or {@code null} when the text is no date at all */
    static Parsed parse(String text, ZoneId fallback) {
        if (text == null) {
            return null;
        }
        Matcher m = DATE.matcher(text.strip());
        if (!m.matches()) {
            return null;
        }
        LocalDateTime local;
        try {
            local = LocalDateTime.parse(m.group(1));
        } catch (DateTimeParseException e) {
            return null;
        }
        if (m.group(2) == null) {
            return inZone(local, fallback, "no offset: read in " + fallback);
        }
        if (m.group(2).equals("Z")) {
            return new Parsed(local.toInstant(ZoneOffset.UTC), ZoneOffset.UTC, null);
        }
        ZoneOffset offset = offset(m.group(3), m.group(4), m.group(5));
        if (offset == null) {
            return inZone(local, fallback, "offset " + m.group(2) + " not recoverable: read in " + fallback);
        }
        long written = (m.group(3).equals("-") ? -1 : 1)
                * (Long.parseLong(m.group(4)) * 3600 + Long.parseLong(m.group(5)) * 60);
        boolean asWritten = m.group(2).matches("[+-]\\d{2}:\\d{2}") && written == offset.getTotalSeconds();
        String repair = asWritten ? null : "offset " + m.group(2) + " read as " + offset.getId();
        return new Parsed(local.toInstant(offset), offset, repair);
    }

    /** The true offset behind what a client wrote, or {@code null} when none fits. */
    static ZoneOffset offset(String sign, String hours, String minutes) {
        long h = Long.parseLong(hours);
        long min = Long.parseLong(minutes);
        if (min >= 60) {
            return null;
        }
        long seconds = (sign.equals("-") ? -1 : 1) * (h * 3600 + min * 60);
        if (Math.abs(seconds) <= MAX_OFFSET) {
            return ZoneOffset.ofTotalSeconds((int) seconds);
        }
        if (seconds > TWO_POW_32 - MAX_OFFSET - 3600) {
            // Sepiola: negative offsets computed in unsigned 32-bit arithmetic; the seconds were cut off.
            long corrected = Math.round((seconds - TWO_POW_32) / 900.0) * 900;
            return Math.abs(corrected) <= MAX_OFFSET ? ZoneOffset.ofTotalSeconds((int) corrected) : null;
        }
        long shifted = seconds > 0 ? seconds - 86_400 : seconds + 86_400; // Perl: no day wrap
        return Math.abs(shifted) <= MAX_OFFSET ? ZoneOffset.ofTotalSeconds((int) shifted) : null;
    }

    private static Parsed inZone(LocalDateTime local, ZoneId zone, String repair) {
        Instant instant = local.atZone(zone).toInstant();
        return new Parsed(instant, zone.getRules().getOffset(instant), repair);
    }
}
