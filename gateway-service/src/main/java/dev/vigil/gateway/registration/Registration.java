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
        if (schedule == null || schedule.isBlank()) {
            return Map.of();
        }
        String value = schedule.strip();
        if (value.matches("\\d+[smhd]")) {
            return Map.of("schedule.kind", "period", "schedule.period", value);
        }
        return Map.of("schedule.kind", "registration", "schedule.cron", value, "schedule.zone", zone.getId());
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
