package dev.vigil.load;

import dev.vigil.kafka.InternalTopics;
import dev.vigil.kafka.VigilSerdes;
import dev.vigil.local.LocalKafka;
import dev.vigil.model.BackupEvent;
import dev.vigil.model.ErrorInfo;
import dev.vigil.model.EventType;
import dev.vigil.model.JobKey;
import dev.vigil.model.Measures;
import dev.vigil.model.Outcome;
import dev.vigil.model.Source;
import dev.vigil.model.Topics;
import dev.vigil.rules.AlertTopology;
import dev.vigil.rules.RulesProperties;
import dev.vigil.rules.job.JobHistory;
import dev.vigil.rules.job.JobProcessor;
import dev.vigil.rules.job.JobState;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.stream.Stream;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StoreQueryParameters;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.state.QueryableStoreTypes;
import org.apache.kafka.streams.state.ReadOnlyKeyValueStore;
import org.springframework.beans.factory.config.YamlPropertiesFactoryBean;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.core.io.ClassPathResource;
import org.springframework.boot.context.properties.source.MapConfigurationPropertySource;

/**
 * One rules instance (one stream thread, exactly-once, RocksDB stores with changelogs) on a real Kafka broker
 * started in this JVM: a backlog of events for many jobs is written first, then the topology is started and
 * timed until it has committed the whole backlog. Prints events/s and the state kept per job.
 *
 * <pre>java -Dloader.main=dev.vigil.load.RulesBenchmark -jar load-generator/target/load-generator-*-exec.jar
 *     [--jobs 100000] [--events 2000000] [--streams commit.interval.ms=200,num.stream.threads=2]
 *     [--topology rules|read|parse|store|stores]</pre>
 *
 * <p>{@code --topology} other than {@code rules} times one of the {@link StreamsFloor} topologies instead: what Kafka
 * Streams allows on the machine with less work per event than the rules do.
 */
public final class RulesBenchmark {

    private RulesBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        Harness.quietLogs();
        Map<String, String> options = Harness.options(args);
        int jobs = Integer.parseInt(options.getOrDefault("jobs", "100000"));
        int events = Integer.parseInt(options.getOrDefault("events", "2000000"));
        int partitions = 3;

