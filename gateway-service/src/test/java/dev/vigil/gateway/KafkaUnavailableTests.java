package dev.vigil.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;

/** With no broker reachable, a hook is refused with 503 + Retry-After within a bounded time: never accepted. */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
        "spring.config.name=gateway",
        "management.server.port=0",
        "spring.kafka.bootstrap-servers=127.0.0.1:1",
        "spring.kafka.admin.auto-create=false",
        "vigil.gateway.publish-timeout=2s",
        "spring.kafka.producer.properties.max.block.ms=1500",
        "vigil.gateway.registrations[0].id=esxi-07",
        "vigil.gateway.registrations[0].token=xsi-token-for-tests-0001",
        "vigil.gateway.registrations[0].source=xsibackup",
        "vigil.gateway.registrations[0].tenant=acme",
        "vigil.gateway.registrations[0].account=3723707",
        "vigil.gateway.registrations[0].rate-limit=0",
        "vigil.gateway.registrations[1].id=borg",
        "vigil.gateway.registrations[1].token=5f3b6a8e-2f1c-4c11-9a55-0c6b3c1d7e42",
        "vigil.gateway.registrations[1].source=healthchecks",
        "vigil.gateway.registrations[1].tenant=acme",
        "vigil.gateway.registrations[1].account=3723707",
        "vigil.gateway.registrations[1].job=borg"})
class KafkaUnavailableTests {

    @LocalServerPort
    int port;

    @Test
    void hooksAreAnswered503WithRetryAfterAndNoneIsAcknowledged() throws Exception {
        HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
        String query = Base64.getEncoder().encodeToString("PID=1|t=2|cmd=LS1iYWNrdXAtdm1zPUE=".getBytes());
        List<CompletableFuture<HttpResponse<String>>> calls = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            calls.add(http.sendAsync(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port
                    + "/hooks/xsibackup/xsi-token-for-tests-0001/error?" + query)).timeout(Duration.ofSeconds(30)).build(),
                    HttpResponse.BodyHandlers.ofString()));
        }
        for (CompletableFuture<HttpResponse<String>> call : calls) {
            HttpResponse<String> response = call.get();
            assertThat(response.statusCode()).isEqualTo(503);
            assertThat(response.headers().firstValue("Retry-After")).hasValue("30");
            assertThat(response.body()).doesNotContain("OK").contains("Send it again later");
        }
        // a ping is answered in healthchecks' plain text, with the same Retry-After its clients honour
        HttpResponse<String> ping = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port
                + "/ping/5f3b6a8e-2f1c-4c11-9a55-0c6b3c1d7e42/fail")).timeout(Duration.ofSeconds(30)).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(ping.statusCode()).isEqualTo(503);
        assertThat(ping.headers().firstValue("Retry-After")).hasValue("30");
        assertThat(ping.headers().firstValue("Content-Type")).hasValueSatisfying(t -> assertThat(t).startsWith("text/plain"));
        assertThat(ping.body()).isEqualTo("service unavailable");
    }
}
