package dev.vigil.kafka.test;

import dev.vigil.model.Json;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;

/**
 * Test helper: reads what is written to some topics from the moment it is opened, on a real broker, as a
 * subscribing team would (JSON values as text).
 */
public final class TopicTail implements AutoCloseable {

    private final KafkaConsumer<String, String> consumer;
    private final List<ConsumerRecord<String, String>> seen = new ArrayList<>();

    private TopicTail(KafkaConsumer<String, String> consumer) {
        this.consumer = consumer;
    }

    /** Opens a tail at the current end of every partition of the topics. */
    public static TopicTail open(String bootstrapServers, String... topics) {
        KafkaConsumer<String, String> consumer = new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
                ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed",
                ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false),
                new StringDeserializer(), new StringDeserializer());
        List<TopicPartition> partitions = new ArrayList<>();
        for (String topic : topics) {
            consumer.partitionsFor(topic, Duration.ofSeconds(30))
                    .forEach(info -> partitions.add(new TopicPartition(topic, info.partition())));
        }
        consumer.assign(partitions);
        consumer.seekToEnd(partitions);
        partitions.forEach(consumer::position); // resolve the end offsets now, not at the first poll
        return new TopicTail(consumer);
    }

    /** Waits until at least {@code count} records matched, then returns every record seen so far. */
    public List<ConsumerRecord<String, String>> await(int count, Predicate<ConsumerRecord<String, String>> matching,
                                                      Duration atMost) {
        long deadline = System.nanoTime() + atMost.toNanos();
        while (seen.stream().filter(matching).count() < count && System.nanoTime() < deadline) {
            consumer.poll(Duration.ofMillis(100)).forEach(seen::add);
        }
        return List.copyOf(seen);
    }

    /** Records that match, after waiting for {@code count} of them; fewer if they never came. */
    public List<ConsumerRecord<String, String>> await(int count, String topic, Duration atMost) {
        return await(count, r -> r.topic().equals(topic), atMost).stream()
                .filter(r -> r.topic().equals(topic)).toList();
    }

    /** Polls for {@code quiet} more and returns everything seen: to show that nothing else arrived. */
    public List<ConsumerRecord<String, String>> settle(Duration quiet) {
        long deadline = System.nanoTime() + quiet.toNanos();
        while (System.nanoTime() < deadline) {
            consumer.poll(Duration.ofMillis(100)).forEach(seen::add);
        }
        return List.copyOf(seen);
    }

    public static <T> T value(ConsumerRecord<String, String> record, Class<T> type) {
        return Json.read(record.value().getBytes(StandardCharsets.UTF_8), type);
    }

    public static <T> List<T> values(Collection<ConsumerRecord<String, String>> records, Class<T> type) {
        return records.stream().map(r -> value(r, type)).toList();
    }

    @Override
    public void close() {
        consumer.close();
    }
}
