package dev.vigil.rules.job;

import java.time.Duration;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.kstream.Windowed;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.WindowStore;
import org.apache.kafka.streams.state.WindowStoreIterator;

/**
 * The event ids seen per job within the dedup window {@code w}: an id seen again within {@code w} of its first
 * ingest time (either side) is a retried hook, however many other events came between.
 * <p>Each id is kept in a window store at the start of its <em>bucket</em>, the {@code w}-long span of ingest time it
 * fell in (buckets start at multiples of {@code w} from the epoch), with its ingest time (epoch milliseconds) as the
 * value. A look-up is three point reads — the record's bucket and the two beside it — which RocksDB's bloom filters
 * answer for an unseen id without reading its data, instead of a range over every segment (an iterator and a seek in
 * each: a fifth of the stream thread's time). The store keeps three windows (its retention counts from the newest
 * bucket written in the task), so a record that comes up to a window after later ones still reads the bucket before
 * its own.
 * <p>The version before kept each id at its exact ingest time, in a store of its own that this one only reads: while
 * an id there can still match (up to a window after the newest of them), a miss also looks over its range, as the
 * version before did — for up to two windows after an upgrade, the look-up costs what it cost before. Where that
 * ends is found again whenever a task starts, so ids the version before wrote when it ran again (a rollback) are
 * found too.
 */
final class SeenEvents {

    private final WindowStore<String, Long> store;
    private final WindowStore<String, Long> before;
    private final long window;
    private Long rangeUntil;

    /**
     * @param store  the ids seen, keyed by job key and event id, with a retention of three windows
     * @param before the ids the version before kept at their exact time (retention two windows); read only
     * @param window the dedup window, at least one millisecond
     */
    SeenEvents(WindowStore<String, Long> store, WindowStore<String, Long> before, Duration window) {
        this.store = store;
        this.before = before;
        this.window = Math.max(1, window.toMillis());
    }

    /**
     * True when {@code key} was seen within the window of {@code timestamp} (epoch ms of its ingest, within
     * 0..9999-12-31); remembers it otherwise.
     */
    boolean seenBefore(String key, long timestamp) {
        return seenBefore(key, timestamp, window);
    }

    /**
     * As {@link #seenBefore(String, long)}, but a retry only within {@code within} milliseconds (less than the window)
     * of when the id was last seen: for ids a client may use again for a later, distinct event. Every sighting, a retry
     * too, is remembered at its time (never moving a later one back), so the short window counts from the latest.
     */
    boolean seenBefore(String key, long timestamp, long within) {
        long bucket = timestamp - Math.floorMod(timestamp, window);
        Long own = store.fetch(key, bucket);
        boolean seen = near(own, timestamp, within)
                || bucket >= window && near(store.fetch(key, bucket - window), timestamp, within)
                || near(store.fetch(key, bucket + window), timestamp, within)
                || inRangeBefore(key, timestamp, within);
        if (seen && within >= window) {
            return true; // the whole window counts from the first sighting
        }
        if (own == null || own < timestamp) {
            // a short window slides: it counts from the latest sighting; a time already kept later stays
            store.put(key, timestamp, bucket);
        }
        return seen;
    }

    private static boolean near(Long seenAt, long timestamp, long within) {
        return seenAt != null && Math.abs(seenAt - timestamp) <= within;
    }

    /** The look-up of the version before, while an id it kept at its exact ingest time may still match. */
    private boolean inRangeBefore(String key, long timestamp, long within) {
        if (rangeUntil == null) {
            // segments are newest first: the first id is in the newest segment, whose ids are at most a segment
            // (the larger of a window and Kafka Streams' least, 60 s) after it, and match up to a window after that
            try (KeyValueIterator<Windowed<String>, Long> newest = before.backwardAll()) {
                rangeUntil = newest.hasNext()
                        ? newest.next().key.window().start() + 2 * window + Duration.ofMinutes(1).toMillis()
                        : Long.MIN_VALUE;
            }
        }
        if (timestamp > rangeUntil) {
            return false;
        }
        try (WindowStoreIterator<Long> earlier = before.fetch(key, Math.max(0, timestamp - window),
                timestamp + window)) {
            while (earlier.hasNext()) {
                KeyValue<Long, Long> seen = earlier.next();
                if (near(seen.value, timestamp, within)) {
                    return true;
                }
            }
        }
        return false;
    }
}