        Path work = Files.createTempDirectory("vigil-rules-benchmark");
        int port = Harness.freePort();
        try (LocalKafka kafka = LocalKafka.start(port, work.resolve("kafka/data"))) {
            String bootstrap = kafka.bootstrapServers();
            try (Admin admin = Admin.create(Map.of("bootstrap.servers", bootstrap))) {
                List<NewTopic> topics = new ArrayList<>();
                for (String topic : List.of(Topics.EVENTS, Topics.ALERTS, Topics.ACCOUNTS, InternalTopics.ACCOUNT_ACTIVITY,
                        Topics.EVENTS + ".dlt")) {
                    topics.add(new NewTopic(topic, partitions, (short) 1));
                }
                admin.createTopics(topics).all().get();
            }
            System.out.printf("writing %,d events of %,d jobs to a local broker (starts and ends of daily runs, a quota"
                    + " report for every fourth job, 2 %% sent twice)...%n", events, jobs);
            long written = System.nanoTime();
            try (KafkaProducer<String, BackupEvent> producer = new KafkaProducer<>(Map.of(
                    ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap, ProducerConfig.LINGER_MS_CONFIG, 20,
                    ProducerConfig.BATCH_SIZE_CONFIG, 512 * 1024, ProducerConfig.COMPRESSION_TYPE_CONFIG, "lz4"),
                    new StringSerializer(), VigilSerdes.json(BackupEvent.class).serializer())) {
                int sent = 0;
                for (int round = 0; sent < events; round++) {
                    for (int job = 0; job < jobs && sent < events; job++) {
                        for (BackupEvent event : mix(job, (job + jobs - 5_000 % jobs) % jobs, round, jobs)) {
                            producer.send(new ProducerRecord<>(Topics.EVENTS, event.job().asString(), event));
                            sent++;
                        }
                    }
                }
                events = sent;
            }
            System.out.printf("written in %.1f s%n", (System.nanoTime() - written) / 1e9);

            RulesProperties properties = new Binder(new MapConfigurationPropertySource(Map.of()))
                    .bindOrCreate("vigil.rules", RulesProperties.class);
            StreamsBuilder builder = new StreamsBuilder();
            String topology = options.getOrDefault("topology", "rules");
            if (topology.equals("rules")) {
                AlertTopology.build(builder, properties, partitions);
            } else {
                // a floor: less than the rules do per event, on the same backlog and settings (StreamsFloor)
                StreamsFloor.build(builder, topology);
                System.out.println("topology '" + topology + "': a floor, not the rules");
            }
            Properties config = new Properties();
            config.putAll(shippedStreamsProperties());
            // --streams a=1,b=2: settings to try against the shipped ones
            for (String setting : options.getOrDefault("streams", "").split(",")) {
                if (setting.contains("=")) {
                    config.put(setting.substring(0, setting.indexOf('=')), setting.substring(setting.indexOf('=') + 1));
                }
            }
            System.out.println("the rules service's Kafka Streams settings (rules.yml): " + config);
            config.put(StreamsConfig.APPLICATION_ID_CONFIG, "vigil-rules-benchmark");
            config.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
            config.put(StreamsConfig.STATE_DIR_CONFIG, work.resolve("state").toString());
            config.put(StreamsConfig.REPLICATION_FACTOR_CONFIG, 1);
            config.put(StreamsConfig.consumerPrefix("auto.offset.reset"), "earliest");
            try (KafkaStreams streams = new KafkaStreams(builder.build(), config);
                 Admin admin = Admin.create(Map.of("bootstrap.servers", bootstrap))) {
                long start = System.nanoTime();
                streams.start();
                long done = 0;
                long steadyFrom = -1;
                long steadyEvents = 0;
                while (done < events) {
                    Thread.sleep(2000);
                    done = committed(admin, partitions);
                    double seconds = (System.nanoTime() - start) / 1e9;
                    System.out.printf("  %,d events committed, %,.0f events/s%n", done, done / seconds);
                    if (steadyFrom < 0 && done >= events * 45L / 100 && done < events) {
                        steadyFrom = System.nanoTime();
                        steadyEvents = done;
                    }
                }
                double seconds = (System.nanoTime() - start) / 1e9;
                if (steadyFrom > 0) {
                    // from the first poll past 45 % committed to the end: start-up and the first commits left out
                    System.out.printf("steady (45 %% committed to the end): %,.0f events/s%n",
                            (events - steadyEvents) / ((System.nanoTime() - steadyFrom) / 1e9));
                }
                if (!topology.equals("rules")) {
                    System.out.printf("%n%,d events of %,d jobs in %.1f s (start-up included): %,.0f events/s, one"
                            + " instance, one stream thread, exactly-once, topology '%s'%n", events, jobs, seconds,
                            events / seconds, topology);
                    return;
                }
                ReadOnlyKeyValueStore<String, JobState> store = streams.store(StoreQueryParameters.fromNameAndType(
                        JobProcessor.STORE, QueryableStoreTypes.keyValueStore()));
                var state = dev.vigil.rules.job.JobStateSerde.jobState();
                long sampled = 0;
                long bytes = 0;
                try (var all = store.all()) {
                    while (all.hasNext() && sampled < 10_000) {
                        var entry = all.next();
                        bytes += entry.key.length() + state.serializer().serialize("", entry.value).length;
                        sampled++;
                    }
                }
                ReadOnlyKeyValueStore<String, JobHistory.Slot> history = streams.store(StoreQueryParameters
                        .fromNameAndType(JobHistory.STORE, QueryableStoreTypes.keyValueStore()));
                var slot = dev.vigil.rules.job.JobStateSerde.historySlot();
                long entries = 0;
                long entryBytes = 0;
                try (var all = history.all()) {
                    while (all.hasNext() && entries < 10_000) {
                        var entry = all.next();
                        entryBytes += entry.key.length() + slot.serializer().serialize("", entry.value).length;
                        entries++;
                    }
                }
                long onDisk = size(work.resolve("state"));
                System.out.printf("%n%,d events of %,d jobs in %.1f s (start-up included): %,.0f events/s, one instance,"
                        + " one stream thread, exactly-once%n", events, jobs, seconds, events / seconds);
                System.out.printf("job state: %,d bytes per job (key + stored value, %,d sampled); state directory %,d MB"
                        + " = %,d bytes per job on disk%n", bytes / Math.max(1, sampled), sampled, onDisk / 1_000_000,
                        onDisk / jobs);
                System.out.printf("history: %,d bytes per entry (key + stored value, %,d sampled), %d entries kept per"
                        + " job%n", entryBytes / Math.max(1, entries), entries, JobHistory.REMEMBERED);
                // what the stores wrote to their changelogs (the broker's log segments, per store)
                Map<String, Long> changelogs = new java.util.TreeMap<>();
                try (Stream<Path> dirs = Files.list(work.resolve("kafka/data"))) {
                    for (Path dir : dirs.toList()) {
                        String name = dir.getFileName().toString();
                        if (name.startsWith("vigil-rules-benchmark-") && name.contains("-changelog-")) {
                            changelogs.merge(name.substring("vigil-rules-benchmark-".length(),
                                    name.indexOf("-changelog-")), logSize(dir), Long::sum);
                        }
                    }
                }
                long processed = events;
                changelogs.forEach((name, size) -> System.out.printf("changelog %s: %,d MB, %,d bytes per event%n",
                        name, size / 1_000_000, size / Math.max(1, processed)));
            }
        }
    }

    /**
     * {@code spring.kafka.streams.properties.*} of the rules service's own {@code rules.yml}, but those that name a
     * placeholder (the replication factor, the advertised address): the benchmark measures what ships.
     */
    private static Map<String, String> shippedStreamsProperties() {
        YamlPropertiesFactoryBean yaml = new YamlPropertiesFactoryBean();
        yaml.setResources(new ClassPathResource("rules.yml"));
        String prefix = "spring.kafka.streams.properties.";
        Map<String, String> shipped = new java.util.TreeMap<>();
        yaml.getObject().forEach((key, value) -> {
            if (key.toString().startsWith(prefix) && !value.toString().contains("${")) {
                shipped.put(key.toString().substring(prefix.length()), value.toString());
            }
        });
        return shipped;
    }

    private static long committed(Admin admin, int partitions) throws Exception {
        Map<TopicPartition, OffsetAndMetadata> offsets = admin.listConsumerGroupOffsets("vigil-rules-benchmark")
                .partitionsToOffsetAndMetadata().get();
        long sum = 0;
        for (int p = 0; p < partitions; p++) {
            OffsetAndMetadata offset = offsets.get(new TopicPartition(Topics.EVENTS, p));
            sum += offset == null ? 0 : offset.offset();
        }
        return sum;
    }

    private static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");

    /**
     * A slice of a realistic day: job {@code starting} starts its run of day {@code round}, job {@code ending} (started
     * 5,000 jobs earlier) ends it — mostly a success with measures, 1 in 50 failed, 1 in 17 with warnings — every
     * fourth job reports its quota after its run, and 1 in 50 ends are sent twice (a client's retry: same id).
     * Every event carries its raw input, as the gateway writes it.
     */
    private static List<BackupEvent> mix(int starting, int ending, int round, int jobs) {
        List<BackupEvent> out = new ArrayList<>(4);
        Instant start = T0.plus(Duration.ofDays(round)).plusMillis(starting);
        out.add(new BackupEvent("s-" + round + "-" + starting, Source.XSIBACKUP, EventType.BACKUP_STARTED, Outcome.NONE,
                start, start, job(starting), "run-" + round + "-" + starting, Measures.NONE,
                null, Map.of("host", "esxi-" + starting % 40), raw(starting, round)));
        Instant end = T0.plus(Duration.ofDays(round)).plusMillis(ending).plusSeconds(1_800 + ending % 600);
        Outcome outcome = (ending + round) % 50 == 0 ? Outcome.FAILED
                : (ending + round) % 17 == 0 ? Outcome.WARNING : Outcome.SUCCESS;
        BackupEvent finished = new BackupEvent("e-" + round + "-" + ending, Source.XSIBACKUP, EventType.BACKUP_FINISHED,
                outcome, end, end, job(ending), "run-" + round + "-" + ending,
                new Measures(2_000_000_000L + (ending % 1000) * 1_000_000L + round * 1_000L, 10_000L + ending % 100,
                        1_800L + ending % 600, outcome == Outcome.FAILED ? 1 : 0, null, null),
                outcome == Outcome.FAILED ? new ErrorInfo("1", "ERP01: snapshot creation failed") : null,
                Map.of("host", "esxi-" + ending % 40), raw(ending, round));
        out.add(finished);
        if ((ending + round) % 50 == 7) {
            out.add(finished);
        }
        if (ending % 4 == 0) {
            long total = 500_000_000_000L;
            out.add(new BackupEvent("q-" + round + "-" + ending, Source.STONEY, EventType.QUOTA_REPORTED, Outcome.SUCCESS,
                    end, end, job(ending), null, new Measures(null, null, null, null,
                    total / 2 + (long) round * 1_000_000_000L + ending, total), null, Map.of(), null));
        }
        return out;
    }

    private static JobKey job(int job) {
        return new JobKey("bench", Integer.toString(3_000_000 + job / 4), "vm-" + job);
    }

    private static String raw(int job, int round) {
        return "GET /hooks/xsibackup/***/success?UElEPTEyMzQ1fHQ9ODQ1fGNtZD1MUzFpWVdOcmRYQXRjRzlwYm5ROUwzWnRabk12ZG05c2RX"
                + "MWxjeTlpWVdOcmRYQWdMUzFpWVdOcmRYQXRkSGx3WlQxamRYTjBiMjBnTFMxaVlXTnJkWEF0ZG0xelBWZEpUamNzUlZKUU1ERT0="
                + " job=vm-" + job + " round=" + round;
    }

    /** Bytes of a partition's log segments ({@code *.log}; its indexes are preallocated). */
    private static long logSize(Path dir) throws IOException {
        try (Stream<Path> files = Files.walk(dir)) {
            return files.filter(f -> f.toString().endsWith(".log")).mapToLong(f -> f.toFile().length()).sum();
        }
    }

    private static long size(Path dir) throws IOException {
        try (Stream<Path> files = Files.walk(dir)) {
            return files.filter(Files::isRegularFile).mapToLong(f -> f.toFile().length()).sum();
        }
    }
}
