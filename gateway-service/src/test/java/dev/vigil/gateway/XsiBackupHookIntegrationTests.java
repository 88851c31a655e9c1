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

    /** XSIBackup puts its whole command line, SMTP password and Vigil's own token included, into cmd. */
    @Test
    void noSecretOfTheCommandLineReachesATopic() throws Exception {
        String cmd = "--backup-vms=MAIL01 --smtp-srv=smtp.example.org --smtp-usr=esxi@example.org --smtp-pwd=S3cr3t!pw "
                + "--on-error=\"http://vigil.example.org/hooks/xsibackup/xsi-token-for-tests-0001/error|OK\"";
        java.util.Base64.Encoder b64 = java.util.Base64.getEncoder();
        String query = b64.encodeToString(("PID=777|t=5|cmd=" + b64.encodeToString(cmd.getBytes(StandardCharsets.UTF_8))
                + "|err=" + b64.encodeToString("MAIL01: failed, smtp password=S3cr3t!pw".getBytes(StandardCharsets.UTF_8)))
                .getBytes(StandardCharsets.UTF_8));
        assertThat(get("/hooks/xsibackup/xsi-token-for-tests-0001/error?" + query).statusCode()).isEqualTo(200);
        assertThat(get("/hooks/xsibackup/xsi-token-for-tests-0001/bogus?" + query).statusCode()).isEqualTo(404);

        List<ConsumerRecord<String, String>> records = tail.await(2, r -> true, Duration.ofSeconds(10));
        assertThat(records).extracting(ConsumerRecord::topic).containsExactlyInAnyOrder(Topics.EVENTS, Topics.REJECTED);
        for (ConsumerRecord<String, String> record : records) {
            String everything = record.value() + " " + record.key();
            String decodedRaw = everything;
            java.util.regex.Matcher base64 = java.util.regex.Pattern.compile("[A-Za-z0-9+/=]{40,}").matcher(record.value());
            while (base64.find()) {
                try {
                    String inner = new String(java.util.Base64.getDecoder().decode(base64.group()), StandardCharsets.UTF_8);
                    decodedRaw += " " + inner;
                    java.util.regex.Matcher nested = java.util.regex.Pattern.compile("[A-Za-z0-9+/=]{12,}").matcher(inner);
                    while (nested.find()) {
                        try {
                            decodedRaw += " " + new String(java.util.Base64.getDecoder().decode(nested.group()),
                                    StandardCharsets.UTF_8);
                        } catch (IllegalArgumentException e) {
                            // not base64
                        }
                    }
                } catch (IllegalArgumentException e) {
                    // not base64
                }
            }
            assertThat(decodedRaw).as(record.topic()).doesNotContain("S3cr3t!pw", "xsi-token-for-tests-0001");
        }
        BackupEvent event = TopicTail.value(records.stream().filter(r -> r.topic().equals(Topics.EVENTS)).findFirst()
                .orElseThrow(), BackupEvent.class);
        assertThat(event.attributes().get("cmd")).contains("--smtp-pwd=***", "/hooks/xsibackup/***/error|OK",
                "--backup-vms=MAIL01");
        assertThat(event.job().job()).isEqualTo("MAIL01");
    }

    /** A raw '|' in the query (as XSIBackup's own --on-error line holds it) reaches Vigil: a problem, kept. */
    @Test
    void aRawPipeInTheQueryIsVigilsOwnProblemNotTomcatsHtml() throws Exception {
        String response = rawGet("/hooks/xsibackup/xsi-token-for-tests-0001/error?PID=1|t=2|cmd=x");
        assertThat(response).startsWith("HTTP/1.1 400").contains("application/problem+json");
        List<ConsumerRecord<String, String>> rejected = tail.await(1, Topics.REJECTED, Duration.ofSeconds(10));
        assertThat(TopicTail.value(rejected.get(0), RejectedInput.class).raw()).isEqualTo("PID=1|t=2|cmd=x");
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
