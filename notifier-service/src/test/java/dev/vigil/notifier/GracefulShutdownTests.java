package dev.vigil.notifier;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.github.tomakehurst.wiremock.WireMockServer;
import dev.vigil.kafka.CloudEventRecords;
import dev.vigil.model.Alert;
import dev.vigil.model.AlertStatus;
import dev.vigil.model.DeliveryRecord;
import dev.vigil.model.DeliveryStatus;
import dev.vigil.model.JobKey;
import dev.vigil.model.Json;
import dev.vigil.model.Rules;
import dev.vigil.model.Severity;
import dev.vigil.model.Source;
import dev.vigil.model.Topics;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.kafka.core.DefaultKafkaProducerFactory;
import org.springframework.kafka.core.KafkaTemplate;
import org.springframework.kafka.support.serializer.JacksonJsonSerializer;
import org.springframework.kafka.test.EmbeddedKafkaKraftBroker;

/**
 * A notifier asked to stop while a delivery is in flight (a webhook that takes three seconds to answer) lets it
 * finish and records it as sent before it exits, so nothing is sent again by the next instance.
 */
class GracefulShutdownTests {

    @Test
    void aStopFinishesTheDeliveryInFlightAndRecordsIt() throws Exception {
        EmbeddedKafkaKraftBroker broker = new EmbeddedKafkaKraftBroker(1, 1);
        broker.afterPropertiesSet();
        WireMockServer hook = new WireMockServer(wireMockConfig().dynamicPort());
        hook.start();
        hook.stubFor(post(urlEqualTo("/hook")).willReturn(aResponse().withStatus(200).withFixedDelay(3_000)));
        try {
            ConfigurableApplicationContext notifier = NotifierApplication.application().run(
                    "--spring.kafka.bootstrap-servers=" + broker.getBrokersAsString(),
                    "--server.port=0", "--management.server.port=0", "--spring.jmx.enabled=false",
                    "--vigil.notifier.directory.sync-initial-delay=1h",
                    "--vigil.notifier.http.allow-private=true",
                    "--vigil.notifier.receivers[0].name=hook",
                    "--vigil.notifier.receivers[0].webhook.url=http://127.0.0.1:" + hook.port() + "/hook",
                    "--vigil.notifier.route.receiver=hook");
            publish(broker.getBrokersAsString(), alert());
            await().atMost(Duration.ofSeconds(30))
                    .until(() -> hook.findAll(postRequestedFor(urlEqualTo("/hook"))).size() == 1);

            notifier.close(); // while the webhook is still answering

            List<DeliveryRecord> records = deliveries(broker.getBrokersAsString());
            assertThat(records).extracting(DeliveryRecord::channel, DeliveryRecord::status)
                    .containsExactly(org.assertj.core.groups.Tuple.tuple("webhook", DeliveryStatus.SENT));
        } finally {
            hook.stop();
            broker.destroy();
        }
    }

    private static Alert alert() {
        JobKey job = new JobKey("demo", "3723707", "shutdown");
        return new Alert(Alert.fingerprint(Rules.FAILED_BACKUP, job), Rules.FAILED_BACKUP, Severity.CRITICAL,
                AlertStatus.FIRING, job, Source.XSIBACKUP, "Backup shutdown of account 3723707 failed", Map.of(),
                Instant.now(), null, "shutdown-1");
    }

    private static void publish(String bootstrap, Alert alert) throws Exception {
        KafkaTemplate<String, Object> kafka = new KafkaTemplate<>(new DefaultKafkaProducerFactory<>(
                Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap), new StringSerializer(),
                new JacksonJsonSerializer<>(Json.mapper())));
        kafka.send(CloudEventRecords.record(Topics.ALERTS, alert.fingerprint(), alert, alert.eventId(),
                "dev.vigil.alert.firing", "test", Instant.now(), null)).get();
        kafka.destroy();
    }

    /** Every record of backup.deliveries, read from the start. */
    private static List<DeliveryRecord> deliveries(String bootstrap) {
        List<DeliveryRecord> records = new ArrayList<>();
        try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
                ConsumerConfig.GROUP_ID_CONFIG, "shutdown-" + UUID.randomUUID(),
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest"), new StringDeserializer(), new StringDeserializer())) {
            consumer.subscribe(List.of(Topics.DELIVERIES));
            long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
            while (records.isEmpty() && System.nanoTime() < deadline) {
                consumer.poll(Duration.ofMillis(200)).forEach(r -> records.add(Json.read(
                        r.value().getBytes(java.nio.charset.StandardCharsets.UTF_8), DeliveryRecord.class)));
            }
            consumer.poll(Duration.ofSeconds(1)).forEach(r -> records.add(Json.read(
                    r.value().getBytes(java.nio.charset.StandardCharsets.UTF_8), DeliveryRecord.class)));
        }
        return records;
    }
}
