package dev.vigil.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.kafka.test.TopicTail;
import dev.vigil.model.BackupEvent;
import dev.vigil.model.Topics;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * What a caller's Accept header says never costs a backup its report: an accepted hook is answered 200 in its own
 * format, a refusal in problem+json (plain text under /ping), and the container's error page is never HTML.
 */
class AcceptAndErrorPageTests extends GatewayIntegrationTest {

    private static final String PING = "/ping/5f3b6a8e-2f1c-4c11-9a55-0c6b3c1d7e42";

    private HttpResponse<String> call(String method, String path, String accept, String body, String... headers)
            throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(uri(path)).header("Accept", accept)
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        if (headers.length > 0) {
            request.headers(headers);
        }
        return send(request);
    }

    @Test
    void anyAcceptHeaderGetsTheHookAcceptedInItsOwnFormat() throws Exception {
        HttpResponse<String> ping = call("POST", PING + "/fail", "application/json", "disk full");
        assertThat(ping.statusCode()).isEqualTo(200);
        assertThat(ping.body()).isEqualTo("OK");

        String query = Base64.getEncoder().encodeToString(("PID=31|t=5|cmd="
                + Base64.getEncoder().encodeToString("--backup-vms=WEB01".getBytes()) + "|err=").getBytes());
        HttpResponse<String> xsi = call("GET", "/hooks/xsibackup/xsi-token-for-tests-0001/error?" + query,
                "application/json", null);
        assertThat(xsi.statusCode()).isEqualTo(200);
        assertThat(xsi.body()).isEqualTo("BBKING");

        HttpResponse<String> retrospect = call("POST", "/hooks/retrospect", "text/html", "arg=BackupStop&arg=host",
                "Authorization", "Bearer retro-token-for-tests-01", "Content-Type", "application/x-www-form-urlencoded");
        assertThat(retrospect.statusCode()).isEqualTo(200);
        assertThat(retrospect.headers().firstValue("Content-Type")).hasValueSatisfying(v -> assertThat(v).startsWith("application/json"));

        assertThat(tail.await(3, Topics.EVENTS, Duration.ofSeconds(10))).hasSize(3);

        HttpResponse<String> refused = call("POST", "/hooks/retrospect", "text/html", "arg=x",
                "Authorization", "Bearer not-a-known-token-0000");
        assertThat(refused.statusCode()).isEqualTo(401);
        assertThat(refused.headers().firstValue("Content-Type")).hasValueSatisfying(v -> assertThat(v).startsWith("application/problem+json"));
    }

    @Test
    void theErrorPageIsNeverHtml() throws Exception {
        for (String accept : List.of("text/html", "application/json", "*/*")) {
            HttpResponse<String> trace = call("TRACE", "/hooks/retrospect", accept, null);
            assertThat(trace.statusCode()).isEqualTo(405);
            assertThat(trace.headers().firstValue("Content-Type")).hasValueSatisfying(v -> assertThat(v).startsWith("application/problem+json"));
            assertThat(trace.body()).doesNotContainIgnoringCase("<html").doesNotContain("timestamp");

            HttpResponse<String> pingTrace = call("TRACE", PING, accept, null);
            assertThat(pingTrace.statusCode()).isEqualTo(405);
            assertThat(pingTrace.headers().firstValue("Content-Type")).hasValueSatisfying(v -> assertThat(v).startsWith("text/plain"));
            assertThat(pingTrace.body()).isEqualTo("method not allowed");

            HttpResponse<String> error = call("GET", "/error", accept, null);
            assertThat(error.statusCode()).isEqualTo(404);
            assertThat(error.body()).doesNotContainIgnoringCase("<html").doesNotContain("999");

            HttpResponse<String> firewall = call("GET", "/api/v1/registrations/a%2Fb", accept, null,
                    "Authorization", "Bearer operator-key-00000001");
            assertThat(firewall.statusCode()).isBetween(400, 404);
            assertThat(firewall.body()).doesNotContainIgnoringCase("<html").doesNotContain("timestamp");
        }
    }

    @Test
    void aSecretInAJobNameIsMaskedToo() throws Exception {
        HttpResponse<String> response = call("POST", "/hooks/retrospect", "*/*",
                "arg=ScriptCheckFailed&arg=password%3DRetroPw-1214+--smtp-pwd%3DRetroPw-1215&host=h",
                "Authorization", "Bearer retro-token-for-tests-01", "Content-Type", "application/x-www-form-urlencoded");
        assertThat(response.statusCode()).isEqualTo(200);
        var record = tail.await(1, Topics.EVENTS, Duration.ofSeconds(10)).get(0);
        BackupEvent event = TopicTail.value(record, BackupEvent.class);
        assertThat(record.key() + record.value()).doesNotContain("RetroPw-1214").doesNotContain("RetroPw-1215");
        assertThat(event.job().job()).contains("***");
    }

    @Test
    void aJobNameOfAnyLengthOrCharacterIsPublishedShortAndClean() throws Exception {
        String script = "Nightly\u0007\u202E" + "VM-".repeat(2_000) + "end";
        HttpResponse<String> response = call("POST", "/hooks/retrospect", "*/*",
                "arg=ScriptCheckFailed&arg=" + java.net.URLEncoder.encode(script, java.nio.charset.StandardCharsets.UTF_8)
                        + "&host=h",
                "Authorization", "Bearer retro-token-for-tests-01", "Content-Type", "application/x-www-form-urlencoded");
        assertThat(response.statusCode()).isEqualTo(200);
        var record = tail.await(1, Topics.EVENTS, Duration.ofSeconds(10)).get(0);
        BackupEvent event = TopicTail.value(record, BackupEvent.class);
        assertThat(event.job().job()).hasSizeLessThanOrEqualTo(dev.vigil.model.JobKey.NAME_LIMIT)
                .startsWith("Nightly  VM-VM-").containsPattern("…#[0-9a-f]{12}$");
        assertThat(record.key()).isEqualTo(event.job().asString());
    }
}
