package dev.vigil.gateway.source.generic;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.gateway.GatewayIntegrationTest;
import dev.vigil.kafka.test.TopicTail;
import dev.vigil.model.BackupEvent;
import dev.vigil.model.EventType;
import dev.vigil.model.Outcome;
import dev.vigil.model.RejectedInput;
import dev.vigil.model.Topics;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class GenericEventIntegrationTests extends GatewayIntegrationTest {

    private HttpResponse<String> post(String json) throws Exception {
        return send(HttpRequest.newBuilder(uri("/api/v1/events"))
                .header("Authorization", "Bearer generic-token-for-tests1")
                .header("Content-Type", "application/cloudevents+json")
                .POST(HttpRequest.BodyPublishers.ofString(json)));
    }

    @Test
    void aCloudEventWhoseDataIsAVigilEvent() throws Exception {
        HttpResponse<String> response = post("""
                {"specversion":"1.0","id":"run-77","source":"urn:backrest:plan/nightly","type":"backrest.snapshot.end",
                 "time":"2026-11-21T03:00:00Z",
                 "data":{"job":"nightly","type":"BACKUP_FINISHED","outcome":"WARNING",
                         "measures":{"bytes":1048576,"files":42,"durationSeconds":61},
                         "attributes":{"plan":"nightly"}}}""");

        assertThat(response.statusCode()).isEqualTo(200);
        BackupEvent event = TopicTail.value(tail.await(1, Topics.EVENTS, Duration.ofSeconds(10)).get(0), BackupEvent.class);
        assertThat(event.id()).isEqualTo("generic-generic-app-run-77");
        assertThat(event.type()).isEqualTo(EventType.BACKUP_FINISHED);
        assertThat(event.outcome()).isEqualTo(Outcome.WARNING);
        assertThat(event.occurredAt()).isEqualTo(Instant.parse("2026-11-21T03:00:00Z"));
        assertThat(event.measures().files()).isEqualTo(42L);
        assertThat(event.attributes()).containsEntry("plan", "nightly").containsEntry("ce.type", "backrest.snapshot.end");
    }

    @Test
    void whatIsNotACloudEventIsRefusedWithTheReason() throws Exception {
        assertThat(post("{\"specversion\":\"0.3\",\"id\":\"1\",\"source\":\"s\",\"type\":\"t\",\"data\":{\"job\":\"j\"}}")
                .body()).contains("specversion");
        assertThat(post("{\"specversion\":\"1.0\",\"source\":\"s\",\"type\":\"t\",\"data\":{\"job\":\"j\"}}").body())
                .contains("needs id, source and type");
        assertThat(post("{\"specversion\":\"1.0\",\"id\":\"1\",\"source\":\"s\",\"type\":\"t\",\"data\":{}}").body())
                .contains("data.job");
        assertThat(post("{\"specversion\":\"1.0\",\"id\":\"1\",\"source\":\"s\",\"type\":\"t\",\"data\":{\"job\":\"j\",\"type\":\"NOPE\"}}")
                .statusCode()).isEqualTo(400);
        HttpResponse<String> notJson = post("not json");
        assertThat(notJson.statusCode()).isEqualTo(400);
        assertThat(notJson.headers().firstValue("Content-Type")).hasValue("application/problem+json");
        assertThat(tail.await(5, Topics.REJECTED, Duration.ofSeconds(10))).hasSize(5);
    }

    @Test
    void anotherAccountThanTheRegistrationsIs403() throws Exception {
        assertThat(post("{\"specversion\":\"1.0\",\"id\":\"1\",\"source\":\"s\",\"type\":\"t\",\"data\":{\"job\":\"j\",\"account\":\"999\"}}")
                .statusCode()).isEqualTo(403);
    }

    /** What only Vigil may say, and values the rules could not use, are refused here with the reason. */
    @ParameterizedTest
    @CsvSource(delimiter = ';', value = {
            "\"type\":\"HEARTBEAT\",\"occurredAt\":\"2099-01-01T00:00:00Z\"; Vigil's own ingest heartbeat",
            "\"attributes\":{\"schedule.period\":\"-1d\"}; reserved",
            "\"attributes\":{\"schedule.kind\":\"period\"}; reserved",
            "\"attributes\":{\"ce.type\":\"x\"}; reserved",
            "\"account\":\"a/b\"; account uid",
            "\"measures\":{\"bytes\":-1}; negative",
    })
    void controlTypesReservedAttributesAndUnusableValuesAreRefused(String data, String reason) throws Exception {
        HttpResponse<String> response = post("{\"specversion\":\"1.0\",\"id\":\"1\",\"source\":\"s\",\"type\":\"t\","
                + "\"data\":{\"job\":\"j\"," + data + "}}");
        assertThat(response.statusCode()).isEqualTo(400);
        assertThat(response.headers().firstValue("Content-Type")).hasValue("application/problem+json");
        assertThat(response.body()).contains(reason);
        assertThat(tail.await(1, Topics.REJECTED, Duration.ofSeconds(10))).hasSize(1);
        assertThat(tail.settle(Duration.ofMillis(300))).noneMatch(r -> r.topic().equals(Topics.EVENTS));
    }

    /** A refusal says where and what, in one bounded line, never the input's secrets or Vigil's class names. */
    @Test
    void aRefusalNeitherEchoesTheInputNorNamesVigilsClasses() throws Exception {
        HttpResponse<String> response = post("{\"specversion\":\"1.0\",\"id\":\"1\",\"source\":\"s\",\"type\":\"t\","
                + "\"data\":{\"job\":\"j\",\"error\":\"--smtp-pwd=LogSecret999\\n2026 INFO forged line " + "E".repeat(50_000)
                + "\"}}");
        assertThat(response.statusCode()).isEqualTo(400);
        assertThat(response.body()).contains("at data.error").doesNotContain("LogSecret999", "dev.vigil", "forged", "EEEE")
                .hasSizeLessThan(1_000);
        RejectedInput rejected = TopicTail.value(tail.await(1, Topics.REJECTED, Duration.ofSeconds(10)).get(0),
                RejectedInput.class);
        assertThat(rejected.reason()).hasSizeLessThanOrEqualTo(500).doesNotContain("\n");
        assertThat(rejected.raw()).doesNotContain("LogSecret999").contains("--smtp-pwd=***");
    }

    /** Base64 hides a secret from masking: a CloudEvent's data_base64 is kept as ***, accepted or refused. */
    @Test
    void dataBase64IsNeverKeptAsSent() throws Exception {
        String hidden = java.util.Base64.getEncoder().encodeToString("password=B64Secret1".getBytes());
        assertThat(post("{\"specversion\":\"1.0\",\"id\":\"b64-1\",\"source\":\"s\",\"type\":\"t\",\"data_base64\":\""
                + hidden + "\",\"data\":{\"job\":\"j\",\"type\":\"BACKUP_FINISHED\",\"outcome\":\"SUCCESS\"}}")
                .statusCode()).isEqualTo(200);
        BackupEvent event = TopicTail.value(tail.await(1, Topics.EVENTS, Duration.ofSeconds(10)).get(0), BackupEvent.class);
        assertThat(event.raw()).doesNotContain(hidden).contains("\"data_base64\":\"***\"");
    }
}
