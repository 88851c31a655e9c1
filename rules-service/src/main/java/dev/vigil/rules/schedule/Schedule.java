package dev.vigil.rules.schedule;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import org.springframework.scheduling.support.CronExpression;

/**
 * When a job is expected to run: a cron (five fields, in a zone) or an interval after the last run (stoney's
 * "after startup": a run at least every 7 days).
 *
 * @param origin who said so: {@code stoney}, {@code retrospect}, {@code config}
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

    /** The first expected run strictly after {@code after}; for an interval, {@code after} is the last run. */
    public Instant next(Instant after) {
        if (interval != null) {
            return after.plus(interval);
        }
        ZonedDateTime next = CronExpression.parse("0 " + cron).next(after.atZone(ZoneId.of(zone)));
        return next == null ? null : next.toInstant();
    }

    /** A readable form for alert details. */
    public String describe() {
        return interval != null ? "at least every " + interval.toDays() + " days" : "cron '" + cron + "' in " + zone;
    }
}
