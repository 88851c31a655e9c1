package dev.vigil.console.backend;

import dev.vigil.model.BackupEvent;
import dev.vigil.model.Json;
import dev.vigil.model.Topics;
import java.time.Duration;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.stereotype.Component;

/**
 * The raw input of a job's last events, read from {@code backup.events} at the partition and offsets the rules keep
 * in the job's history (the gateway masked every secret before it wrote them). Only records whose key is the job's
 * are answered, so a page shows nothing but its own job's input. Nothing is kept: each page reads what it shows.
 */
@Component
public class RawEvents {

    private static final org.slf4j.Logger log = org.slf4j.LoggerFactory.getLogger(RawEvents.class);
    private static final Duration READ_FOR = Duration.ofSeconds(3);

    private final String bootstrapServers;

    public RawEvents(@Value("${spring.kafka.bootstrap-servers:localhost:9092}") String bootstrapServers) {
        this.bootstrapServers = bootstrapServers;
    }

    /**
     * The raw input of the records at {@code offsets} of {@code partition} whose key is {@code jobKey}, by offset;
     * what cannot be read (Kafka away, the record deleted by retention) is missing from the answer.
     */
    public Map<Long, String> raw(String jobKey, int partition, Collection<Long> offsets) {
        Map<Long, String> found = new HashMap<>();
        if (offsets.isEmpty()) {
            return found;
        }
        TreeSet<Long> wanted = new TreeSet<>(offsets);
        TopicPartition topicPartition = new TopicPartition(Topics.EVENTS, partition);
        try (KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
                ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false,
                ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed",
                ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 200,
                ConsumerConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, (int) READ_FOR.toMillis(),
                ConsumerConfig.REQUEST_TIMEOUT_MS_CONFIG, (int) READ_FOR.toMillis()),
                new StringDeserializer(), new ByteArrayDeserializer())) {
            consumer.assign(List.of(topicPartition));
            long deadline = System.nanoTime() + READ_FOR.toNanos();
            for (Long offset : wanted) {
                if (found.containsKey(offset)) {
                    continue;
                }
                consumer.seek(topicPartition, offset);
                while (!found.containsKey(offset) && System.nanoTime() < deadline) {
                    var records = consumer.poll(Duration.ofMillis(200)).records(topicPartition);
                    if (records.isEmpty()) {
                        continue;
                    }
                    for (ConsumerRecord<String, byte[]> record : records) {
                        if (wanted.contains(record.offset()) && jobKey.equals(record.key()) && record.value() != null) {
                            BackupEvent event = Json.read(record.value(), BackupEvent.class);
                            found.put(record.offset(), event.raw() == null ? "" : event.raw());
                        }
                    }
                    if (records.get(records.size() - 1).offset() >= offset) {
                        found.putIfAbsent(offset, null);
                        break;
                    }
                }
            }
        } catch (RuntimeException e) {
            log.warn("the raw input of {} could not be read from {}: {}", jobKey, Topics.EVENTS, e.toString());
        }
        found.values().removeIf(java.util.Objects::isNull);
        return found;
    }
}
