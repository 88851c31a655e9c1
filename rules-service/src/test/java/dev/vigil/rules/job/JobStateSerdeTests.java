package dev.vigil.rules.job;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.vigil.kafka.StateSerde;
import dev.vigil.model.Alert;
import dev.vigil.model.AlertStatus;
import dev.vigil.model.EventType;
import dev.vigil.model.JobKey;
import dev.vigil.model.Json;
import dev.vigil.model.Outcome;
import dev.vigil.model.Severity;
import dev.vigil.model.Source;
import dev.vigil.rules.schedule.Schedule;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.Serde;
import org.junit.jupiter.api.Test;

/** The job state's store format: every field kept, what the stores held before still read, garbage refused. */
class JobStateSerdeTests {

    private static final Instant T0 = Instant.parse("2026-03-29T00:59:59.123456789Z");
    private static final JobKey JOB = new JobKey("acme", "3723707", "Daily/My Computer/Mac HD");
    private final Serde<JobState> serde = JobStateSerde.jobState();

    /** A state with every field set, nested ones included, and values at their edges. */
    static JobState full() {
        Alert open = new Alert(Alert.fingerprint("failed-backup", JOB), "failed-backup", Severity.CRITICAL,
                AlertStatus.FIRING, JOB, Source.XSIBACKUP, "Backup failed: ünïcödé ✓", Map.of("host", "esxi-01",
                "exitCode", "1"), T0, null, "e-1");
        Alert quota = new Alert(Alert.fingerprint("quota", JOB), "quota", null, AlertStatus.FIRING, JOB, null, null,
                Map.of(), Instant.EPOCH.minusSeconds(1), null, null);
        List<JobState.Run> runs = new ArrayList<>();
        runs.add(new JobState.Run(T0, 1L << 40, null, 3600L));
        runs.add(new JobState.Run(T0.plusSeconds(86_400), Long.MAX_VALUE, 0L, null));
        runs.add(new JobState.Run(null, null, null, null));
        List<JobState.QuotaPoint> quotaPoints = List.of(new JobState.QuotaPoint(T0, 0, Long.MAX_VALUE),
                new JobState.QuotaPoint(Instant.parse("9999-12-31T23:59:59.999999999Z"), -1, 10));
        List<JobState.Entry> history = List.of(
                new JobState.Entry(T0, EventType.BACKUP_FINISHED, Outcome.FAILED, "e-1", "x".repeat(200), 2, 123_456L),
                new JobState.Entry(null, null, null, null, null, null, null));
        return new JobState(T0, T0.minusSeconds(60), T0, Outcome.FAILED, Instant.parse("1970-01-01T00:00:00Z"), 3,
                true, "run-7", Map.of(open.rule(), open, quota.rule(), quota), Schedule.cron("30 2 * * *",
                "Europe/Zurich", "stoney"), T0.plus(Duration.ofDays(1)), 2, T0.minusSeconds(60), runs, quotaPoints,
                history, Source.RETROSPECT, "mac-hd", "rid-1", 1L << 33, T0.plusSeconds(600).plusNanos(7));
    }

    @Test
    void everyFieldIsKept() {
        JobState full = full();
        byte[] bytes = serde.serializer().serialize("t", full);
        assertThat(bytes[0]).isEqualTo(JobStateSerde.PROTOBUF);
        assertThat(serde.deserializer().deserialize("t", bytes)).isEqualTo(full);

        JobState interval = JobState.EMPTY.withSchedule(Schedule.interval(Duration.ofDays(7).plusNanos(5), "stoney"),
                null, 0);
        assertThat(serde.deserializer().deserialize("t", serde.serializer().serialize("t", interval))).isEqualTo(interval);
        assertThat(serde.deserializer().deserialize("t", serde.serializer().serialize("t", JobState.EMPTY)))
                .isEqualTo(JobState.EMPTY);
        assertThat(serde.serializer().serialize("t", null)).isNull();
        assertThat(serde.deserializer().deserialize("t", null)).isNull();
    }

    @Test
    void smallerThanTheSmileItReplaces() {
        JobState full = full();
        assertThat(serde.serializer().serialize("t", full).length)
                .isLessThan(StateSerde.of(JobState.class).serializer().serialize("t", full).length);
    }

    @Test
    void whatTheStoresHeldBeforeIsReadAsItWas() {
        JobState full = full();
        byte[] smile = StateSerde.of(JobState.class).serializer().serialize("t", full);
        byte[] json = Json.mapper().writeValueAsBytes(full);
        assertThat(serde.deserializer().deserialize("t", smile)).isEqualTo(full);
        assertThat(serde.deserializer().deserialize("t", json)).isEqualTo(full);

        Serde<JobHistory.Slot> slots = JobStateSerde.historySlot();
        JobHistory.Slot slot = new JobHistory.Slot(41, full.history().get(0));
        assertThat(slots.deserializer().deserialize("t", slots.serializer().serialize("t", slot))).isEqualTo(slot);
        assertThat(slots.deserializer().deserialize("t", StateSerde.of(JobHistory.Slot.class).serializer()
                .serialize("t", slot))).isEqualTo(slot);
    }

    /** As the version before wrote a state: its history inside, no {@code historyNext}, in Smile or in JSON. */
    @Test
    void aStateWrittenBeforeTheHistoryHadItsOwnStoreIsRead() {
        JobState full = full();
        tools.jackson.databind.node.ObjectNode old = Json.mapper().valueToTree(full);
        old.remove("historyNext");
        old.remove("heldUntil");
        byte[] json = Json.mapper().writeValueAsBytes(old);
        byte[] smile = tools.jackson.dataformat.smile.SmileMapper.builder().build().writeValueAsBytes(old);
        assertThat(new String(json, java.nio.charset.StandardCharsets.UTF_8)).doesNotContain("historyNext");
        JobState expected = new JobState(full.lastEventAt(), full.lastStartAt(), full.lastEndAt(), full.lastOutcome(),
                full.lastSuccessAt(), full.consecutiveFailures(), full.failedRunCounted(), full.lastFailedRunId(),
                full.openAlerts(), full.schedule(), full.nextRunAt(), full.missedRuns(), full.runningSince(),
                full.recentRuns(), full.quota(), full.history(), full.source(), full.host(), full.runningRunId());
        assertThat(serde.deserializer().deserialize("t", json)).isEqualTo(expected);
        assertThat(serde.deserializer().deserialize("t", smile)).isEqualTo(expected);
    }

    @Test
    void bytesThatAreNoStateAreRefusedAsSuch() {
        byte[] truncated = serde.serializer().serialize("t", full());
        // cut inside the last field (a message: its length names a byte that is not there); a cut between two fields
        // would be a valid state with fewer fields, which protobuf cannot tell from one
        byte[] cut = java.util.Arrays.copyOf(truncated, truncated.length - 1);
        assertThatThrownBy(() -> serde.deserializer().deserialize("t", cut)).isInstanceOf(SerializationException.class);
        assertThatThrownBy(() -> serde.deserializer().deserialize("t", new byte[] {1, (byte) 0xff, (byte) 0xff}))
                .isInstanceOf(SerializationException.class);
    }
}
