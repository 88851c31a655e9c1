package dev.vigil.rules.job;

import com.google.protobuf.CodedInputStream;
import com.google.protobuf.CodedOutputStream;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.MessageLite;
import dev.vigil.kafka.StateSerde;
import dev.vigil.model.Alert;
import dev.vigil.model.AlertStatus;
import dev.vigil.model.EventType;
import dev.vigil.model.JobKey;
import dev.vigil.model.Outcome;
import dev.vigil.model.Severity;
import dev.vigil.model.Source;
import dev.vigil.rules.job.proto.Time;
import dev.vigil.rules.schedule.Schedule;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.serialization.Serializer;

/**
 * The format of the rules' job states ({@link JobState}) and history slots ({@link JobHistory.Slot}) in their state
 * stores and changelogs: one byte {@code 0x01}, then the value as Protocol Buffers ({@code src/main/protobuf/job_state.proto}:
 * fields by number, no names, integers as varints, instants as seconds and nanoseconds). A job's state is read and
 * written for every event, so it is kept in the form that is cheapest to read and write, and smallest on the changelog.
 *
 * <p>Reading also accepts what the stores held before, Jackson's Smile (first byte {@code ':'}) or JSON ({@code '{'})
 * through {@link StateSerde}, so existing stores and changelogs are read as they are and rewritten in this format when
 * their key next changes. {@code null} bytes are {@code null} (a tombstone). Bytes that are none of these are refused
 * with a {@link SerializationException}.
 */
public final class JobStateSerde {

    /** The first byte of a value in this format (a Smile value begins with {@code ':'}, JSON with {@code '{'}). */
    static final byte PROTOBUF = 0x01;

    private JobStateSerde() {
    }

    /** The serde of {@link JobProcessor#STORE}'s values. */
    public static Serde<JobState> jobState() {
        Deserializer<JobState> legacy = StateSerde.of(JobState.class).deserializer();
        Serializer<JobState> serializer = (topic, state) -> state == null ? null : write(toProto(state));
        Deserializer<JobState> deserializer = (topic, bytes) -> bytes == null ? null
                : isProtobuf(bytes) ? fromProto(parse(bytes, dev.vigil.rules.job.proto.JobState.parser()))
                : legacy.deserialize(topic, bytes);
        return Serdes.serdeFrom(serializer, deserializer);
    }

    /** The serde of {@link JobHistory#STORE}'s values. */
    public static Serde<JobHistory.Slot> historySlot() {
        Deserializer<JobHistory.Slot> legacy = StateSerde.of(JobHistory.Slot.class).deserializer();
        Serializer<JobHistory.Slot> serializer = (topic, slot) -> slot == null ? null
                : write(dev.vigil.rules.job.proto.HistorySlot.newBuilder().setSeq(slot.seq())
                        .setEntry(toProto(slot.entry())).build());
        Deserializer<JobHistory.Slot> deserializer = (topic, bytes) -> {
            if (bytes == null) {
                return null;
            }
            if (!isProtobuf(bytes)) {
                return legacy.deserialize(topic, bytes);
            }
            var slot = parse(bytes, dev.vigil.rules.job.proto.HistorySlot.parser());
            return new JobHistory.Slot(slot.getSeq(), fromProto(slot.getEntry()));
        };
        return Serdes.serdeFrom(serializer, deserializer);
    }

    private static boolean isProtobuf(byte[] bytes) {
        return bytes.length > 0 && bytes[0] == PROTOBUF;
    }

    private static byte[] write(MessageLite message) {
        byte[] bytes = new byte[1 + message.getSerializedSize()];
        bytes[0] = PROTOBUF;
        CodedOutputStream out = CodedOutputStream.newInstance(bytes, 1, bytes.length - 1);
        try {
            message.writeTo(out);
        } catch (IOException e) {
            throw new UncheckedIOException("an array of the message's own size", e);
        }
        out.checkNoSpaceLeft();
        return bytes;
    }

    private static <T> T parse(byte[] bytes, com.google.protobuf.Parser<T> parser) {
        try {
            return parser.parseFrom(CodedInputStream.newInstance(bytes, 1, bytes.length - 1));
        } catch (InvalidProtocolBufferException e) {
            throw new SerializationException("not a stored job state or history entry: " + e.getMessage(), e);
        }
    }

