package dev.vigil.rules.schedule;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.zone.ZoneRules;
import java.util.List;
import org.springframework.scheduling.support.CronExpression;

/**
 * When a job is expected to run: a cron (five fields, in a zone) or an interval after the last run (stoney's
 * "after startup": a run at least every 7 days).
 * <p><b>Daylight saving time</b> follows cron(8) of Debian (Vixie cron), which systemd timers match for fixed
 * times: a job "that runs at a particular time" — neither its minute nor its hour field has a {@code *} — and whose
 * time falls into the hour skipped in spring is expected right after the jump (02:30 in Europe/Zurich on the last
 * Sunday of March is expected at 03:00 CEST); a time that occurs twice in autumn is expected once, at its first
 * occurrence. A job with a wildcard in the minute or hour field runs "based on the new time": skipped times are not
 * expected, repeated ones are expected on both passes.
 * <p>When both the day of month and the day of week are restricted ({@code 0 2 1 * 1}), a day that matches either
 * is a run day, as cron(8) says (Spring's {@link CronExpression} alone would want both).
 *
 * @param origin who said so: {@code stoney}, {@code retrospect}, {@code config}, {@code registration}
 */
public record Schedule(String cron, String zone, Duration interval, String origin) {

    public static Schedule cron(String cron, String zone, String origin) {
        CronExpression.parse("0 " + cron); // refuse a broken cron where it is declared
        ZoneId.of(zone);
        return new Schedule(cron, zone, null, origin);
    }

    public static Schedule interval(Duration interval, String origin) {
        return new Schedule(null, null, interval, origin);
    }

    /**
     * The first expected run strictly after {@code after}; for an interval, {@code after} is the last run.
     *
     * @return the instant, or {@code null} when the cron never fires again
     */
    public Instant next(Instant after) {
        if (interval != null) {
            return after.plus(interval);
        }
        String[] fields = cron.strip().split("\\s+");
        if (fields.length == 5 && restricted(fields[2]) && restricted(fields[4])) {
            // cron(8): with both the day of month and the day of week restricted, a day matching either is a run day
            Instant byMonthDay = next(after, String.join(" ", fields[0], fields[1], fields[2], fields[3], "*"));
            Instant byWeekDay = next(after, String.join(" ", fields[0], fields[1], "*", fields[3], fields[4]));
            return byMonthDay == null ? byWeekDay : byWeekDay == null || byMonthDay.isBefore(byWeekDay) ? byMonthDay
                    : byWeekDay;
        }
        return next(after, cron);
    }

    /** A day field cron(8) counts as restricted: one that does not start with {@code *} (nor is {@code ?}). */
    private static boolean restricted(String field) {
        return !field.startsWith("*") && !field.equals("?");
    }

    private Instant next(Instant after, String cron) {
        CronExpression expression = CronExpression.parse("0 " + cron);
        ZoneId zoneId = ZoneId.of(zone);
        if (hasWildcardTime()) {
            ZonedDateTime next = expression.next(after.atZone(zoneId));
            return next == null ? null : next.toInstant();
        }
        ZoneRules rules = zoneId.getRules();
        LocalDateTime local = LocalDateTime.ofInstant(after, zoneId);
        for (int i = 0; i < 4; i++) {
            LocalDateTime candidate = expression.next(local);
            if (candidate == null) {
                return null;
            }
            List<ZoneOffset> offsets = rules.getValidOffsets(candidate);
            Instant at = offsets.isEmpty()
                    ? rules.getTransition(candidate).getInstant() // in the skipped hour: right after the jump
                    : candidate.toInstant(offsets.get(0)); // a repeated time: its first occurrence
            if (at.isAfter(after)) {
                return at;
            }
            local = candidate; // the repeated time's second pass, already expected on its first
        }
        return null;
    }

    /** A {@code *} in the minute or hour field (cron(8): such jobs run "based on the new time"). */
    private boolean hasWildcardTime() {
        String[] fields = cron.strip().split("\\s+");
        return fields.length < 2 || fields[0].contains("*") || fields[1].contains("*");
    }

    /** A readable form for alert details. */
    public String describe() {
        if (interval != null) {
            return interval.toDays() >= 1 && interval.toHours() % 24 == 0 ? "at least every " + interval.toDays() + " days"
                    : "at least every " + dev.vigil.rules.job.JobProcessor.human(interval);
        }
        return "cron '" + cron + "' in " + zone;
    }
}
