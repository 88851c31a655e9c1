package dev.vigil.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.kafka.test.TopicTail;
import dev.vigil.model.RejectedInput;
import dev.vigil.model.Topics;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.kafka.test.EmbeddedKafkaBroker;
import org.springframework.kafka.test.context.EmbeddedKafka;

/**
 * A Kafka error that sending again cannot cure is not answered 503 ("come back later"): an event larger than Kafka
 * takes is the caller's 413, in the endpoint's own format, and its input is kept on backup.rejected.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
        "spring.config.name=gateway",
        "management.server.port=0",
        "vigil.gateway.heartbeat-interval=1h",
        "spring.kafka.producer.properties.max.request.size=4096",
        "vigil.gateway.registrations[0].id=big-logs",
        "vigil.gateway.registrations[0].token=6a1f3c1e-5d2a-4e8f-9a71-3c2d1e0f4a5b",
        "vigil.gateway.registrations[0].source=healthchecks",
        "vigil.gateway.registrations[0].tenant=acme",
        "vigil.gateway.registrations[0].account=3723707",
        "vigil.gateway.registrations[0].rate-limit=0"})
@EmbeddedKafka(partitions = 1, bootstrapServersProperty = "spring.kafka.bootstrap-servers")
class KafkaRefusalTests {

    @LocalServerPort
    int port;
    @Autowired
    EmbeddedKafkaBroker broker;

    @Test
    void anEventLargerThanKafkaTakesIsRefused413AndKept() throws Exception {
        try (TopicTail tail = TopicTail.open(broker.getBrokersAsString(), Topics.REJECTED)) {
            HttpResponse<String> response = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(
                    "http://127.0.0.1:" + port + "/ping/6a1f3c1e-5d2a-4e8f-9a71-3c2d1e0f4a5b/fail"))
                    .POST(HttpRequest.BodyPublishers.ofString("backup failed: disk full\n".repeat(400))).build(),
                    HttpResponse.BodyHandlers.ofString());

            assertThat(response.statusCode()).isEqualTo(413);
            assertThat(response.headers().firstValue("Retry-After")).isEmpty();
            assertThat(response.body()).contains("larger than Kafka accepts");
            RejectedInput kept = TopicTail.value(tail.await(1, Topics.REJECTED, Duration.ofSeconds(10)).get(0),
                    RejectedInput.class);
            assertThat(kept.status()).isEqualTo(413);
            assertThat(kept.source()).isEqualTo("healthchecks");
        }
    }
}