    static dev.vigil.rules.job.proto.JobState toProto(JobState s) {
        var b = dev.vigil.rules.job.proto.JobState.newBuilder();
        if (s.lastEventAt() != null) {
            b.setLastEventAt(time(s.lastEventAt()));
        }
        if (s.lastStartAt() != null) {
            b.setLastStartAt(time(s.lastStartAt()));
        }
        if (s.lastEndAt() != null) {
            b.setLastEndAt(time(s.lastEndAt()));
        }
        if (s.lastOutcome() != null) {
            b.setLastOutcome(s.lastOutcome().name());
        }
        if (s.lastSuccessAt() != null) {
            b.setLastSuccessAt(time(s.lastSuccessAt()));
        }
        b.setConsecutiveFailures(s.consecutiveFailures()).setFailedRunCounted(s.failedRunCounted());
        if (s.lastFailedRunId() != null) {
            b.setLastFailedRunId(s.lastFailedRunId());
        }
        for (Alert alert : s.openAlerts().values()) {
            b.addOpenAlerts(toProto(alert));
        }
        if (s.schedule() != null) {
            b.setSchedule(toProto(s.schedule()));
        }
        if (s.nextRunAt() != null) {
            b.setNextRunAt(time(s.nextRunAt()));
        }
        b.setMissedRuns(s.missedRuns());
        if (s.runningSince() != null) {
            b.setRunningSince(time(s.runningSince()));
        }
        for (JobState.Run run : s.recentRuns()) {
            var r = dev.vigil.rules.job.proto.Run.newBuilder();
            if (run.at() != null) {
                r.setAt(time(run.at()));
            }
            if (run.bytes() != null) {
                r.setBytes(run.bytes());
            }
            if (run.files() != null) {
                r.setFiles(run.files());
            }
            if (run.durationSeconds() != null) {
                r.setDurationSeconds(run.durationSeconds());
            }
            b.addRecentRuns(r);
        }
        for (JobState.QuotaPoint point : s.quota()) {
            var q = dev.vigil.rules.job.proto.QuotaPoint.newBuilder().setUsedBytes(point.usedBytes())
                    .setTotalBytes(point.totalBytes());
            if (point.at() != null) {
                q.setAt(time(point.at()));
            }
            b.addQuota(q);
        }
        for (JobState.Entry entry : s.history()) {
            b.addHistory(toProto(entry));
        }
        if (s.source() != null) {
            b.setSource(s.source().name());
        }
        if (s.host() != null) {
            b.setHost(s.host());
        }
        if (s.runningRunId() != null) {
            b.setRunningRunId(s.runningRunId());
        }
        if (s.heldUntil() != null) {
            b.setHeldUntil(time(s.heldUntil()));
        }
        return b.setHistoryNext(s.historyNext()).build();
    }

    static JobState fromProto(dev.vigil.rules.job.proto.JobState p) {
        Map<String, Alert> alerts = new HashMap<>();
        for (var alert : p.getOpenAlertsList()) {
            Alert open = fromProto(alert);
            alerts.put(open.rule(), open);
        }
        List<JobState.Run> runs = new ArrayList<>(p.getRecentRunsCount());
        for (var run : p.getRecentRunsList()) {
            runs.add(new JobState.Run(run.hasAt() ? instant(run.getAt()) : null,
                    run.hasBytes() ? run.getBytes() : null, run.hasFiles() ? run.getFiles() : null,
                    run.hasDurationSeconds() ? run.getDurationSeconds() : null));
        }
        List<JobState.QuotaPoint> quota = new ArrayList<>(p.getQuotaCount());
        for (var point : p.getQuotaList()) {
            quota.add(new JobState.QuotaPoint(point.hasAt() ? instant(point.getAt()) : null, point.getUsedBytes(),
                    point.getTotalBytes()));
        }
        List<JobState.Entry> history = new ArrayList<>(p.getHistoryCount());
        for (var entry : p.getHistoryList()) {
            history.add(fromProto(entry));
        }
        return new JobState(p.hasLastEventAt() ? instant(p.getLastEventAt()) : null,
                p.hasLastStartAt() ? instant(p.getLastStartAt()) : null,
                p.hasLastEndAt() ? instant(p.getLastEndAt()) : null,
                p.hasLastOutcome() ? Outcome.valueOf(p.getLastOutcome()) : null,
                p.hasLastSuccessAt() ? instant(p.getLastSuccessAt()) : null,
                p.getConsecutiveFailures(), p.getFailedRunCounted(),
                p.hasLastFailedRunId() ? p.getLastFailedRunId() : null, alerts,
                p.hasSchedule() ? fromProto(p.getSchedule()) : null,
                p.hasNextRunAt() ? instant(p.getNextRunAt()) : null, p.getMissedRuns(),
                p.hasRunningSince() ? instant(p.getRunningSince()) : null, runs, quota, history,
                p.hasSource() ? Source.valueOf(p.getSource()) : null, p.hasHost() ? p.getHost() : null,
                p.hasRunningRunId() ? p.getRunningRunId() : null, p.getHistoryNext(),
                p.hasHeldUntil() ? instant(p.getHeldUntil()) : null);
    }

