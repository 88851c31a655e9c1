package dev.vigil.rules.schedule;

import dev.vigil.rules.job.JobState;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;

/**
 * The moments at which a job's expectation turns into a verdict, in a store ordered by time: the key starts with
 * the zero-padded due time, so "everything due by T" is one range scan, however many jobs there are.
 * <ul>
 *   <li>{@code start}: the expected run plus the start grace: by then the run must have started;</li>
 *   <li>{@code finish}: a started run plus the maximum run time: by then it must have ended.</li>
 * </ul>
 * Neither is due before the job's {@link JobState#heldUntil}: after a hook its client held back, the rest of what it
 * held back is waited for.
 */
public final class Deadlines {

    public static final String STORE = "deadlines";
    public static final String START = "start";
    public static final String FINISH = "finish";

    /** One due verdict. */
    public record Deadline(Instant due, String kind, String job) {
        String key() {
            return key(due, kind, job);
        }

        static String key(Instant due, String kind, String job) {
            return millis(due.toEpochMilli()) + "|" + kind + "|" + job;
        }
    }

    private static final Instant LAST = Instant.ofEpochMilli(9_999_999_999_999L);
    private final KeyValueStore<String, String> store;
    private final Duration startGrace;
    private final Duration maxRunTime;

    public Deadlines(KeyValueStore<String, String> store, Duration startGrace, Duration maxRunTime) {
        this.store = store;
        this.startGrace = startGrace;
        this.maxRunTime = maxRunTime;
    }

    /** Moves the job's deadlines from what {@code before} expected to what {@code after} expects. */
    public void sync(String job, JobState before, JobState after) {
        move(job, START, startDue(before), startDue(after));
        move(job, FINISH, finishDue(before), finishDue(after));
    }

    /** When the expected run must have started: its time plus the start grace, not before {@code heldUntil}. */
    public Instant startDue(JobState state) {
        return state == null || state.nextRunAt() == null ? null : held(state, state.nextRunAt().plus(startGrace));
    }

    /** When the running run must have ended: its start plus the maximum run time, not before {@code heldUntil}. */
    public Instant finishDue(JobState state) {
        return state == null || state.runningSince() == null ? null : held(state, state.runningSince().plus(maxRunTime));
    }

    /**
     * When the deadline of {@code kind} fell due by the job's schedule, before any hold: what an alert's start and a
     * note about Vigil's own outage are dated by. {@code null} when the state expects nothing of the kind.
     */
    public Instant scheduledDue(JobState state, String kind) {
        if (START.equals(kind)) {
            return state.nextRunAt() == null ? null : state.nextRunAt().plus(startGrace);
        }
        return state.runningSince() == null ? null : state.runningSince().plus(maxRunTime);
    }

    /**
     * After the deadline of {@code judged} was taken off the store and judged: stores what {@code after} expects of
     * that kind (even where that is the same time, as when a hold puts several runs' deadlines at one instant) and
     * moves the other kind from {@code before}.
     */
    public void syncJudged(String job, String judged, JobState before, JobState after) {
        move(job, START, START.equals(judged) ? null : startDue(before), startDue(after));
        move(job, FINISH, FINISH.equals(judged) ? null : finishDue(before), finishDue(after));
    }

    /**
     * Stores the deadlines {@code state} expects, whatever the store held: after a deadline was found superseded,
     * so a deadline written by another version (or lost) is made again from the state, which is what counts.
     */
    public void restore(String job, JobState state) {
        move(job, START, null, startDue(state));
        move(job, FINISH, null, finishDue(state));
    }

    /** {@code due}, or the state's {@link JobState#heldUntil} where that is later (a client's held-back hooks). */
    private static Instant held(JobState state, Instant due) {
        Instant held = state.heldUntil();
        return held != null && held.isAfter(due) ? held : due;
    }

    /**
     * Whether a deadline read from the store (millisecond precision) is the one {@code expected} (any precision)
     * names: times are compared at the store's precision, so a receive time with nanoseconds still fires.
     */
    public static boolean same(Instant stored, Instant expected) {
        return expected != null && stored.toEpochMilli() == expected.toEpochMilli();
    }

    /** Every deadline due at or before {@code watermark}, oldest first. */
    public List<Deadline> due(Instant watermark) {
        List<Deadline> due = new ArrayList<>();
        try (KeyValueIterator<String, String> range = store.range("0", millis(watermark.toEpochMilli()) + "|~")) {
            while (range.hasNext()) {
                var entry = range.next();
                String[] parts = entry.key.split("\\|", 3);
                due.add(new Deadline(Instant.ofEpochMilli(Long.parseLong(parts[0])), parts[1], parts[2]));
            }
        }
        return due;
    }

    /** Takes the deadline off the store (a tombstone: {@code delete} would read the old value first, unused). */
    public void remove(Deadline deadline) {
        store.put(deadline.key(), null);
    }

    private void move(String job, String kind, Instant from, Instant to) {
        from = storable(from);
        to = storable(to);
        if (Objects.equals(from, to)) {
            return;
        }
        if (from != null) {
            store.put(Deadline.key(from, kind, job), null);
        }
        if (to != null) {
            store.put(Deadline.key(to, kind, job), job);
        }
    }

    /** The instant at the store's precision, or {@code null} outside what the 13-digit key can order (1970–2286). */
    private static Instant storable(Instant at) {
        if (at == null || at.isBefore(Instant.EPOCH) || at.isAfter(LAST)) {
            return null;
        }
        return Instant.ofEpochMilli(at.toEpochMilli());
    }

    /** Epoch millis as 13 digits, zero-padded, so keys sort by time (a time before 1970 is 0). */
    static String millis(long epochMillis) {
        String digits = Long.toString(Math.max(0, epochMillis));
        return digits.length() >= 13 ? digits : "0000000000000".substring(digits.length()) + digits;
    }
}
