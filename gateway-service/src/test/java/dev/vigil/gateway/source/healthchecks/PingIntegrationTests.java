package dev.vigil.gateway.source.healthchecks;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.gateway.GatewayIntegrationTest;
import dev.vigil.kafka.test.TopicTail;
import dev.vigil.model.BackupEvent;
import dev.vigil.model.EventType;
import dev.vigil.model.Outcome;
import dev.vigil.model.Topics;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The healthchecks ping API as borgmatic, runitor and curl one-liners use it. */
class PingIntegrationTests extends GatewayIntegrationTest {

    static final String UUID = "5f3b6a8e-2f1c-4c11-9a55-0c6b3c1d7e42";

    @Test
    void borgmaticStartThenFailWithTheLogAsBody() throws Exception {
        // What Debian's borgmatic sends: POST /start with an empty body, then POST /fail with the log; no Content-Type.
        HttpResponse<String> start = send(HttpRequest.newBuilder(uri("/ping/" + UUID + "/start"))
                .POST(HttpRequest.BodyPublishers.noBody()));
        HttpResponse<String> fail = send(HttpRequest.newBuilder(uri("/ping/" + UUID + "/fail"))
                .POST(HttpRequest.BodyPublishers.ofString("Creating archive\nRepository locked\n")));

        assertThat(start.statusCode()).isEqualTo(200);
        assertThat(start.body()).isEqualTo("OK");
        assertThat(fail.body()).isEqualTo("OK");
        List<BackupEvent> events = TopicTail.values(tail.await(2, Topics.EVENTS, Duration.ofSeconds(10)), BackupEvent.class);
        assertThat(events).extracting(BackupEvent::type).containsExactly(EventType.BACKUP_STARTED, EventType.BACKUP_FINISHED);
        assertThat(events.get(1).outcome()).isEqualTo(Outcome.FAILED);
        assertThat(events.get(1).error().message()).isEqualTo("Repository locked");
        assertThat(events.get(1).attributes()).containsEntry("log", "Creating archive\nRepository locked\n");
        assertThat(events.get(1).job().asString()).isEqualTo("acme/3723707/borg-nightly");
        assertThat(events.get(1).raw()).doesNotContain(UUID);
        // the registration's schedule travels with the events, for the rules to expect the next run
        assertThat(events.get(1).attributes()).containsEntry("schedule.kind", "period").containsEntry("schedule.period", "1d");
    }

    @Test
    void exitStatusesRunIdsAndMethods() throws Exception {
        assertThat(get("/ping/" + UUID + "/0?rid=9b1a0c4e-0d6f-4a8e-9c55-0c6b3c1d7e42").body()).isEqualTo("OK");
        assertThat(send(HttpRequest.newBuilder(uri("/ping/" + UUID + "/3")).method("HEAD",
                HttpRequest.BodyPublishers.noBody())).statusCode()).isEqualTo(200);
        assertThat(get("/ping/" + UUID + "/log").statusCode()).isEqualTo(200);
        assertThat(get("/ping/" + UUID).statusCode()).isEqualTo(200);

        List<BackupEvent> events = TopicTail.values(tail.await(4, Topics.EVENTS, Duration.ofSeconds(10)), BackupEvent.class);
        assertThat(events).extracting(BackupEvent::outcome)
                .containsExactly(Outcome.SUCCESS, Outcome.FAILED, Outcome.NONE, Outcome.SUCCESS);
        assertThat(events.get(0).id()).isEqualTo("hc-borg-nightly-9b1a0c4e-0d6f-4a8e-9c55-0c6b3c1d7e42-0");
        assertThat(events.get(0).runId()).isEqualTo("9b1a0c4e-0d6f-4a8e-9c55-0c6b3c1d7e42");
        assertThat(events.get(1).error().code()).isEqualTo("3");
        assertThat(events.get(2).type()).isEqualTo(EventType.LOG);
    }

    @Test
    void anUnknownUuidIsAPlain404NotFoundLikeHealthchecks() throws Exception {
        HttpResponse<String> response = get("/ping/00000000-0000-0000-0000-000000000000");

        assertThat(response.statusCode()).isEqualTo(404);
        assertThat(response.body()).isEqualTo("not found");
        // an unknown UUID is nobody known: counted, kept on backup.rejected at most once a second (a sample)
        assertThat(tail.settle(Duration.ofMillis(500))).hasSizeLessThanOrEqualTo(1)
                .allSatisfy(r -> assertThat(r.topic()).isEqualTo(Topics.REJECTED));
    }

