package dev.vigil.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.kafka.test.TopicTail;
import dev.vigil.model.BackupEvent;
import dev.vigil.model.RejectedInput;
import dev.vigil.model.Topics;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * A body the caller sent malformed (a chunk size that is not hexadecimal, a multipart body cut short or without its
 * boundary) is the caller's fault: a 400 in the endpoint's format, kept on backup.rejected, never a 500.
 */
class MalformedBodyTests extends GatewayIntegrationTest {

    private static final String PING = "/ping/5f3b6a8e-2f1c-4c11-9a55-0c6b3c1d7e42";

    @Test
    void aChunkSizeThatIsNotHexadecimalIsRefusedWithA400AndKept() throws Exception {
        String hook = rawRequest("POST /hooks/retrospect HTTP/1.1\r\nHost: x\r\nConnection: close\r\n"
                + "Authorization: Bearer retro-token-for-tests-01\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\nabc\r\n0\r\n\r\n");
        assertThat(hook).startsWith("HTTP/1.1 400").contains("application/problem+json").doesNotContainIgnoringCase("<html");

        String ping = rawRequest("POST " + PING + "/fail HTTP/1.1\r\nHost: x\r\nConnection: close\r\n"
                + "Transfer-Encoding: chunked\r\n\r\nffffffffffffffffff\r\nabc\r\n0\r\n\r\n");
        assertThat(ping).startsWith("HTTP/1.1 400").contains("text/plain").doesNotContain("internal");

        List<RejectedInput> kept = TopicTail.values(tail.await(2, Topics.REJECTED, Duration.ofSeconds(10)),
                RejectedInput.class);
        assertThat(kept).extracting(RejectedInput::status).containsOnly(400);
        assertThat(kept).extracting(RejectedInput::source).contains("retrospect", "healthchecks");
    }

    @Test
    void aMultipartBodyIsReadAsWhatItIsNeverParsedBeforeVigilsCode() throws Exception {
        HttpResponse<String> cut = send(HttpRequest.newBuilder(uri("/hooks/retrospect"))
                .header("Authorization", "Bearer retro-token-for-tests-01")
                .header("Content-Type", "multipart/form-data; boundary=b")
                .POST(HttpRequest.BodyPublishers.ofString("--b\r\nContent-Disp MARK-MULTIPART-1")));
        assertThat(cut.statusCode()).isEqualTo(400);
        assertThat(cut.headers().firstValue("Content-Type")).hasValue("application/problem+json");

        HttpResponse<String> noBoundary = send(HttpRequest.newBuilder(uri("/hooks/retrospect"))
                .header("Authorization", "Bearer retro-token-for-tests-01")
                .header("Content-Type", "multipart/form-data")
                .POST(HttpRequest.BodyPublishers.ofString("MARK-MULTIPART-2")));
        assertThat(noBoundary.statusCode()).isEqualTo(400);

        List<RejectedInput> kept = TopicTail.values(tail.await(2, Topics.REJECTED, Duration.ofSeconds(10)),
                RejectedInput.class);
        assertThat(kept).extracting(RejectedInput::raw).anyMatch(raw -> raw.contains("MARK-MULTIPART-1"))
                .anyMatch(raw -> raw.contains("MARK-MULTIPART-2"));

        // a ping's body is its log, whatever its Content-Type (healthchecks reads it raw)
        HttpResponse<String> ping = send(HttpRequest.newBuilder(uri(PING + "/fail"))
                .header("Content-Type", "multipart/form-data")
                .POST(HttpRequest.BodyPublishers.ofString("MARK-MULTIPART-3 rsync failed")));
        assertThat(ping.statusCode()).isEqualTo(200);
        List<BackupEvent> events = TopicTail.values(tail.await(1, Topics.EVENTS, Duration.ofSeconds(10)),
                BackupEvent.class);
        assertThat(events.get(0).attributes().get("log")).contains("MARK-MULTIPART-3");
    }

    /** A URL nothing is served at: 404 without the token it holds, kept as a sample with a bounded source tag. */
    @Test
    void aPathNothingIsServedAtIsAnswered404WithoutItsTokenAndKept() throws Exception {
        Thread.sleep(1_100); // refusals of unauthenticated calls are kept as a sample, at most one a second per source
        HttpResponse<String> noCallback = get("/hooks/xsibackup/xsi-token-for-tests-0001?MARK-404");
        assertThat(noCallback.statusCode()).isEqualTo(404);
        assertThat(noCallback.headers().firstValue("Content-Type")).hasValue("application/problem+json");
        assertThat(noCallback.body()).doesNotContain("xsi-token-for-tests-0001");

        HttpResponse<String> madeUp = send(HttpRequest.newBuilder(uri("/hooks/borg-" + System.nanoTime() + "/x"))
                .POST(HttpRequest.BodyPublishers.ofString("x")));
        assertThat(madeUp.statusCode()).isEqualTo(404);

        List<RejectedInput> kept = TopicTail.values(tail.await(2, Topics.REJECTED, Duration.ofSeconds(10)),
                RejectedInput.class);
        assertThat(kept).extracting(RejectedInput::status).containsOnly(404);
        assertThat(kept).extracting(RejectedInput::source).containsExactlyInAnyOrder("xsibackup", "unknown");
        assertThat(kept).extracting(RejectedInput::path).noneMatch(path -> path.contains("xsi-token-for-tests-0001"));
    }

    /** A method a path does not take: 405 with Allow, without the token, kept as a sample. */
    @Test
    void aMethodAPathDoesNotTakeIsAnswered405WithoutItsTokenAndKept() throws Exception {
        Thread.sleep(1_100); // refusals of unauthenticated calls are kept as a sample, at most one a second per source
        HttpResponse<String> put = send(HttpRequest.newBuilder(uri("/hooks/xsibackup/xsi-token-for-tests-0001/error"))
                .PUT(HttpRequest.BodyPublishers.ofString("x")));
        assertThat(put.statusCode()).isEqualTo(405);
        assertThat(put.headers().firstValue("Content-Type")).hasValue("application/problem+json");
        assertThat(put.headers().firstValue("Allow")).isPresent();
        assertThat(put.body()).doesNotContain("xsi-token-for-tests-0001");
        List<RejectedInput> kept = TopicTail.values(tail.await(1, Topics.REJECTED, Duration.ofSeconds(10)),
                RejectedInput.class);
        assertThat(kept.get(0).status()).isEqualTo(405);
        assertThat(kept.get(0).path()).doesNotContain("xsi-token-for-tests-0001");
    }
}
