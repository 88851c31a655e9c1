package dev.vigil.gateway.source.stoney;

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
import java.util.List;
import org.junit.jupiter.api.Test;

class StoneyHookIntegrationTests extends GatewayIntegrationTest {

    static final String TOKEN = "stoney-token-for-tests-1";

    private HttpResponse<String> post(String path, String body, String token) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(uri(path)).header("Content-Type", "application/xml")
                .POST(HttpRequest.BodyPublishers.ofString(body));
        if (token != null) {
            request.header("Authorization", "Bearer " + token);
        }
        return send(request);
    }

    @Test
    void startEndScheduleAndQuotaOfOneClientArriveAsEventsOfItsJob() throws Exception {
        assertThat(post("/hooks/stoney/3723708/laptop/backupStarted.xml", StoneyFilesTests.STARTED, TOKEN).statusCode()).isEqualTo(200);
        assertThat(post("/hooks/stoney/3723708/laptop/backupEnded.xml", "<backup_ended><enddate>2014-01-31T20:41:00+01:00"
                + "</enddate><id>1804289383</id><success>1</success></backup_ended>", TOKEN).statusCode()).isEqualTo(200);
        assertThat(post("/hooks/stoney/3723708/laptop/scheduler.xml",
                "<online_backup_schedule><no_schedule/></online_backup_schedule>", TOKEN).statusCode()).isEqualTo(200);
        assertThat(post("/hooks/stoney/3723708/quota", "10240 7800 900", TOKEN).statusCode()).isEqualTo(200);

        List<BackupEvent> events = TopicTail.values(tail.await(4, Topics.EVENTS, Duration.ofSeconds(10)), BackupEvent.class);
        assertThat(events).extracting(BackupEvent::type).containsExactlyInAnyOrder(EventType.BACKUP_STARTED,
                EventType.BACKUP_FINISHED, EventType.SCHEDULE_DECLARED, EventType.QUOTA_REPORTED);
        assertThat(events).filteredOn(e -> e.type() != EventType.QUOTA_REPORTED)
                .allSatisfy(e -> assertThat(e.job().asString()).isEqualTo("stoney/3723708/laptop"));
        assertThat(events).filteredOn(e -> e.type() == EventType.BACKUP_FINISHED).singleElement()
                .satisfies(e -> assertThat(e.outcome()).isEqualTo(Outcome.SUCCESS))
                .satisfies(e -> assertThat(e.runId()).isEqualTo("1804289383"));
    }

    @Test
    void aBrokenUploadIs400AndKept() throws Exception {
        HttpResponse<String> response = post("/hooks/stoney/3723708/laptop/backupEnded.xml", "<backup_ended><id>1", TOKEN);

        assertThat(response.statusCode()).isEqualTo(400);
        assertThat(response.body()).contains("not well-formed XML");
        RejectedInput rejected = TopicTail.value(tail.await(1, Topics.REJECTED, Duration.ofSeconds(10)).get(0), RejectedInput.class);
        assertThat(rejected.raw()).isEqualTo("<backup_ended><id>1");
        assertThat(rejected.source()).isEqualTo("stoney");
    }

    @Test
    void aTokenOfAnotherSourceIs401() throws Exception {
        assertThat(post("/hooks/stoney/3723708/quota", "1 1 1", "retro-token-for-tests-01").statusCode()).isEqualTo(401);
    }
}