    static dev.vigil.rules.job.proto.Entry toProto(JobState.Entry e) {
        var b = dev.vigil.rules.job.proto.Entry.newBuilder();
        if (e.at() != null) {
            b.setAt(time(e.at()));
        }
        if (e.type() != null) {
            b.setType(e.type().name());
        }
        if (e.outcome() != null) {
            b.setOutcome(e.outcome().name());
        }
        if (e.eventId() != null) {
            b.setEventId(e.eventId());
        }
        if (e.error() != null) {
            b.setError(e.error());
        }
        if (e.partition() != null) {
            b.setPartition(e.partition());
        }
        if (e.offset() != null) {
            b.setOffset(e.offset());
        }
        return b.build();
    }

    static JobState.Entry fromProto(dev.vigil.rules.job.proto.Entry p) {
        return new JobState.Entry(p.hasAt() ? instant(p.getAt()) : null,
                p.hasType() ? EventType.valueOf(p.getType()) : null,
                p.hasOutcome() ? Outcome.valueOf(p.getOutcome()) : null, p.hasEventId() ? p.getEventId() : null,
                p.hasError() ? p.getError() : null, p.hasPartition() ? p.getPartition() : null,
                p.hasOffset() ? p.getOffset() : null);
    }

    static dev.vigil.rules.job.proto.Alert toProto(Alert a) {
        var b = dev.vigil.rules.job.proto.Alert.newBuilder().setFingerprint(a.fingerprint()).setRule(a.rule())
                .setStatus(a.status().name()).setTenant(a.job().tenant()).setAccount(a.job().account())
                .setJob(a.job().job()).putAllDetails(a.details());
        if (a.severity() != null) {
            b.setSeverity(a.severity().name());
        }
        if (a.source() != null) {
            b.setSource(a.source().name());
        }
        if (a.summary() != null) {
            b.setSummary(a.summary());
        }
        if (a.startsAt() != null) {
            b.setStartsAt(time(a.startsAt()));
        }
        if (a.endsAt() != null) {
            b.setEndsAt(time(a.endsAt()));
        }
        if (a.eventId() != null) {
            b.setEventId(a.eventId());
        }
        return b.build();
    }

    static Alert fromProto(dev.vigil.rules.job.proto.Alert p) {
        return new Alert(p.getFingerprint(), p.getRule(), p.hasSeverity() ? Severity.valueOf(p.getSeverity()) : null,
                AlertStatus.valueOf(p.getStatus()), new JobKey(p.getTenant(), p.getAccount(), p.getJob()),
                p.hasSource() ? Source.valueOf(p.getSource()) : null, p.hasSummary() ? p.getSummary() : null,
                p.getDetailsMap(), p.hasStartsAt() ? instant(p.getStartsAt()) : null,
                p.hasEndsAt() ? instant(p.getEndsAt()) : null, p.hasEventId() ? p.getEventId() : null);
    }

    static dev.vigil.rules.job.proto.Schedule toProto(Schedule s) {
        var b = dev.vigil.rules.job.proto.Schedule.newBuilder();
        if (s.cron() != null) {
            b.setCron(s.cron());
        }
        if (s.zone() != null) {
            b.setZone(s.zone());
        }
        if (s.interval() != null) {
            b.setIntervalSeconds(s.interval().getSeconds()).setIntervalNanos(s.interval().getNano());
        }
        if (s.origin() != null) {
            b.setOrigin(s.origin());
        }
        return b.build();
    }

    static Schedule fromProto(dev.vigil.rules.job.proto.Schedule p) {
        return new Schedule(p.hasCron() ? p.getCron() : null, p.hasZone() ? p.getZone() : null,
                p.hasIntervalSeconds() ? Duration.ofSeconds(p.getIntervalSeconds(), p.getIntervalNanos()) : null,
                p.hasOrigin() ? p.getOrigin() : null);
    }

    private static Time time(Instant instant) {
        return Time.newBuilder().setSeconds(instant.getEpochSecond()).setNanos(instant.getNano()).build();
    }

    private static Instant instant(Time time) {
        return Instant.ofEpochSecond(time.getSeconds(), time.getNanos());
    }
}
