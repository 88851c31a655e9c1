package dev.vigil.rules.job;

import java.time.Duration;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.WindowStore;
import org.apache.kafka.streams.state.WindowStoreIterator;
import org.apache.kafka.streams.kstream.Windowed;

/**
 * The event ids seen per job within the dedup window {@code w}: an id seen again within {@code w} of its first
 * ingest time (either side) is a retried hook, however many other events came between.
 * <p>Each id is kept in a window store (retention {@code 2w}, so one segment per bucket) at the start of its
 * <em>bucket</em>, the {@code w}-long span of ingest time it fell in (buckets start at multiples of {@code w} from the
 * epoch), with its ingest time (epoch milliseconds) as the value. A look-up is then three point reads — the
 * record's bucket and the two beside it — which RocksDB's bloom filters answer for an unseen id without reading its
 * data, instead of a range over every segment (an iterator and a seek in each: a fifth of the stream thread's time).
 * <p>The version before kept each id at its exact ingest time. Where the store held ids when this form first ran,
 * a miss also looks over the range, as before, until {@code w} after that first record (kept under
 * {@link #RANGE_UNTIL} in the watermark store, so it survives restarts); then none of those ids can match any more.
 */
final class SeenEvents {

    /** Key in the watermark store: until when (epoch ms of ingest time) ids may be at their exact time. */
    static final String RANGE_UNTIL = "dedup.range-until";

    private final WindowStore<String, Long> store;
    private final KeyValueStore<String, Long> marks;
    private final long window;
    private Long rangeUntil;

    /**
     * @param store  the ids seen, keyed by job key and event id, with a retention of twice the window
     * @param marks  where {@link #RANGE_UNTIL} is kept (the ingest watermark store)
     * @param window the dedup window, at least one millisecond
     */
    SeenEvents(WindowStore<String, Long> store, KeyValueStore<String, Long> marks, Duration window) {
        this.store = store;
        this.marks = marks;
        this.window = Math.max(1, window.toMillis());
    }

    /**
     * True when {@code key} was seen within the window of {@code timestamp} (epoch ms of its ingest, within
     * 0..9999-12-31); remembers it otherwise.
     */
    boolean seenBefore(String key, long timestamp) {
        long bucket = timestamp - Math.floorMod(timestamp, window);
        if (near(store.fetch(key, bucket), timestamp)
                || bucket >= window && near(store.fetch(key, bucket - window), timestamp)
                || near(store.fetch(key, bucket + window), timestamp)
                || inRange(key, timestamp)) {
            return true;
        }
        store.put(key, timestamp, bucket);
        return false;
    }

    private boolean near(Long seenAt, long timestamp) {
        return seenAt != null && Math.abs(seenAt - timestamp) <= window;
    }

    /** The look-up of the version before, while ids it kept at their exact ingest time may still match. */
    private boolean inRange(String key, long timestamp) {
        if (rangeUntil == null) {
            rangeUntil = marks.get(RANGE_UNTIL);
            if (rangeUntil == null) {
                boolean empty;
                try (KeyValueIterator<Windowed<String>, Long> all = store.all()) {
                    empty = !all.hasNext();
                }
                rangeUntil = empty ? 0L : timestamp + window;
                marks.put(RANGE_UNTIL, rangeUntil);
            }
        }
        if (timestamp > rangeUntil) {
            return false;
        }
        try (WindowStoreIterator<Long> earlier = store.fetch(key, Math.max(0, timestamp - window),
                timestamp + window)) {
            while (earlier.hasNext()) {
                KeyValue<Long, Long> seen = earlier.next();
                if (near(seen.value, timestamp)) {
                    return true;
                }
            }
        }
        return false;
    }
}
