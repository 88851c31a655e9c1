package dev.vigil.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.kafka.test.EmbeddedKafkaBroker;
import org.springframework.kafka.test.context.EmbeddedKafka;
import org.springframework.test.annotation.DirtiesContext;

/**
 * A broker that goes away after the gateway has written to it (the producer knows the partitions, so it takes each
 * write at once and is told to go on trying for a minute) does not hold a hook past
 * {@code vigil.gateway.publish-timeout}: it is answered 503 with {@code Retry-After} once that has passed, however
 * long the producer would go on trying.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
        "spring.config.name=gateway",
        "management.server.port=0",
        "vigil.gateway.heartbeat-interval=1h",
        "vigil.gateway.publish-timeout=1s",
        "spring.kafka.producer.properties.delivery.timeout.ms=60000",
        "spring.kafka.producer.properties.request.timeout.ms=30000",
        "vigil.gateway.registrations[0].id=borg",
        "vigil.gateway.registrations[0].token=7c2e4b1a-9d3f-4a5e-8b6c-1f0e2d3c4b5a",
        "vigil.gateway.registrations[0].source=healthchecks",
        "vigil.gateway.registrations[0].tenant=acme",
        "vigil.gateway.registrations[0].account=3723707",
        "vigil.gateway.registrations[0].job=borg",
        "vigil.gateway.registrations[0].rate-limit=0"})
@EmbeddedKafka(partitions = 1, bootstrapServersProperty = "spring.kafka.bootstrap-servers")
@DirtiesContext
class PublishTimeoutTests {

    @LocalServerPort
    int port;
    @Autowired
    EmbeddedKafkaBroker broker;

    @Test
    void aWriteKafkaDoesNotAcknowledgeIsGivenUpAtThePublishTimeout() throws Exception {
        HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
        HttpResponse<String> first = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port
                + "/ping/7c2e4b1a-9d3f-4a5e-8b6c-1f0e2d3c4b5a")).timeout(Duration.ofSeconds(30)).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(first.statusCode()).isEqualTo(200);
        broker.destroy();

        List<CompletableFuture<HttpResponse<String>>> calls = new ArrayList<>();
        long start = System.nanoTime();
        for (int i = 0; i < 10; i++) {
            calls.add(http.sendAsync(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port
                            + "/ping/7c2e4b1a-9d3f-4a5e-8b6c-1f0e2d3c4b5a/fail?rid=00000000-0000-4000-8000-00000000000" + i))
                    .timeout(Duration.ofSeconds(30)).build(), HttpResponse.BodyHandlers.ofString()));
        }
        for (CompletableFuture<HttpResponse<String>> call : calls) {
            HttpResponse<String> response = call.get();
            assertThat(response.statusCode()).isEqualTo(503);
            assertThat(response.headers().firstValue("Retry-After")).hasValue("30");
            assertThat(response.body()).isEqualTo("service unavailable");
        }
        Duration took = Duration.ofNanos(System.nanoTime() - start);
        // the publish timeout (1 s) and the check that gives sends up (every 200 ms), not the producer's minute
        assertThat(took).isGreaterThanOrEqualTo(Duration.ofSeconds(1)).isLessThan(Duration.ofSeconds(10));
    }
}
