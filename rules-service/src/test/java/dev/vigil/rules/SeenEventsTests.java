package dev.vigil.rules;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.model.BackupEvent;
import dev.vigil.model.JobKey;
import dev.vigil.rules.job.JobProcessor;
import java.time.Instant;
import java.util.Map;
import org.apache.kafka.streams.state.WindowStore;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Retried hooks are recognised within the dedup window of their first ingest, on either side, wherever the window's
 * buckets fall, and ids the version before stored at their exact time are still found.
 */
class SeenEventsTests {

    static final JobKey JOB = new JobKey("acme", "3723707", "nightly");
    /** 1 h buckets start on the hour. */
    static final Map<String, String> HOUR = Map.of("vigil.rules.dedup-window", "1h");
    private RulesDriver rules;

    @AfterEach
    void stop() {
        if (rules != null) {
            rules.close();
        }
    }

    private BackupEvent failure(String id, String ingestedAt) {
        Instant at = Instant.parse(ingestedAt);
        BackupEvent any = rules.failed(JOB, at, "disk full");
        return new BackupEvent(id, any.source(), any.type(), any.outcome(), at, at, JOB, null, null, any.error(),
                Map.of(), null);
    }

    /** How many events with this id were counted (a recognised retry leaves no entry in the job's history). */
    private long kept(String id) {
        return rules.history(JOB).stream().filter(entry -> id.equals(entry.eventId())).count();
    }

    @Test
    void aRetryIsRecognisedAcrossTheEndOfABucketAndForgottenOneMillisecondAfterTheWindow() {
        rules = new RulesDriver(HOUR, Instant.parse("2026-05-10T00:00:00Z"));
        rules.send(failure("f1", "2026-05-10T00:59:59.999Z"));
        assertThat(kept("f1")).isEqualTo(1);
        rules.send(failure("f1", "2026-05-10T01:00:00.000Z"));
        rules.send(failure("f1", "2026-05-10T01:59:59.999Z"));
        assertThat(kept("f1")).as("retries in the next bucket, up to exactly 1 h after").isEqualTo(1);
        rules.send(failure("f1", "2026-05-10T02:00:00.000Z"));
        assertThat(kept("f1")).as("1 h 1 ms after: a new event").isEqualTo(2);
    }

    @Test
    void aRetryLateByLessThanAWindowIsRecognisedAfterANewerBucketWasWritten() {
        rules = new RulesDriver(HOUR, Instant.parse("2026-05-10T00:00:00Z"));
        rules.send(failure("f1", "2026-05-10T00:59:59.000Z"));
        JobKey other = new JobKey("acme", "3723707", "weekly");
        BackupEvent any = rules.failed(other, Instant.parse("2026-05-10T02:00:00Z"), "disk full");
        rules.send(any); // the task's newest bucket is now 02:00
        // the retry went through another gateway replica and reached the partition after that one
        rules.send(failure("f1", "2026-05-10T01:59:58.000Z"));
        assertThat(kept("f1")).isEqualTo(1);
    }

    @Test
    void aRetryStampedBeforeTheFirstIngestIsRecognisedAcrossTheStartOfABucket() {
        rules = new RulesDriver(HOUR, Instant.parse("2026-05-10T00:00:00Z"));
        rules.send(failure("f1", "2026-05-10T01:00:00.001Z"));
        // another gateway replica's clock, a little behind: the retry's ingest time is in the bucket before
        rules.send(failure("f1", "2026-05-10T00:59:59.999Z"));
        rules.send(failure("f1", "2026-05-10T00:00:00.001Z"));
        assertThat(kept("f1")).isEqualTo(1);
        rules.send(failure("f1", "2026-05-10T00:00:00.000Z"));
        assertThat(kept("f1")).as("1 h 1 ms before the first: a new event (kept in the history, late)").isEqualTo(2);
    }

    @Test
    void idsTheVersionBeforeKeptAtTheirExactTimeAreFoundUntilTheWindowHasPassed() {
        Instant first = Instant.parse("2026-05-10T00:17:23.456Z");
        rules = new RulesDriver(HOUR, first);
        WindowStore<String, Long> seen = rules.driver.getWindowStore(JobProcessor.SEEN_STORE);
        seen.put(JOB.asString() + "\u0000old", first.toEpochMilli(), first.toEpochMilli());

        rules.send(failure("new", "2026-05-10T00:30:00Z"));
        assertThat(kept("new")).isEqualTo(1);
        rules.send(failure("old", "2026-05-10T01:10:00Z"));
        assertThat(kept("old")).as("a retry of an id kept by the version before").isZero();
        rules.send(failure("new", "2026-05-10T01:25:00Z"));
        assertThat(kept("new")).as("a retry of an id kept in its bucket").isEqualTo(1);
        rules.send(failure("old", "2026-05-10T01:17:23.457Z"));
        assertThat(kept("old")).as("1 h 1 ms after the old id: a new event").isEqualTo(1);
    }
}
