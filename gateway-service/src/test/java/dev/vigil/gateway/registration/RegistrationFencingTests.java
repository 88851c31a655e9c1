package dev.vigil.gateway.registration;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.gateway.GatewayIntegrationTest;
import dev.vigil.kafka.InternalTopics;
import dev.vigil.model.Json;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

/**
 * {@link RegistrationLog#exclusively} when another instance registers the shared writer in the middle of a decision:
 * the decision's records are not committed, and it is decided again on the view holding the other's change.
 */
class RegistrationFencingTests extends GatewayIntegrationTest {

    @Autowired
    RegistrationLog registrations;

    @Test
    void aDecisionFencedBeforeItsCommitIsDecidedAgainOnTheOthersChange() {
        String key = "fenced-" + System.nanoTime() + RegistrationLog.SLUG_INFIX + "check";
        String id = key.substring(0, key.indexOf(RegistrationLog.SLUG_INFIX));
        List<java.util.Set<String>> seen = new ArrayList<>();
        String result = registrations.exclusively(Duration.ofSeconds(10), () -> {
            seen.add(registrations.createdSlugs(id));
            if (seen.size() == 1) {
                registrations.write(key, new RegistrationLog.CreatedSlug(id, "check", Instant.now()), null,
                        Duration.ofSeconds(10));
                otherInstanceWrites(id + RegistrationLog.SLUG_INFIX + "other");
                return "first";
            }
            return "again";
        });

        assertThat(result).isEqualTo("again");
        assertThat(seen).hasSize(2);
        assertThat(seen.get(0)).isEmpty();
        // the other's change is in the view the decision was made again on; the fenced write never is
        assertThat(seen.get(1)).containsExactly("other");
        assertThat(registrations.createdSlugs(id)).containsExactly("other");

        // and the next decision, on this instance, registers the writer again and commits
        registrations.exclusively(Duration.ofSeconds(10), () -> {
            registrations.write(key, new RegistrationLog.CreatedSlug(id, "check", Instant.now()), null,
                    Duration.ofSeconds(10));
            return null;
        });
        assertThat(registrations.createdSlugs(id)).containsExactlyInAnyOrder("check", "other");
    }

    @Test
    void aDecisionWhoseCommitMeetsAnotherInstancesRegistrationLandsWithoutAnError() throws Exception {
        // the other instance registers the writer while this one commits: Kafka then answers the commit with a fence
        // or, when the abort it started is under way, INVALID_TXN_STATE; either way the change is decided again
        java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newSingleThreadExecutor();
        Map<String, Object> properties = Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.getBrokersAsString(),
                ProducerConfig.TRANSACTIONAL_ID_CONFIG, RegistrationLog.WRITER_ID,
                ProducerConfig.MAX_BLOCK_MS_CONFIG, 10_000);
        try {
            for (int round = 0; round < 25; round++) {
                String id = "meets-" + round + "-" + System.nanoTime();
                String key = id + RegistrationLog.SLUG_INFIX + "check";
                KafkaProducer<String, byte[]> other = new KafkaProducer<>(properties, new StringSerializer(),
                        new ByteArraySerializer());
                other.partitionsFor(InternalTopics.REGISTRATIONS); // connected, so its registration is one request
                java.util.concurrent.CountDownLatch go = new java.util.concurrent.CountDownLatch(1);
                long pause = round % 3;
                boolean otherFirst = round % 2 == 0;
                var registered = pool.submit(() -> {
                    go.await();
                    if (!otherFirst) {
                        Thread.sleep(pause); // 0 to 2 ms into this instance's commit
                    }
                    other.initTransactions();
                    return null;
                });
                registrations.exclusively(Duration.ofSeconds(10), () -> {
                    if (!registrations.createdSlugs(id).contains("check")) {
                        registrations.write(key, new RegistrationLog.CreatedSlug(id, "check", Instant.now()), null,
                                Duration.ofSeconds(10));
                    }
                    go.countDown();
                    try {
                        Thread.sleep(otherFirst ? pause : 0); // or the commit starts 0 to 2 ms after it
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                    return null;
                });
                registered.get(10, java.util.concurrent.TimeUnit.SECONDS);
                other.close(Duration.ZERO);
                assertThat(registrations.createdSlugs(id)).as("round " + round).containsExactly("check");
            }
        } finally {
            pool.shutdownNow();
        }
    }

    /** What a second gateway does: registers the writer (fencing this one's) and commits one record. */
    private void otherInstanceWrites(String key) {
        Map<String, Object> properties = Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.getBrokersAsString(),
                ProducerConfig.TRANSACTIONAL_ID_CONFIG, RegistrationLog.WRITER_ID,
                ProducerConfig.MAX_BLOCK_MS_CONFIG, 10_000);
        try (KafkaProducer<String, byte[]> other = new KafkaProducer<>(properties, new StringSerializer(),
                new ByteArraySerializer())) {
            other.initTransactions();
            other.beginTransaction();
            String id = key.substring(0, key.indexOf(RegistrationLog.SLUG_INFIX));
            other.send(new ProducerRecord<>(InternalTopics.REGISTRATIONS, key, Json.mapper().writeValueAsBytes(
                    new RegistrationLog.CreatedSlug(id, "other", Instant.now()))));
            other.commitTransaction();
        }
    }
}
