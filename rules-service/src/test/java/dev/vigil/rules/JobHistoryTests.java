package dev.vigil.rules;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.model.BackupEvent;
import dev.vigil.model.EventType;
import dev.vigil.model.JobKey;
import dev.vigil.model.Outcome;
import dev.vigil.rules.job.JobHistory;
import dev.vigil.rules.job.JobProcessor;
import dev.vigil.rules.job.JobState;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.kafka.streams.state.KeyValueStore;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Each job's last events in their own store: a ring of slots, placed at their records, moved from old states. */
class JobHistoryTests {

    private static final Instant T0 = Instant.parse("2026-03-02T08:00:00Z");
    private static final JobKey JOB = new JobKey("acme", "3723707", "nightly");
    private static final JobKey OTHER = new JobKey("acme", "3723707", "nightly2");
    private final RulesDriver rules = new RulesDriver(Map.of(), T0);

    @AfterEach
    void stop() {
        rules.close();
    }

    @Test
    void theLastTwentyEventsOldestFirstEachAtItsRecord() {
        for (int i = 0; i < 45; i++) {
            rules.send(rules.event(i % 2 == 0 ? JOB : OTHER, i % 4 < 2 ? EventType.BACKUP_STARTED : EventType.BACKUP_FINISHED,
                    i % 4 < 2 ? Outcome.NONE : Outcome.SUCCESS, T0.plusSeconds(60L * i), Map.of()));
        }
        List<JobState.Entry> history = rules.history(JOB);
        assertThat(history).hasSize(JobHistory.REMEMBERED);
        // JOB had the even events 0..44 (23 of them): the last 20 are events 6..44, in order
        assertThat(history).extracting(JobState.Entry::at)
                .isSorted()
                .startsWith(T0.plusSeconds(60L * 6)).endsWith(T0.plusSeconds(60L * 44));
        assertThat(history).extracting(JobState.Entry::offset).doesNotContainNull().doesNotHaveDuplicates();
        assertThat(history).extracting(JobState.Entry::partition).containsOnly(0);
        assertThat(rules.history(OTHER)).hasSize(JobHistory.REMEMBERED)
                .extracting(JobState.Entry::at).endsWith(T0.plusSeconds(60L * 43));
        assertThat(rules.state(JOB).history()).as("the state itself keeps none").isEmpty();
        assertThat(rules.state(JOB).historyNext()).isEqualTo(23);
    }

    @Test
    void aStateWrittenWithItsHistoryInsideIsReadAsItWasAndMovedAtTheNextEvent() {
        rules.send(rules.event(JOB, EventType.BACKUP_STARTED, Outcome.NONE, T0, Map.of()));
        KeyValueStore<String, JobState> store = rules.driver.getKeyValueStore(JobProcessor.STORE);
        JobState current = rules.state(JOB);
        List<JobState.Entry> legacy = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            legacy.add(new JobState.Entry(T0.minusSeconds(3600L * (3 - i)), EventType.BACKUP_FINISHED, Outcome.SUCCESS,
                    "old-" + i, null, 0, (long) i));
        }
        // as an older version stored it: the history inside the state, no sequence number
        JobState old = new JobState(current.lastEventAt(), current.lastStartAt(), current.lastEndAt(),
                current.lastOutcome(), current.lastSuccessAt(), current.consecutiveFailures(), current.failedRunCounted(),
                current.lastFailedRunId(), current.openAlerts(), current.schedule(), current.nextRunAt(),
                current.missedRuns(), current.runningSince(), current.recentRuns(), current.quota(), legacy,
                current.source(), current.host(), current.runningRunId());
        store.put(JOB.asString(), old);
        // the slot written above is overwritten once the legacy entries move in: only what the state held counts
        KeyValueStore<String, JobHistory.Slot> slots = rules.driver.getKeyValueStore(JobHistory.STORE);
        slots.delete(JOB.asString() + "\u000000");
        assertThat(rules.history(JOB)).extracting(JobState.Entry::eventId).containsExactly("old-0", "old-1", "old-2");

        BackupEvent end = rules.event(JOB, EventType.BACKUP_FINISHED, Outcome.SUCCESS, T0.plusSeconds(60), Map.of());
        rules.send(end);
        assertThat(rules.history(JOB)).extracting(JobState.Entry::eventId)
                .containsExactly("old-0", "old-1", "old-2", end.id());
        assertThat(rules.state(JOB).history()).isEmpty();
        assertThat(rules.state(JOB).historyNext()).isEqualTo(4);
    }
}
