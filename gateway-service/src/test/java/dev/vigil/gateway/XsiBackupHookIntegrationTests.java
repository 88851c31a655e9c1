package dev.vigil.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.model.BackupEvent;
import dev.vigil.model.CloudEventHeaders;
import dev.vigil.model.EventType;
import dev.vigil.kafka.test.TopicTail;
import dev.vigil.model.JobKey;
import dev.vigil.model.Outcome;
import dev.vigil.model.RejectedInput;
import dev.vigil.model.Topics;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;

/** The XSIBackup hook on a real broker: acknowledged events, refusals, the raw input kept. */
class XsiBackupHookIntegrationTests extends GatewayIntegrationTest {

    private static final String X2 = "UElEPTEyMzQ1Nnx0PTg0NXxjbWQ9TFMxaVlXTnJkWEF0Y0c5cGJuUTlMM1p0Wm5NdmRtOXNkVzFsY3k5aVlXTnJkWEFnTFMxaVlX"
            + "TnJkWEF0ZEhsd1pUMWpkWE4wYjIwZ0xTMWlZV05yZFhBdGRtMXpQVmRKVGpjc1JWSlFNREVnTFMxdmJpMWxjbkp2Y2owaWFIUjBj"
            + "RG92TDJadmJ5NWpiMjB2ZUhOcFltRmphM1Z3WDI5dVpYSnliM0l1Y0dod2ZFOUxJZz09fGVycj1SVkpRTURFNklITnVZWEJ6YUc5"
            + "MElHTnlaV0YwYVc5dUlHWmhhV3hsWkFwWFNVNDNPaUF3SUdWeWNtOXljdz09";

    @Test
    void anErrorCallIsOnKafkaBeforeItIsAnsweredWithTheExpectedBody() throws Exception {
        HttpResponse<String> response = get("/hooks/xsibackup/xsi-token-for-tests-0001/error?" + X2);

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.body()).isEqualTo("BBKING");
        assertThat(response.headers().firstValue("Content-Type")).hasValueSatisfying(v -> assertThat(v).startsWith("text/plain"));

        List<ConsumerRecord<String, String>> records = tail.await(1, Topics.EVENTS, Duration.ofSeconds(10));
        assertThat(records).hasSize(1);
        ConsumerRecord<String, String> record = records.get(0);
        BackupEvent event = TopicTail.value(record, BackupEvent.class);
        assertThat(record.key()).isEqualTo("acme/3723707/WIN7,ERP01");
        assertThat(event.job()).isEqualTo(new JobKey("acme", "3723707", "WIN7,ERP01"));
        assertThat(event.type()).isEqualTo(EventType.BACKUP_FINISHED);
        assertThat(event.outcome()).isEqualTo(Outcome.FAILED);
        assertThat(event.id()).isEqualTo("xsibackup-esxi-07-123456-failed");
        assertThat(event.measures().durationSeconds()).isEqualTo(845L);
        assertThat(event.measures().errorCount()).isEqualTo(2);
        assertThat(event.error().message()).contains("ERP01: snapshot creation failed");
        assertThat(event.raw()).isEqualTo(X2);
        assertThat(new String(record.headers().lastHeader(CloudEventHeaders.ID).value(), StandardCharsets.UTF_8))
                .isEqualTo(event.id());
        assertThat(new String(record.headers().lastHeader(CloudEventHeaders.TYPE).value(), StandardCharsets.UTF_8))
                .isEqualTo("dev.vigil.backup.backup_finished");
    }

    @Test
    void x7IsRefusedWithAProblemAndItsRawQueryIsKeptOnRejected() throws Exception {
        // Sent over a plain socket: HTTP clients refuse to build this URL, a proxy or busybox wget does not.
        String response = rawGet("/hooks/xsibackup/xsi-token-for-tests-0001/error?%%%notb64");

        assertThat(response).startsWith("HTTP/1.1 400")
                .containsIgnoringCase("Content-Type: application/problem+json")
                .contains("percent-escape").contains("\"status\":400");

        List<ConsumerRecord<String, String>> records = tail.await(1, Topics.REJECTED, Duration.ofSeconds(10));
        assertThat(tail.settle(Duration.ofMillis(500))).noneMatch(r -> r.topic().equals(Topics.EVENTS));
        RejectedInput rejected = TopicTail.value(records.get(0), RejectedInput.class);
        assertThat(rejected.raw()).isEqualTo("%%%notb64");
        assertThat(rejected.status()).isEqualTo(400);
        assertThat(rejected.path()).isEqualTo("/hooks/xsibackup/***/error").doesNotContain("xsi-token");
    }

    @Test
    void aWrongTokenIs401AndNeverPublishedAsAnEvent() throws Exception {
        HttpResponse<String> response = get("/hooks/xsibackup/not-the-right-token-000/error?" + X2);

        assertThat(response.statusCode()).isEqualTo(401);
        assertThat(response.headers().firstValue("Content-Type")).hasValue("application/problem+json");
        assertThat(tail.await(1, Topics.REJECTED, Duration.ofSeconds(10))).hasSize(1);
        assertThat(tail.settle(Duration.ofMillis(500))).extracting(ConsumerRecord::topic).containsOnly(Topics.REJECTED);
    }

    private String rawGet(String pathAndQuery) throws Exception {
        return rawRequest("GET " + pathAndQuery + " HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n");
    }
}