    @Test
    void aBodyOverOneHundredKilobytesKeepsItsHeadAndTailAndIsFlagged() throws Exception {
        send(HttpRequest.newBuilder(uri("/ping/" + UUID)).POST(HttpRequest.BodyPublishers.ofString(
                "x".repeat(50_000) + "y".repeat(150_000) + "z".repeat(10_000))));

        BackupEvent event = TopicTail.value(tail.await(1, Topics.EVENTS, Duration.ofSeconds(10)).get(0), BackupEvent.class);
        assertThat(event.attributes().get("log")).startsWith("x".repeat(50_000) + "yyy").endsWith("y" + "z".repeat(10_000))
                .contains("\n[… 107600 bytes left out …]\n");
        assertThat(event.attributes()).containsEntry("logTruncated", "true").containsEntry("logBytes", "210000");
    }

    @Test
    void anExitStatusOutOfRangeIs400() throws Exception {
        assertThat(get("/ping/" + UUID + "/256").statusCode()).isEqualTo(400);
    }

    /** A ping a client held back says when its run happened; Vigil believes it within bounds of its own clock. */
    @Test
    void aTsParameterKeepsWhenTheRunHappened() throws Exception {
        java.time.Instant now = java.time.Instant.now();
        long tenMinutesAgo = now.minusSeconds(600).getEpochSecond();
        assertThat(get("/ping/" + UUID + "?ts=" + tenMinutesAgo).body()).isEqualTo("OK");
        assertThat(get("/ping/" + UUID + "/start?ts=" + now.minusSeconds(60).toString()).body()).isEqualTo("OK");
        assertThat(get("/ping/" + UUID + "/fail?ts=" + now.plusSeconds(86_400).getEpochSecond()).body()).isEqualTo("OK");
        HttpResponse<String> unreadable = get("/ping/" + UUID + "?ts=yesterday");
        assertThat(unreadable.statusCode()).isEqualTo(400);
        assertThat(unreadable.body()).contains("ts must be Unix seconds or an RFC 3339 time");

        List<BackupEvent> events = TopicTail.values(tail.await(3, Topics.EVENTS, Duration.ofSeconds(10)), BackupEvent.class);
        assertThat(events.get(0).occurredAt()).isEqualTo(java.time.Instant.ofEpochSecond(tenMinutesAgo));
        assertThat(events.get(1).occurredAt()).isEqualTo(now.minusSeconds(60));
        assertThat(events.get(2).occurredAt()).as("a day ahead of Vigil's clock: not believed")
                .isEqualTo(events.get(2).receivedAt());
        assertThat(events.get(2).attributes()).containsKey("ts.ignored");
    }

    /**
     * A rid makes a retried call the same event (same kind, and the same ts where it has one; without, the rules take
     * it for a retry only within seconds), not a later run that reuses the rid, nor a run's many logs: healthchecks
     * records each of these.
     */
    @Test
    void aRunIdMarksARetryNotEveryRunThatReusesIt() throws Exception {
        String rid = "?rid=7c1a0c4e-0d6f-4a8e-9c55-0c6b3c1d7e42";
        long now = java.time.Instant.now().getEpochSecond();
        get("/ping/" + UUID + "/start" + rid + "&ts=" + (now - 7200));
        get("/ping/" + UUID + "/start" + rid + "&ts=" + (now - 7200)); // the same call again
        get("/ping/" + UUID + "/start" + rid + "&ts=" + (now - 3600)); // the next run, the same rid
        get("/ping/" + UUID + "/log" + rid);
        get("/ping/" + UUID + "/log" + rid);

        List<BackupEvent> events = TopicTail.values(tail.await(5, Topics.EVENTS, Duration.ofSeconds(10)), BackupEvent.class);
        assertThat(events.get(0).id()).isEqualTo(events.get(1).id());
        assertThat(events.get(2).id()).isNotEqualTo(events.get(0).id());
        assertThat(events.get(3).id()).isNotEqualTo(events.get(4).id());
        assertThat(events).extracting(BackupEvent::runId).containsOnly("7c1a0c4e-0d6f-4a8e-9c55-0c6b3c1d7e42");
    }
}
