package dev.vigil.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.model.Topics;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * A valid token sent where the container, Spring's firewall or a wrong path answers is never echoed: not in the
 * answer's body ({@code instance}, {@code detail}), not in a header, not on {@code backup.rejected}. What refuses a
 * call is the same whatever the method, TRACE included.
 */
class TokenNeverEchoedTests extends GatewayIntegrationTest {

    @org.springframework.boot.test.web.server.LocalManagementPort
    int managementPort;

    private static final String XSI = "xsi-token-for-tests-0001";
    private static final String PING = "5f3b6a8e-2f1c-4c11-9a55-0c6b3c1d7e42";

    private static String request(String method, String target, String... headers) {
        return method + " " + target + " HTTP/1.1\r\nHost: x\r\n" + String.join("", headers)
                + "Content-Length: 0\r\nConnection: close\r\n\r\n";
    }

    @Test
    void aTokenInAPathOrHeaderNothingServesIsNeverAnswered() throws Exception {
        String trace = rawRequest(request("TRACE", "/hooks/xsibackup/" + XSI + "/error", "X-Trace: " + XSI + "\r\n"));
        assertThat(trace).startsWith("HTTP/1.1 405").contains("application/problem+json")
                .contains("\"instance\":\"/hooks/xsibackup/***/error\"").doesNotContain(XSI);
        var kept = tail.await(1, r -> r.topic().equals(Topics.REJECTED) && r.value().contains("\"TRACE\""),
                Duration.ofSeconds(10));
        assertThat(kept.get(0).value()).contains("\"status\":405").doesNotContain(XSI);

        for (String target : List.of("//hooks//xsibackup/" + XSI + "/error", "/HOOKS/xsibackup/" + XSI + "/error",
                "/hooks/unknown/" + XSI, "/hooks/retrospect/" + XSI, "/" + XSI, "/api/v1/" + XSI, "/PING/" + PING,
                "/hooks/unknown/" + PING + "/fail", "/hooks/xsibackup/x/" + XSI, "/x;" + XSI + "/y",
                "/hooks/%78sibackup/" + XSI + "/error")) {
            for (String method : List.of("GET", "POST", "PUT", "TRACE", "DELETE", "PATCH")) {
                String answer = rawRequest(request(method, target));
                assertThat(answer).as(method + " " + target).matches("(?s)HTTP/1.1 4\\d\\d .*")
                        .doesNotContain(XSI).doesNotContain(PING);
            }
        }
        // a request id that is a token is not taken as the trace id: it would reach the logs and the Kafka headers
        String id = rawRequest(request("GET", "/hooks/xsibackup/" + XSI + "/error", "X-Request-Id: " + XSI + "\r\n"));
        assertThat(id).doesNotContain(XSI).containsPattern("X-Request-Id: [0-9a-f-]{36}");
        String sane = rawRequest(request("GET", "/hooks/xsibackup/" + XSI + "/error", "X-Request-Id: job-4711-run-2\r\n"));
        assertThat(sane).contains("X-Request-Id: job-4711-run-2");

        assertThat(tail.settle(Duration.ofSeconds(2))).allSatisfy(record -> assertThat(record.value())
                .doesNotContain(XSI).doesNotContain(PING));
    }

    @Test
    void moreParametersThanTheServerTakesAreA413() throws Exception {
        // the rotation reads its grace parameter: Tomcat parses the query then
        StringBuilder query = new StringBuilder("/api/v1/registrations/no-such-registration/rotate?");
        for (int i = 0; i < 1_100; i++) {
            query.append(i == 0 ? "" : "&").append("p").append(i).append("=1");
        }
        String answer = rawRequest(request("POST", query.toString(), "Authorization: Bearer operator-key-00000001\r\n"));
        assertThat(answer).startsWith("HTTP/1.1 413").contains("application/problem+json")
                .contains("too-many-parameters").doesNotContain("cannot be decoded");
        // counted as the 413 it is, not as an exception's 500
        String metrics = http.send(java.net.http.HttpRequest.newBuilder(java.net.URI.create("http://127.0.0.1:"
                + managementPort + "/actuator/prometheus")).build(), java.net.http.HttpResponse.BodyHandlers.ofString()).body();
        List<String> rotations = metrics.lines().filter(line -> line.startsWith("http_server_requests_seconds_count")
                && line.contains("/rotate")).toList();
        assertThat(rotations).anySatisfy(line -> assertThat(line).contains("status=\"413\""))
                .noneSatisfy(line -> assertThat(line).contains("status=\"500\""));
    }
}
