package dev.vigil.rules.job;

import dev.vigil.model.Alert;
import dev.vigil.model.BackupEvent;
import dev.vigil.model.EventType;
import dev.vigil.model.Outcome;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * What the rules know about one job, kept in a state store (backed by a changelog topic) under the job key.
 *
 * @param recentEventIds      ids of the last events, so a retried hook is not counted twice
 * @param consecutiveFailures failed runs since the last successful one
 * @param openAlerts          the alerts of this job that are FIRING, by rule
 */
public record JobState(List<String> recentEventIds, Instant lastEventAt, Instant lastStartAt, Instant lastEndAt,
                       Outcome lastOutcome, Instant lastSuccessAt, int consecutiveFailures,
                       Map<String, Alert> openAlerts) {

    static final int REMEMBERED_EVENT_IDS = 64;

    public static final JobState EMPTY = new JobState(List.of(), null, null, null, null, null, 0, Map.of());

    public JobState {
        recentEventIds = recentEventIds == null ? List.of() : List.copyOf(recentEventIds);
        openAlerts = openAlerts == null ? Map.of() : Map.copyOf(openAlerts);
    }

    public boolean hasSeen(String eventId) {
        return recentEventIds.contains(eventId);
    }

    /** The state after {@code event}: the facts every rule reads. */
    public JobState after(BackupEvent event) {
        List<String> ids = new ArrayList<>(recentEventIds);
        ids.add(event.id());
        if (ids.size() > REMEMBERED_EVENT_IDS) {
            ids.subList(0, ids.size() - REMEMBERED_EVENT_IDS).clear();
        }
        Instant at = event.occurredAt() != null ? event.occurredAt() : event.receivedAt();
        Instant startAt = event.type() == EventType.BACKUP_STARTED ? at : lastStartAt;
        Instant endAt = lastEndAt;
        Outcome outcome = lastOutcome;
        Instant successAt = lastSuccessAt;
        int failures = consecutiveFailures;
        if (isRunVerdict(event)) {
            endAt = at;
            outcome = event.outcome();
            switch (event.outcome()) {
                case FAILED -> failures++;
                case SUCCESS, WARNING -> {
                    failures = 0;
                    successAt = at;
                }
                default -> { }
            }
        }
        return new JobState(ids, at, startAt, endAt, outcome, successAt, failures, openAlerts);
    }

    /** Events that end a run with a verdict on it. */
    public static boolean isRunVerdict(BackupEvent event) {
        return event.outcome() != Outcome.NONE && switch (event.type()) {
            case BACKUP_FINISHED, SOURCE_FINISHED, FATAL_ERROR -> true;
            default -> false;
        };
    }

    public JobState withAlert(Alert alert) {
        Map<String, Alert> alerts = new HashMap<>(openAlerts);
        switch (alert.status()) {
            case FIRING -> alerts.put(alert.rule(), alert);
            case RESOLVED -> alerts.remove(alert.rule());
        }
        return new JobState(recentEventIds, lastEventAt, lastStartAt, lastEndAt, lastOutcome, lastSuccessAt,
                consecutiveFailures, alerts);
    }
}
