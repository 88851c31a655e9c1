package dev.vigil.model;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.json.JsonMapper;

/**
 * Records are built through the module's spread handle, and every input reads as it reads without the module: the
 * same record, or the same refusal with the same message.
 */
class RecordCreatorsTests {

    private static final JsonMapper PLAIN = JsonMapper.builder()
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES).build();
    private static final JsonMapper SPREAD = JsonMapper.builder()
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES).addModule(new RecordCreators()).build();

    /** Remembers whether its last construction went through {@code MethodHandle.invokeWithArguments}. */
    public record Probe(String name, int count) {
        static volatile Boolean byInvokeWithArguments;

        public Probe {
            byInvokeWithArguments = StackWalker.getInstance(StackWalker.Option.SHOW_HIDDEN_FRAMES).walk(frames -> frames.anyMatch(
                    frame -> frame.getMethodName().equals("invokeWithArguments")));
        }
    }

    public record Checked(String name, long size) {
        public Checked {
            if (size < 0) {
                throw new IllegalArgumentException("size must not be negative: " + size);
            }
        }
    }

    private record Hidden(String name, List<Integer> values) {
    }

    public record Nested(Checked first, List<Checked> more, Map<String, Checked> byName, JobKey job) {
    }

    @Test
    void aRecordIsBuiltThroughTheSpreadHandleNotInvokeWithArguments() {
        Probe spread = SPREAD.readValue("{\"name\":\"a\",\"count\":2}", Probe.class);
        boolean spreadByInvokeWithArguments = Probe.byInvokeWithArguments;
        Probe plain = PLAIN.readValue("{\"name\":\"a\",\"count\":2}", Probe.class);
        boolean plainByInvokeWithArguments = Probe.byInvokeWithArguments;
        Probe topic = Json.read("{\"name\":\"b\",\"count\":0}".getBytes(java.nio.charset.StandardCharsets.UTF_8),
                Probe.class);
        boolean topicByInvokeWithArguments = Probe.byInvokeWithArguments;

        assertThat(spreadByInvokeWithArguments).isFalse();
        assertThat(plainByInvokeWithArguments).as("Jackson's own path, which the module replaces").isTrue();
        assertThat(topicByInvokeWithArguments).as("Vigil's topic mapper has the module").isFalse();
        assertThat(spread).isEqualTo(plain).isEqualTo(new Probe("a", 2));
        assertThat(topic).isEqualTo(new Probe("b", 0));
    }

    @Test
    void everyInputReadsAsWithoutTheModule() {
        List<String> inputs = List.of(
                "{\"first\":{\"name\":\"a\",\"size\":1},\"more\":[{\"name\":\"b\",\"size\":2},null],"
                        + "\"byName\":{\"c\":{\"name\":\"c\",\"size\":3}},\"job\":{\"tenant\":\"t\",\"account\":\"1\","
                        + "\"job\":\"vm\"}}",
                "{}",
                "{\"first\":null,\"extra\":[1,2,3]}",
                "{\"first\":{\"size\":-1}}",
                "{\"first\":{\"name\":\"a\",\"size\":\"many\"}}",
                "{\"first\":{\"name\":[1],\"size\":1}}",
                "{\"more\":[{\"name\":\"b\",\"size\":-5}]}",
                "{\"byName\":{\"x\":{\"size\":99999999999999999999}}}",
                "{\"job\":{\"tenant\":\"\",\"account\":\"1\",\"job\":\"vm\"}}",
                "{\"job\":{}}",
                "[]",
                "null",
                "{\"first\":{\"name\":\"a\"");
        for (String input : inputs) {
            assertThat(outcome(SPREAD, input, Nested.class)).as(input).isEqualTo(outcome(PLAIN, input, Nested.class));
        }
        assertThat(outcome(SPREAD, "{\"first\":{\"size\":-1}}", Nested.class)).asString()
                .contains("size must not be negative: -1");
    }

    @Test
    void aRecordJacksonReachesOnlyByMakingItAccessibleIsReadToo() {
        String input = "{\"name\":\"h\",\"values\":[1,2]}";
        assertThat(SPREAD.readValue(input, Hidden.class)).isEqualTo(new Hidden("h", List.of(1, 2)))
                .isEqualTo(PLAIN.readValue(input, Hidden.class));
    }

    @Test
    void theTopicsRecordsReadAsWithoutTheModule() {
        BackupEvent event = new BackupEvent("id-1", Source.XSIBACKUP, EventType.BACKUP_FINISHED, Outcome.FAILED,
                java.time.Instant.parse("2026-11-30T09:18:06.076123Z"), java.time.Instant.parse("2026-11-30T09:18:07Z"),
                new JobKey("t", "1", "vm"), "run-1", new Measures(1L, 2L, 3L, 1, null, null),
                new ErrorInfo("1", "snapshot failed"), Map.of("host", "esxi"), "GET /hooks/...");
        byte[] json = Json.write(event);
        assertThat(Json.read(json, BackupEvent.class)).isEqualTo(event);
    }

    /** The value read, or the refusal's class and message. */
    private static Object outcome(JsonMapper mapper, String input, Class<?> type) {
        try {
            return mapper.readValue(input, type);
        } catch (RuntimeException e) {
            return e.getClass().getName() + ": " + e.getMessage();
        }
    }
}
