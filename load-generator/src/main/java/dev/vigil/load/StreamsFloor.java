package dev.vigil.load;

import dev.vigil.model.BackupEvent;
import dev.vigil.model.Topics;
import dev.vigil.rules.AlertTopology;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.kstream.Consumed;
import org.apache.kafka.streams.processor.api.FixedKeyProcessor;
import org.apache.kafka.streams.processor.api.FixedKeyProcessorContext;
import org.apache.kafka.streams.processor.api.FixedKeyRecord;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.Stores;
import org.apache.kafka.streams.state.WindowStore;

/**
 * Topologies that do less than the rules, to measure what Kafka Streams itself allows on a machine: the same backlog,
 * the same settings (exactly-once, RocksDB stores with changelogs), each step adding one part of what the rules do per
 * event. Their rates bound the rules' rate from above; none of them raises an alert.
 *
 * <ul>
 *   <li>{@code read}: each record consumed as bytes and dropped; the transactions commit the offsets only.</li>
 *   <li>{@code parse}: each event read from its JSON as the rules read it ({@link AlertTopology#events()}).</li>
 *   <li>{@code store}: and one read and one write of a 500-byte value per event, in a RocksDB store keyed by job, with
 *       its changelog: the least a per-job state machine does.</li>
 *   <li>{@code stores}: and the rules' other two writes per event: an 80-byte history entry in a ring of 20 slots per
 *       job, and the event's id in a window store (a point read, then a write), each with its changelog.</li>
 * </ul>
 */
final class StreamsFloor {

    static final List<String> NAMES = List.of("read", "parse", "store", "stores");

    private static final String STATE = "floor-state";
    private static final String HISTORY = "floor-history";
    private static final String SEEN = "floor-seen";
    private static final long WINDOW = Duration.ofDays(7).toMillis();

    private StreamsFloor() {
    }

    /**
     * Adds the topology {@code name} (one of {@link #NAMES}) reading {@link Topics#EVENTS} to {@code builder}.
     *
     * @throws IllegalArgumentException for any other name
     */
    static void build(StreamsBuilder builder, String name) {
        switch (name) {
            case "read" -> builder.stream(Topics.EVENTS, Consumed.with(Serdes.Bytes(), Serdes.Bytes()))
                    .foreach((key, value) -> { });
            case "parse" -> builder.stream(Topics.EVENTS, Consumed.with(Serdes.String(), AlertTopology.events()))
                    .foreach((key, value) -> { });
            case "store", "stores" -> {
                boolean all = name.equals("stores");
                builder.addStateStore(Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(STATE),
                        Serdes.String(), Serdes.ByteArray()));
                if (all) {
                    builder.addStateStore(Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(HISTORY),
                            Serdes.String(), Serdes.ByteArray()));
                    builder.addStateStore(Stores.windowStoreBuilder(Stores.persistentWindowStore(SEEN,
                            Duration.ofMillis(3 * WINDOW), Duration.ofMillis(1), false), Serdes.String(), Serdes.Long()));
                }
                builder.stream(Topics.EVENTS, Consumed.with(Serdes.String(), AlertTopology.events()))
                        .processValues(() -> new Stateful(all), all ? new String[] {STATE, HISTORY, SEEN}
                                : new String[] {STATE})
                        .foreach((key, value) -> { });
            }
            default -> throw new IllegalArgumentException("no floor topology '" + name + "': one of " + NAMES);
        }
    }

    /** Per event: the job's value read and written again (changed), and with {@code all} the history and dedup writes. */
    private static final class Stateful implements FixedKeyProcessor<String, BackupEvent, BackupEvent> {
        private final boolean all;
        private KeyValueStore<String, byte[]> state;
        private KeyValueStore<String, byte[]> history;
        private WindowStore<String, Long> seen;

        Stateful(boolean all) {
            this.all = all;
        }

        @Override
        public void init(FixedKeyProcessorContext<String, BackupEvent> context) {
            state = context.getStateStore(STATE);
            if (all) {
                history = context.getStateStore(HISTORY);
                seen = context.getStateStore(SEEN);
            }
        }

        @Override
        public void process(FixedKeyRecord<String, BackupEvent> record) {
            String job = record.key();
            byte[] value = state.get(job);
            byte[] next = value == null ? new byte[500] : Arrays.copyOf(value, value.length);
            next[(int) (record.timestamp() & 0xff)]++;
            state.put(job, next);
            if (all) {
                long at = record.timestamp();
                String id = job + "/" + record.value().id();
                long bucket = at - Math.floorMod(at, WINDOW);
                if (seen.fetch(id, bucket) == null) {
                    seen.put(id, at, bucket);
                }
                history.put(job + "#" + Math.floorMod(next[0]++, 20), new byte[80]);
            }
        }
    }
}
