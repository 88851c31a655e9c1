package dev.vigil.rules.schedule;

import dev.vigil.model.BackupEvent;
import dev.vigil.rules.job.JobState;
import java.time.Duration;
import java.time.Instant;
import dev.vigil.rules.job.Values;
import java.util.Objects;

/**
 * Keeps a job's expected next run up to date from what the sources say:
 * <ol>
 *   <li>a stoney {@code scheduler.xml}: a cron in the client's zone, "after startup" (at least weekly), or none;</li>
 *   <li>Retrospect's NextExec / ScriptCheckFailed: the next run's date, once;</li>
 *   <li>a schedule from configuration, for jobs whose source declares none;</li>
 *   <li>a schedule on the caller's registration (a cron or a period), carried by its run events;</li>
 *   <li>a run that starts no earlier than the expected time minus a tolerance fulfils it, and the next one is
 *       computed from the schedule.</li>
 * </ol>
 */
public final class ScheduleTracker {

    static final Duration AFTER_STARTUP = Duration.ofDays(7);
    static final String REGISTRATION = "registration";
    static final String CONFIG = "config";
    private final Duration tolerance;

    public ScheduleTracker(Duration tolerance) {
        this.tolerance = tolerance;
    }

    /** Where an announced next run may lie: a Retrospect date further ahead is not a schedule (counted, ignored). */
    static final Duration MAX_ANNOUNCED = Duration.ofDays(400);

    public JobState apply(BackupEvent event, JobState state, Schedule configured) {
        Instant at = JobState.at(event);
        Schedule schedule = state.schedule();
        Instant next = state.nextRunAt();
        int missed = state.missedRuns();
        if (schedule == null && next == null && configured != null) {
            schedule = configured;
            next = schedule.next(at);
        }
        // The registration's and the configuration's schedule are read again from every run: the latest wins, and a
        // schedule taken off the registration stops being expected.
        if (JobState.isRun(event) && (schedule == null || REGISTRATION.equals(schedule.origin())
                || CONFIG.equals(schedule.origin()))) {
            Schedule wanted = fromRegistration(event);
            if (wanted == null) {
                wanted = configured;
            }
            if (!Objects.equals(wanted, schedule)) {
                schedule = wanted;
                next = null;
                missed = 0;
            }
        }
        switch (event.type()) {
            case SCHEDULE_DECLARED -> {
                String kind = event.attributes().getOrDefault("schedule.kind", "");
                switch (kind) {
                    case "custom" -> {
                        try {
                            schedule = Schedule.cron(event.attributes().get("schedule.cron"),
                                    event.attributes().getOrDefault("schedule.zone", "UTC"), event.source().name().toLowerCase());
                            next = schedule.next(at);
                        } catch (RuntimeException e) {
                            Values.ignored("schedule.cron");
                            schedule = null; // an unreadable schedule expects nothing rather than raise false alarms
                            next = null;
                        }
                        missed = 0;
                    }
                    case "after_startup" -> {
                        schedule = Schedule.interval(AFTER_STARTUP, event.source().name().toLowerCase());
                        Instant last = lastRun(state);
                        next = (last != null && last.isAfter(at.minus(AFTER_STARTUP)) ? last : at).plus(AFTER_STARTUP);
                        missed = 0;
                    }
                    case "none" -> {
                        schedule = null;
                        next = null;
                        missed = 0;
                    }
                    default -> { }
                }
            }
            case NEXT_EXECUTION, SCRIPT_CHECK_FAILED -> {
                Instant announced = Values.instant(event.attributes().get("nextRunAt"), "nextRunAt");
                if (announced != null && announced.isAfter(at.plus(MAX_ANNOUNCED))) {
                    Values.ignored("nextRunAt");
                    announced = null;
                }
                if (announced != null && announced.isAfter(at) && (schedule == null || next == null)) {
                    next = announced;
                }
            }
            default -> { }
        }
        if (JobState.isRun(event)) {
            if (next != null && !at.isBefore(next.minus(tolerance))) {
                next = schedule == null ? null : schedule.next(at);
                missed = 0;
            } else if (next == null && schedule != null) {
                next = schedule.next(at);
            }
            if (schedule != null && schedule.interval() != null) {
                next = at.plus(schedule.interval());
                missed = 0;
            }
        }
        return state.withSchedule(schedule, next, missed);
    }

    /** The schedule a registration attached to the event ({@code schedule.kind} registration or period). */
    private static Schedule fromRegistration(BackupEvent event) {
        var attributes = event.attributes();
        switch (attributes.getOrDefault("schedule.kind", "")) {
            case "registration" -> {
                try {
                    return Schedule.cron(attributes.get("schedule.cron"), attributes.getOrDefault("schedule.zone", "UTC"),
                            REGISTRATION);
                } catch (RuntimeException e) {
                    Values.ignored("schedule.cron");
                    return null; // an unreadable schedule expects nothing rather than raise false alarms
                }
            }
            case "period" -> {
                Duration period = Values.period(attributes.get("schedule.period"), "schedule.period");
                return period == null ? null : Schedule.interval(period, REGISTRATION);
            }
            default -> {
                return null;
            }
        }
    }

    /** True when no run started or ended since {@code expected} minus the tolerance. */
    public boolean missed(JobState state, Instant expected) {
        Instant last = lastRun(state);
        return last == null || last.isBefore(expected.minus(tolerance));
    }

    private static Instant lastRun(JobState state) {
        Instant start = state.lastStartAt();
        Instant end = state.lastEndAt();
        if (start == null) {
            return end;
        }
        return end == null || start.isAfter(end) ? start : end;
    }
}
