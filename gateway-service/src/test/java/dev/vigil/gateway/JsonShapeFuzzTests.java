package dev.vigil.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.model.Topics;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * JSON that parses but has the wrong shape: each JSON endpoint's valid documents with one or two of their values (or
 * the whole document) replaced by {@code null}, another type, an empty or odd value. Random bytes (as in
 * {@link HookFuzzIntegrationTests}) rarely parse, so they never reach the code that reads a parsed value; these do.
 * No such document yields a 5xx, and every hook refused is kept on {@code backup.rejected}.
 */
class JsonShapeFuzzTests extends GatewayIntegrationTest {

    private static final ObjectMapper MAPPER = JsonMapper.builder().build();
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    private final Random random = new Random(9457);

    @Test
    void aParsedValueOfAnyShapeIsRefusedOrTakenNeverA5xx() throws Exception {
        List<String> retrospect = List.of(
                "{\"argv\":[\"EndScript\",\"RJOB8\",\"7\",\"-530\",\"Execution incomplete\"],\"host\":\"h\",\"platform\":\"w\","
                        + "\"occurred\":\"2026-11-30T10:00:00Z\"}",
                "{\"argv\":[\"StartScript\",\"RJOB8\"]}");
        String cloudEvent = "{\"specversion\":\"1.0\",\"id\":\"x-1\",\"source\":\"s\",\"type\":\"t\",\"time\":\"2026-11-30T10:00:00Z\","
                + "\"data\":{\"job\":\"j\",\"outcome\":\"FAILED\",\"type\":\"BACKUP_FINISHED\",\"runId\":\"r\",\"attributes\":{\"a\":\"b\"},"
                + "\"measures\":{\"bytes\":10,\"files\":2,\"durationSeconds\":3},\"error\":{\"code\":\"1\",\"message\":\"m\"}}}";
        int refused = 0;
        for (int i = 0; i < 240; i++) {
            boolean retro = i % 2 == 0;
            String document = retro ? retrospect.get(i % 4 / 2) : cloudEvent;
            String body = i < 10 ? WHOLE.get(i / 2) : mutate(document);
            HttpRequest.Builder request = retro
                    ? HttpRequest.newBuilder(uri("/hooks/retrospect")).header("Authorization", "Bearer retro-token-for-tests-01")
                            .header("Content-Type", "application/json")
                    : HttpRequest.newBuilder(uri("/api/v1/events")).header("Authorization", "Bearer generic-token-for-tests1")
                            .header("Content-Type", "application/cloudevents+json");
            HttpResponse<String> response = send(request.POST(HttpRequest.BodyPublishers.ofString(body)));
            assertThat(response.statusCode()).as("%s: %s", body, response.body()).isLessThan(500);
            if (response.statusCode() >= 400) {
                assertThat(response.headers().firstValue("Content-Type")).as(body).hasValueSatisfying(
                        type -> assertThat(type).startsWith("application/problem+json"));
                refused++;
            }
        }
        assertThat(refused).isGreaterThan(10);
        int expected = refused;
        assertThat(tail.await(expected, r -> r.topic().equals(Topics.REJECTED), Duration.ofSeconds(30))
                .stream().filter(r -> r.topic().equals(Topics.REJECTED)).count()).isEqualTo(expected);
    }

    /** Whole documents of every JSON type but an object. */
    private static final List<String> WHOLE = List.of("null", "[]", "1", "\"argv\"", "true");

    /** The document with one or two of its values replaced by a value of another shape. */
    private String mutate(String document) throws Exception {
        JsonNode root = MAPPER.readTree(document);
        for (int k = random.nextInt(2); k >= 0; k--) {
            List<Runnable> replacements = new ArrayList<>();
            collect(root, replacements);
            replacements.get(random.nextInt(replacements.size())).run();
        }
        return MAPPER.writeValueAsString(root);
    }

    /** A replacement of each value below {@code node} (and inside arrays) by an odd one. */
    private void collect(JsonNode node, List<Runnable> replacements) {
        if (node instanceof ObjectNode object) {
            for (String name : List.copyOf(object.propertyNames())) {
                replacements.add(() -> object.set(name, odd()));
                collect(object.get(name), replacements);
            }
        } else if (node instanceof ArrayNode array) {
            for (int i = 0; i < array.size(); i++) {
                int at = i;
                replacements.add(() -> array.set(at, odd()));
                collect(array.get(i), replacements);
            }
            replacements.add(() -> array.add(odd()));
        }
    }

    private JsonNode odd() {
        return switch (random.nextInt(12)) {
            case 0, 1 -> NODES.nullNode();
            case 2 -> NODES.booleanNode(random.nextBoolean());
            case 3 -> NODES.numberNode(random.nextBoolean() ? Long.MIN_VALUE : -1);
            case 4 -> NODES.numberNode(new java.math.BigDecimal("1e400"));
            case 5 -> NODES.stringNode("");
            case 6 -> NODES.stringNode("\u0000\u202e" + "x".repeat(random.nextInt(3) * 5000));
            case 7 -> NODES.arrayNode();
            case 8 -> NODES.arrayNode().add(NODES.nullNode());
            case 9 -> NODES.objectNode();
            case 10 -> NODES.objectNode().set("a", NODES.objectNode().set("b", NODES.arrayNode().add(1)));
            default -> NODES.stringNode("-0001-02-30T25:61:61+99:99");
        };
    }
}
