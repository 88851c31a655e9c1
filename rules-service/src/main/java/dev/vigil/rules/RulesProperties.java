package dev.vigil.rules;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Rule settings.
 *
 * @param failedBackup   the failed-backup rule
 * @param schedule       missed-schedule detection
 * @param quota          the quota rules
 * @param anomaly        the learned baseline
 * @param login          repeated failed logins (Retrospect PasswordEntry)
 * @param clientVersions minimum client version per client identifier (stoney's {@code client/identifier})
 * @param neverUsed      accounts that never sent an event
 * @param media          Retrospect media requests
 * @param dedupWindow    how long an event id is remembered per job: the same id within it is a retried hook
 */
@ConfigurationProperties("vigil.rules")
public record RulesProperties(@DefaultValue FailedBackup failedBackup, @DefaultValue ScheduleSettings schedule,
                              @DefaultValue Quota quota, @DefaultValue Anomaly anomaly, @DefaultValue Login login,
                              @DefaultValue Map<String, String> clientVersions, @DefaultValue NeverUsed neverUsed,
                              @DefaultValue Media media, @DefaultValue("7d") Duration dedupWindow) {

    /** @param waitMinutes how long Retrospect may wait for media before it is an alert */
    public record Media(@DefaultValue("60") int waitMinutes) {
    }

    /** @param after how long an account may exist without a single event before "never used" is raised */
    public record NeverUsed(@DefaultValue("30d") Duration after) {
    }

    /** @param consecutiveFailures failed runs in a row before the alert fires (stoney's "after how many") */
    public record FailedBackup(@DefaultValue("1") int consecutiveFailures) {
    }

    /**
     * @param startGrace  how late a run may start before it counts as missed
     * @param tolerance   how early a run may start and still count for the expected one
     * @param maxRunTime  how long a started run may take before it counts as failed
     * @param jobs        schedules set in configuration, for sources that do not declare one
     * @param ingestGap   heartbeats further apart than this mean Vigil was not ingesting in between (an outage)
     * @param outageSettle after an outage, how long deadlines that fell into it wait for the hooks clients held
     *                    back (spools, retries with back-off) before they are judged
     */
    public record ScheduleSettings(@DefaultValue("1h") Duration startGrace, @DefaultValue("15m") Duration tolerance,
                                   @DefaultValue("24h") Duration maxRunTime, @DefaultValue List<JobSchedule> jobs,
                                   @DefaultValue("15s") Duration ingestGap, @DefaultValue("10m") Duration outageSettle) {
    }

    /** @param job the job key ({@code tenant/account/job}); @param cron five fields; @param zone e.g. Europe/Zurich */
    public record JobSchedule(String job, String cron, @DefaultValue("UTC") String zone) {
    }

    /**
     * @param thresholdPercent used share above which the quota alert fires (an account's own setting wins)
     * @param hysteresisPercent how far below the threshold it must fall before the alert resolves
     * @param forecastDays     warn when the trend reaches 100 % within this many days
     */
    public record Quota(@DefaultValue("80") double thresholdPercent, @DefaultValue("5") double hysteresisPercent,
                        @DefaultValue("7") int forecastDays) {
    }

    /**
     * @param minHistory successful runs needed before a baseline is trusted
     * @param deviation  robust z-score (median and MAD) beyond which a run is unusual
     * @param minChange  relative change from the median a run must also show (0.5 = 50 %)
     */
    public record Anomaly(@DefaultValue("5") int minHistory, @DefaultValue("3.5") double deviation,
                          @DefaultValue("0.5") double minChange) {
    }

    /** @param failedAttempts failed attempts of one PasswordEntry that count as a security signal */
    public record Login(@DefaultValue("3") int failedAttempts) {
    }
}
