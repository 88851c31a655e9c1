package dev.vigil.load;

import dev.vigil.kafka.InternalTopics;
import dev.vigil.kafka.VigilSerdes;
import dev.vigil.local.LocalKafka;
import dev.vigil.model.BackupEvent;
import dev.vigil.model.ErrorInfo;
import dev.vigil.model.EventType;
import dev.vigil.model.JobKey;
import dev.vigil.model.Json;
import dev.vigil.model.Measures;
import dev.vigil.model.Outcome;
import dev.vigil.model.Source;
import dev.vigil.model.Topics;
import dev.vigil.rules.AlertTopology;
import dev.vigil.rules.RulesProperties;
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
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.MapConfigurationPropertySource;

/**
 * One rules instance (one stream thread, exactly-once, RocksDB stores with changelogs) on a real Kafka broker
 * started in this JVM: a backlog of events for many jobs is written first, then the topology is started and
 * timed until it has committed the whole backlog. Prints events/s and the state kept per job.
 *
 * <pre>java -Dloader.main=dev.vigil.load.RulesBenchmark -jar load-generator/target/load-generator-*-exec.jar
 *     [--jobs 1000000] [--events 2000000]</pre>
 */
public final class RulesBenchmark {

    private RulesBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        Harness.quietLogs();
        Map<String, String> options = Harness.options(args);
        int jobs = Integer.parseInt(options.getOrDefault("jobs", "1000000"));
        int events = Integer.parseInt(options.getOrDefault("events", Integer.toString(jobs * 2)));
        int partitions = 3;

        Path work = Files.createTempDirectory("vigil-rules-benchmark");
        int port = Harness.freePort();
        try (LocalKafka kafka = LocalKafka.start(port, work.resolve("kafka/data"))) {
            String bootstrap = kafka.bootstrapServers();
            try (Admin admin = Admin.create(Map.of("bootstrap.servers", bootstrap))) {
                List<NewTopic> topics = new ArrayList<>();
                for (String topic : List.of(Topics.EVENTS, Topics.ALERTS, Topics.ACCOUNTS, InternalTopics.ACCOUNT_ACTIVITY)) {
                    topics.add(new NewTopic(topic, partitions, (short) 1));
                }
                admin.createTopics(topics).all().get();
            }
            System.out.printf("writing %,d events of %,d jobs to a local broker...%n", events, jobs);
            long written = System.nanoTime();
            try (KafkaProducer<String, BackupEvent> producer = new KafkaProducer<>(Map.of(
                    ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap, ProducerConfig.LINGER_MS_CONFIG, 20,
                    ProducerConfig.BATCH_SIZE_CONFIG, 512 * 1024, ProducerConfig.COMPRESSION_TYPE_CONFIG, "lz4"),
                    new StringSerializer(), VigilSerdes.json(BackupEvent.class).serializer())) {
                Instant t0 = Instant.parse("2026-01-01T00:00:00Z");
                for (int i = 0; i < events; i++) {
                    BackupEvent event = event(i, jobs, t0);
                    producer.send(new ProducerRecord<>(Topics.EVENTS, event.job().asString(), event));
                }
            }
            System.out.printf("written in %.1f s%n", (System.nanoTime() - written) / 1e9);

            RulesProperties properties = new Binder(new MapConfigurationPropertySource(Map.of()))
                    .bindOrCreate("vigil.rules", RulesProperties.class);
            StreamsBuilder builder = new StreamsBuilder();
            AlertTopology.build(builder, properties, partitions);
            Properties config = new Properties();
            config.put(StreamsConfig.APPLICATION_ID_CONFIG, "vigil-rules-benchmark");
            config.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
            config.put(StreamsConfig.STATE_DIR_CONFIG, work.resolve("state").toString());
            config.put(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, StreamsConfig.EXACTLY_ONCE_V2);
            config.put(StreamsConfig.COMMIT_INTERVAL_MS_CONFIG, 100);
            config.put(StreamsConfig.REPLICATION_FACTOR_CONFIG, 1);
            config.put(StreamsConfig.consumerPrefix("auto.offset.reset"), "earliest");
            try (KafkaStreams streams = new KafkaStreams(builder.build(), config);
                 Admin admin = Admin.create(Map.of("bootstrap.servers", bootstrap))) {
                long start = System.nanoTime();
                streams.start();
                long done = 0;
                while (done < events) {
                    Thread.sleep(2000);
                    done = committed(admin, partitions);
                    double seconds = (System.nanoTime() - start) / 1e9;
                    System.out.printf("  %,d events committed, %,.0f events/s%n", done, done / seconds);
                }
                double seconds = (System.nanoTime() - start) / 1e9;
                ReadOnlyKeyValueStore<String, JobState> store = streams.store(StoreQueryParameters.fromNameAndType(
                        JobProcessor.STORE, QueryableStoreTypes.keyValueStore()));
                long sampled = 0;
                long bytes = 0;
                try (var all = store.all()) {
                    while (all.hasNext() && sampled < 10_000) {
                        var entry = all.next();
                        bytes += entry.key.length() + Json.write(entry.value).length;
                        sampled++;
                    }
                }
                long onDisk = size(work.resolve("state"));
                System.out.printf("%n%,d events of %,d jobs in %.1f s (start-up included): %,.0f events/s, one instance,"
                        + " one stream thread, exactly-once%n", events, jobs, seconds, events / seconds);
                System.out.printf("job state: %,d bytes per job (key + JSON value, %,d sampled); state directory %,d MB"
                        + " = %,d bytes per job on disk%n", bytes / Math.max(1, sampled), sampled, onDisk / 1_000_000,
                        onDisk / jobs);
            }
        }
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

    /** Runs of many jobs: mostly successes with measures, some failures and warnings. */
    private static BackupEvent event(int i, int jobs, Instant t0) {
        int job = i % jobs;
        int round = i / jobs;
        Instant at = t0.plus(Duration.ofDays(round)).plusMillis(job);
        Outcome outcome = (job + round) % 50 == 0 ? Outcome.FAILED : (job + round) % 17 == 0 ? Outcome.WARNING : Outcome.SUCCESS;
        return new BackupEvent("b-" + i, Source.XSIBACKUP, EventType.BACKUP_FINISHED, outcome, at, at,
                new JobKey("bench", Integer.toString(3_000_000 + job / 4), "vm-" + job), null,
                new Measures(2_000_000_000L + (i % 1000) * 1_000_000L, 10_000L + i % 100, 1_800L + i % 60, 0, null, null),
                outcome == Outcome.FAILED ? new ErrorInfo("1", "snapshot failed") : null, Map.of("host", "esxi-" + job % 40), null);
    }

    private static long size(Path dir) throws IOException {
        try (Stream<Path> files = Files.walk(dir)) {
            return files.filter(Files::isRegularFile).mapToLong(f -> f.toFile().length()).sum();
        }
    }
}
