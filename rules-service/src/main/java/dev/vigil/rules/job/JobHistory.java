package dev.vigil.rules.job;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.ReadOnlyKeyValueStore;

/**
 * The last {@value #REMEMBERED} events of each job, for the status API and the console, in a state store of their own
 * (changelogged like the job state) so that an event writes its one entry, not the whole history again with the job's
 * state: a ring of {@value #REMEMBERED} slots per job, the job's {@link JobState#historyNext() historyNext} choosing
 * the slot.
 *
 * <p>Key: the job key ({@link dev.vigil.model.JobKey#asString()}), NUL, the slot as two digits ({@code 00}–{@code 19}),
 * so one job's slots are one key range. Value: a {@link Slot}, the entry with its sequence number in the job.
 */
public final class JobHistory {

    public static final String STORE = "job-history";
    /** Events kept per job. */
    public static final int REMEMBERED = 20;

    /** One entry and its sequence number among the job's events (0 for the first). */
    public record Slot(long seq, JobState.Entry entry) {
    }

    private final KeyValueStore<String, Slot> store;

    JobHistory(KeyValueStore<String, Slot> store) {
        this.store = store;
    }

    /**
     * Writes {@code entry} as the job's newest and returns the state with {@code historyNext} advanced. Entries a state
     * written before the history had its own store still holds ({@link JobState#history()}) are moved here first.
     */
    JobState append(String job, JobState state, JobState.Entry entry) {
        long next = state.historyNext();
        for (JobState.Entry legacy : state.history()) {
            store.put(key(job, next), new Slot(next, legacy));
            next++;
        }
        store.put(key(job, next), new Slot(next, entry));
        return state.withHistoryNext(next + 1);
    }

    /** The job's last events, oldest first: those a state not yet moved still holds, then the store's. */
    public static List<JobState.Entry> read(ReadOnlyKeyValueStore<String, Slot> store, String job, JobState state) {
        List<Slot> slots = new ArrayList<>(REMEMBERED);
        try (KeyValueIterator<String, Slot> range = store.range(key(job, 0), key(job, REMEMBERED - 1))) {
            range.forEachRemaining(kv -> {
                if (kv.value != null) {
                    slots.add(kv.value);
                }
            });
        }
        slots.sort(Comparator.comparingLong(Slot::seq));
        List<JobState.Entry> entries = new ArrayList<>(REMEMBERED);
        if (state != null && !state.history().isEmpty()) {
            // a state read just before its entries moved to the store (a status query between the two reads)
            java.util.Set<JobState.Entry> moved = new java.util.HashSet<>();
            slots.forEach(slot -> moved.add(slot.entry()));
            state.history().stream().filter(entry -> !moved.contains(entry)).forEach(entries::add);
        }
        slots.forEach(slot -> entries.add(slot.entry()));
        return entries.size() <= REMEMBERED ? entries : entries.subList(entries.size() - REMEMBERED, entries.size());
    }

    private static String key(String job, long seq) {
        int slot = (int) Math.floorMod(seq, (long) REMEMBERED);
        return job + '\u0000' + (slot < 10 ? "0" : "") + slot;
    }
}
