package dev.vigil.local;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class WebhookCatcherTests {

    @TempDir
    Path folder;

    @Test
    void everyRequestIsAnswered200AndKeptAsJson() throws Exception {
        try (WebhookCatcher catcher = WebhookCatcher.start(0, folder)) {
            HttpResponse<String> response = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                            URI.create("http://127.0.0.1:" + catcher.port() + "/slack/services/T1"))
                    .header("X-Vigil-Signature", "sha256=ab").POST(HttpRequest.BodyPublishers.ofString("{\"text\":\"a \\\"b\\\"\"}"))
                    .build(), HttpResponse.BodyHandlers.ofString());
            assertThat(response.statusCode()).isEqualTo(200);
        }
        try (Stream<Path> files = Files.list(folder)) {
            List<Path> kept = files.toList();
            assertThat(kept).hasSize(1);
            assertThat(kept.get(0).getFileName().toString()).isEqualTo("00001-slack-services-T1.json");
            assertThat(Files.readString(kept.get(0))).contains("\"path\":\"/slack/services/T1\"")
                    .contains("\"X-vigil-signature\":\"sha256=ab\"").contains("\"body\":\"{\\\"text\\\":\\\"a \\\\\\\"b\\\\\\\"\\\"}\"");
        }
    }

    @Test
    void itAnswersWhatItIsToldToUnderAPathAsOftenAsToldThen200Again() throws Exception {
        HttpClient http = HttpClient.newHttpClient();
        try (WebhookCatcher catcher = WebhookCatcher.start(0, folder)) {
            String base = "http://127.0.0.1:" + catcher.port();
            HttpResponse<String> told = http.send(HttpRequest.newBuilder(URI.create(base
                    + "/_answer?path=/slack&status=429&retry-after=7&times=2")).POST(HttpRequest.BodyPublishers.noBody())
                    .build(), HttpResponse.BodyHandlers.ofString());
            assertThat(told.statusCode()).isEqualTo(200);
            List<Integer> statuses = new java.util.ArrayList<>();
            List<String> retryAfter = new java.util.ArrayList<>();
            for (String path : List.of("/webhook", "/slack/T1", "/slack/T1", "/slack/T1")) {
                HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create(base + path))
                        .POST(HttpRequest.BodyPublishers.ofString("{}")).build(), HttpResponse.BodyHandlers.ofString());
                statuses.add(response.statusCode());
                retryAfter.add(response.headers().firstValue("Retry-After").orElse("-"));
            }
            assertThat(statuses).containsExactly(200, 429, 429, 200);
            assertThat(retryAfter).containsExactly("-", "7", "7", "-");
        }
        try (Stream<Path> files = Files.list(folder)) {
            assertThat(files.map(f -> f.getFileName().toString()).sorted()).containsExactly("00001-webhook.json",
                    "00002-429-slack-T1.json", "00003-429-slack-T1.json", "00004-slack-T1.json");
        }
    }
}
