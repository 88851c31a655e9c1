package dev.vigil.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.model.RejectedInput;
import dev.vigil.kafka.test.TopicTail;
import dev.vigil.model.Topics;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Refusals the servlet container makes before Vigil's code runs are answered in the endpoint's own format (plain
 * text under /ping, problem+json elsewhere), never as Tomcat's HTML page, and kept on backup.rejected as a sample.
 */
class ContainerRefusalTests extends GatewayIntegrationTest {

    private String exchange(String requestLineAndHeaders) throws Exception {
        return rawRequest(requestLineAndHeaders + "Host: localhost\r\nConnection: close\r\n\r\n");
    }

    @Test
    void headersOverTheLimitAreRefusedInTheEndpointsFormat() throws Exception {
        String huge = "X-Filler: " + "a".repeat(70_000) + "\r\n";
        String hook = exchange("POST /hooks/retrospect HTTP/1.1\r\n" + huge);
        assertThat(hook).startsWith("HTTP/1.1 400").contains("application/problem+json").doesNotContainIgnoringCase("<html")
                .contains("\"detail\":\"Request header is too large\"");

        String ping = exchange("GET /ping/0b6f3c1e-5d2a-4e8f-9a71-3c2d1e0f4a5b HTTP/1.1\r\n" + huge);
        assertThat(ping).startsWith("HTTP/1.1 400").contains("text/plain").doesNotContainIgnoringCase("<html");
        assertThat(ping).endsWith("bad request");

        List<RejectedInput> kept = TopicTail.values(tail.await(1, Topics.REJECTED, Duration.ofSeconds(10)), RejectedInput.class);
        assertThat(kept).isNotEmpty();
        assertThat(kept.get(0).status()).isEqualTo(400);
    }

    @Test
    void aMalformedRequestTargetAndAnEncodedSlashGetVigilsAnswers() throws Exception {
        String badEscape = exchange("GET /hooks/xsibackup/abc%zz/error HTTP/1.1\r\n");
        assertThat(badEscape).startsWith("HTTP/1.1 400").contains("application/problem+json").doesNotContainIgnoringCase("<html")
                .contains("Invalid URI");

        String slash = exchange("GET /hooks/xsibackup/abc%2Fdef-ghi-jkl-mno/error HTTP/1.1\r\n");
        assertThat(slash).startsWith("HTTP/1.1 401").contains("application/problem+json");

        String pingSlash = exchange("GET /ping/abc%2Fdef HTTP/1.1\r\n");
        assertThat(pingSlash).startsWith("HTTP/1.1 404").endsWith("not found");

        // a raw non-ASCII byte in a ping's query: Tomcat cannot parse the request line, and the answer is still plain
        String pingByte = exchange("GET /ping/0b6f3c1e-5d2a-4e8f-9a71-3c2d1e0f4a5b?x=1/\u0661 HTTP/1.1\r\n");
        assertThat(pingByte).startsWith("HTTP/1.1 400").contains("text/plain").endsWith("bad request")
                .doesNotContain("0b6f3c1e-5d2a-4e8f-9a71-3c2d1e0f4a5b");
    }

    /** Tomcat quotes the target it refused: its query (XSIBackup's base64 payload, secrets inside) is never kept. */
    @Test
    void theQueryOfARefusedRequestTargetIsLeftOutOfTheReason() throws Exception {
        Thread.sleep(1_100); // container refusals are kept as a sample, at most one a second per source
        String payload = java.util.Base64.getEncoder().encodeToString(("PID=1|cmd=" + java.util.Base64.getEncoder()
                .encodeToString("--smtp-pwd=FragLeakPw99".getBytes())).getBytes());
        String answer = exchange("GET /hooks/xsibackup/xsi-token-for-tests-0001/error?" + payload + "#f HTTP/1.1\r\n");
        assertThat(answer).startsWith("HTTP/1.1 400").doesNotContain(payload).doesNotContain("xsi-token-for-tests-0001");
        List<RejectedInput> kept = TopicTail.values(tail.await(1, Topics.REJECTED, Duration.ofSeconds(10)), RejectedInput.class);
        assertThat(kept.get(0).reason()).doesNotContain(payload).doesNotContain("xsi-token-for-tests-0001");
        assertThat(kept.get(0).path()).doesNotContain("xsi-token-for-tests-0001");
    }

    /**
     * Parameters Tomcat cannot decode, where something asks it to (a controller's {@code @RequestParam}), are a 400
     * problem, never an exception out of the servlet;
     * the hooks read their raw query themselves and are not touched.
     */
    @Test
    void parametersThatCannotBeDecodedAreTheCallersError() throws Exception {
        for (String target : List.of("/api/v1/registrations/r1/rotate?grace=%E2%82", "/api/v1/registrations/r1/rotate?grace=%")) {
            assertThat(exchange("POST " + target + " HTTP/1.1\r\nAuthorization: Bearer operator-key-00000001\r\n"
                    + "Content-Length: 0\r\n")).as(target).startsWith("HTTP/1.1 400")
                    .contains("application/problem+json", "undecodable-query");
        }
        String ping = exchange("GET /ping/0b6f3c1e-5d2a-4e8f-9a71-3c2d1e0f4a5b?rid=%FF%zz HTTP/1.1\r\n");
        assertThat(ping).doesNotStartWith("HTTP/1.1 5").doesNotContain("undecodable-query");
    }
}
