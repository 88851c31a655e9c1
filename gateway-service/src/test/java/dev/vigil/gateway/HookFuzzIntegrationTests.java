package dev.vigil.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.model.Topics;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Generated inputs for every endpoint: random bytes, truncations, odd encodings, huge values. No input yields a
 * 5xx, and every refusal lands on {@code backup.rejected}.
 */
class HookFuzzIntegrationTests extends GatewayIntegrationTest {

    private final Random random = new Random(2026);

    @Test
    void noGeneratedInputYieldsA5xxAndEveryRefusalIsKept() throws Exception {
        int refused = 0;
        for (int i = 0; i < 300; i++) {
            HttpResponse<String> response = send(request(i % 5));
            assertThat(response.statusCode()).as("input %d: %s", i, response.body()).isLessThan(500);
            if (response.statusCode() >= 400) {
                refused++;
            }
        }
        assertThat(refused).isPositive();
        int expected = refused;
        assertThat(tail.await(expected, r -> r.topic().equals(Topics.REJECTED), Duration.ofSeconds(30))
                .stream().filter(r -> r.topic().equals(Topics.REJECTED)).count()).isEqualTo(expected);
    }

    private HttpRequest.Builder request(int endpoint) {
        byte[] bytes = randomBytes();
        return switch (endpoint) {
            case 0 -> HttpRequest.newBuilder(uri("/hooks/xsibackup/xsi-token-for-tests-0001/error?"
                    + Base64.getUrlEncoder().withoutPadding().encodeToString(mutate(
                    ("PID=" + random.nextInt() + "|t=" + random.nextLong() + "|cmd=" + Base64.getEncoder().encodeToString(bytes))
                            .getBytes(StandardCharsets.UTF_8))))).GET();
            case 1 -> HttpRequest.newBuilder(uri("/hooks/retrospect")).header("Authorization", "Bearer retro-token-for-tests-01")
                    .header("Content-Type", random.nextBoolean() ? "application/json" : "application/x-www-form-urlencoded")
                    .POST(HttpRequest.BodyPublishers.ofByteArray(bytes));
            case 2 -> HttpRequest.newBuilder(uri("/hooks/stoney/3723708/laptop/" + (random.nextBoolean() ? "backupEnded.xml" : "scheduler.xml")))
                    .header("Authorization", "Bearer stoney-token-for-tests-1")
                    .POST(HttpRequest.BodyPublishers.ofByteArray(mutate(
                            "<backup_ended><enddate>2014-01-31T20:41:00+01:00</enddate><id>1</id><success>1</success></backup_ended>"
                                    .getBytes(StandardCharsets.UTF_8))));
            case 3 -> HttpRequest.newBuilder(uri("/hooks/stoney/3723708/quota")).header("Authorization", "Bearer stoney-token-for-tests-1")
                    .POST(HttpRequest.BodyPublishers.ofByteArray(bytes));
            default -> HttpRequest.newBuilder(uri("/api/v1/events")).header("Authorization", "Bearer generic-token-for-tests1")
                    .header("Content-Type", "application/cloudevents+json")
                    .POST(HttpRequest.BodyPublishers.ofByteArray(mutate(
                            "{\"specversion\":\"1.0\",\"id\":\"x\",\"source\":\"s\",\"type\":\"t\",\"data\":{\"job\":\"j\",\"outcome\":\"FAILED\"}}"
                                    .getBytes(StandardCharsets.UTF_8))));
        };
    }

    private byte[] randomBytes() {
        byte[] bytes = new byte[random.nextInt(random.nextInt(10) == 0 ? 20_000 : 300)];
        random.nextBytes(bytes);
        return bytes;
    }

    /** Truncates, flips or keeps a valid input. */
    private byte[] mutate(byte[] valid) {
        return switch (random.nextInt(3)) {
            case 0 -> java.util.Arrays.copyOf(valid, random.nextInt(valid.length + 1));
            case 1 -> {
                byte[] copy = valid.clone();
                for (int k = random.nextInt(4); k >= 0; k--) {
                    copy[random.nextInt(copy.length)] = (byte) random.nextInt(256);
                }
                yield copy;
            }
            default -> valid;
        };
    }
}
