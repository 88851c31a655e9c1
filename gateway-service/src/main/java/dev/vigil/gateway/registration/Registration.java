package dev.vigil.gateway.registration;

import dev.vigil.model.Source;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;
import java.time.ZoneId;
import java.util.Map;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * One caller Vigil knows: a Retrospect server, an XSIBackup host, a ping check.
 *
 * @param id      a name that is safe to log and to put in event ids (never the token)
 * @param token   the secret the caller presents; for XSIBackup and pings it is part of the URL
 * @param job     the job name when the source does not say one
 * @param reply   the body XSIBackup expects back (the part after {@code |} in {@code --on-error=URL|OK})
 * @param zone    the time zone of dates the source writes without one (Retrospect, stoney fallback)
 * @param rateLimit calls per second this caller may make (bursts of twice as many); 0 for no limit
 * @param schedule  when the caller's jobs are expected to run, for sources that do not say it themselves: a
 *                  five-field cron in {@code zone}, or a period such as {@code 1d} (at least one run per period)
 */
public record Registration(@NotBlank String id, @NotBlank @Size(min = 16) String token, @NotNull Source source,
                           @NotBlank String tenant, @NotBlank String account, String job,
                           @DefaultValue("OK") String reply, @DefaultValue("UTC") ZoneId zone,
                           @DefaultValue("50") double rateLimit, String schedule) {

    /** The attributes that tell the rules when this caller's jobs are expected, added to each of its events. */
    public Map<String, String> scheduleAttributes() {
        return scheduleAttributes(null);
    }

    /**
     * As {@link #scheduleAttributes()}, with {@code fallback} (a period such as {@code 1d}, or {@code null}) standing for
     * the schedule of a registration that has none.
     */
    public Map<String, String> scheduleAttributes(String fallback) {
        String value = schedule == null || schedule.isBlank() ? fallback : schedule.strip();
        if (value == null || value.isBlank()) {
            return Map.of();
        }
        if (value.matches("\\d+[smhd]")) {
            return Map.of("schedule.kind", "period", "schedule.period", value);
        }
        return Map.of("schedule.kind", "registration", "schedule.cron", value, "schedule.zone", zone.getId());
    }

    /**
     * Refuses, at start, what would make its events unusable: the reserved tenant {@code vigil}, a tenant or account
     * with {@code /}, a cron that does not parse, a period outside 1 s – 366 d.
     *
     * @throws IllegalStateException naming the registration and what is wrong
     */
    public void validate() {
        if (dev.vigil.kafka.IngestControl.RESERVED_TENANT.equals(tenant) || tenant.contains("/")
                || account.contains("/")) {
            throw new IllegalStateException("registration '" + id + "': tenant '"
                    + dev.vigil.kafka.IngestControl.RESERVED_TENANT + "' is reserved, and tenant and account may not "
                    + "contain '/'");
        }
        if (schedule == null || schedule.isBlank()) {
            return;
        }
        String value = schedule.strip();
        if (value.matches("\\d+[smhd]")) {
            long amount;
            try {
                amount = Long.parseLong(value.substring(0, value.length() - 1));
            } catch (NumberFormatException e) {
                amount = Long.MAX_VALUE;
            }
            long seconds = switch (value.charAt(value.length() - 1)) {
                case 's' -> amount;
                case 'm' -> amount > 1_000_000 ? Long.MAX_VALUE : amount * 60;
                case 'h' -> amount > 100_000 ? Long.MAX_VALUE : amount * 3_600;
                default -> amount > 1_000 ? Long.MAX_VALUE : amount * 86_400;
            };
            if (seconds < 1 || seconds > 366L * 86_400) {
                throw new IllegalStateException("registration '" + id + "': schedule period '" + value
                        + "' is not between 1s and 366d");
            }
            return;
        }
        if (value.split("\\s+").length != 5) {
            throw new IllegalStateException("registration '" + id + "': schedule '" + value + "' is neither a period "
                    + "(90m, 1d) nor a five-field cron (minute hour day-of-month month day-of-week, e.g. 0 2 * * *)");
        }
        try {
            org.springframework.scheduling.support.CronExpression.parse("0 " + value);
        } catch (IllegalArgumentException e) {
            throw new IllegalStateException("registration '" + id + "': schedule '" + value + "' is neither a period "
                    + "(90m, 1d) nor a five-field cron (minute hour day-of-month month day-of-week, e.g. 0 2 * * *)", e);
        }
    }

    /** The account a call acts for: the registration's own, or the one in the URL when it may act for any ("*"). */
    public boolean actsFor(String accountInPath) {
        return "*".equals(account) || account.equals(accountInPath);
    }

    @Override
    public String toString() {
        return "Registration[id=" + id + ", source=" + source + ", tenant=" + tenant + ", account=" + account + "]";
    }
}
