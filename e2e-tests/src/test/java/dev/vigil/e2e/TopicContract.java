package dev.vigil.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SpecVersion;
import com.networknt.schema.ValidationMessage;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;

/**
 * A subscriber that knows only {@code contracts/asyncapi.yaml} and the JSON Schemas it points to: for a channel
 * it reads the whole topic with plain Kafka clients and checks every record against the document — the value
 * against the message's schema, the headers it requires, the key it names.
 */
final class TopicContract {

    static final Path CONTRACTS = Path.of("..", "contracts").toAbsolutePath().normalize();

    private final Map<String, Object> document;
    private final JsonSchemaFactory schemas = JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V202012,
            builder -> builder.schemaMappers(mappers -> mappers.mapPrefix("https://vigil.dev/schemas/",
                    CONTRACTS.resolve("schemas").toUri().toString())));
    private final ObjectMapper json = new ObjectMapper();

    TopicContract() throws Exception {
        this.document = new org.yaml.snakeyaml.Yaml().load(Files.readString(CONTRACTS.resolve("asyncapi.yaml")));
    }

    /** The topic of every channel, by channel name. */
    @SuppressWarnings("unchecked")
    Map<String, String> channels() {
        Map<String, String> topics = new java.util.LinkedHashMap<>();
        ((Map<String, Map<String, Object>>) document.get("channels")).forEach((name, channel) ->
                topics.put(name, (String) channel.get("address")));
        return topics;
    }

    /** Reads the channel's topic from the start to its end and returns what breaks the contract, per record. */
    @SuppressWarnings("unchecked")
    Result check(String bootstrapServers, String channelName) throws Exception {
        Map<String, Object> channel = ((Map<String, Map<String, Object>>) document.get("channels")).get(channelName);
        String topic = (String) channel.get("address");
        Map<String, Object> messageRef = ((Map<String, Map<String, Object>>) channel.get("messages")).values().iterator().next();
        Map<String, Object> message = (Map<String, Object>) resolve((String) messageRef.get("$ref"));
        if (Boolean.TRUE.equals(message.get("x-vigil-raw"))) {
            return new Result(0, List.of()); // bytes as they were read: no schema to hold them to
        }
        JsonSchema payload = schemas.getSchema(CONTRACTS.resolve(((String) ((Map<String, Object>) message.get("payload"))
                .get("$ref")).replaceFirst("^\\./", "")).toUri());
        Map<String, Object> headerSchema = (Map<String, Object>) resolve((String) ((Map<String, Object>) message
                .get("headers")).get("$ref"));
        List<String> requiredHeaders = (List<String>) headerSchema.get("required");
        String keyField = (String) message.get("x-vigil-key");
        String typePrefix = (String) message.get("x-vigil-ce-type-prefix");

        List<String> problems = new ArrayList<>();
        int records = 0;
        for (ConsumerRecord<String, byte[]> record : readAll(bootstrapServers, topic)) {
            if (record.value() == null) {
                continue; // a tombstone of a compacted topic
            }
            Header writer = record.headers().lastHeader("ce_source");
            if (writer == null || !new String(writer.value(), StandardCharsets.UTF_8).startsWith("urn:vigil:")) {
                continue; // not written by a Vigil service: the poison a test wrote straight to the topic
            }
            records++;
            String where = topic + "@" + record.partition() + ":" + record.offset();
            JsonNode value = json.readTree(record.value());
            for (ValidationMessage error : payload.validate(value)) {
                problems.add(where + ": " + error.getMessage());
            }
            for (String header : requiredHeaders) {
                if (record.headers().lastHeader(header) == null) {
                    problems.add(where + ": no header " + header);
                }
            }
            for (Header header : record.headers()) {
                if (header.key().startsWith("__TypeId__") || new String(header.value(), StandardCharsets.UTF_8)
                        .matches("(?s).*\\bdev\\.vigil\\.[a-z]+\\.[A-Za-z.]*[A-Z].*")) {
                    problems.add(where + ": header " + header.key() + " names a Java class");
                }
            }
            Header type = record.headers().lastHeader("ce_type");
            if (typePrefix != null && type != null
                    && !new String(type.value(), StandardCharsets.UTF_8).startsWith(typePrefix)) {
                problems.add(where + ": ce_type " + new String(type.value(), StandardCharsets.UTF_8)
                        + " does not start with " + typePrefix);
            }
            if (keyField != null) {
                JsonNode field = value.path(keyField);
                String expected = field.isObject() ? field.path("tenant").asText() + "/" + field.path("account").asText()
                        + "/" + field.path("job").asText() : field.asText();
                if (!expected.equals(record.key())) {
                    problems.add(where + ": key " + record.key() + " is not the " + keyField + " " + expected);
                }
            }
        }
        return new Result(records, problems);
    }

    record Result(int records, List<String> problems) {
    }

    @SuppressWarnings("unchecked")
    private Object resolve(String ref) {
        Object node = document;
        for (String part : ref.replaceFirst("^#/", "").split("/")) {
            node = ((Map<String, Object>) node).get(part);
        }
        return node;
    }

    private static List<ConsumerRecord<String, byte[]>> readAll(String bootstrapServers, String topic) {
        Map<String, Object> config = new HashMap<>();
        config.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        config.put(ConsumerConfig.GROUP_ID_CONFIG, "contract-" + UUID.randomUUID());
        config.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        config.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        List<ConsumerRecord<String, byte[]>> records = new ArrayList<>();
        try (KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(config, new StringDeserializer(),
                new ByteArrayDeserializer())) {
            List<TopicPartition> partitions = consumer.partitionsFor(topic, Duration.ofSeconds(10)).stream()
                    .map(p -> new TopicPartition(topic, p.partition())).toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            Map<TopicPartition, Long> end = consumer.endOffsets(partitions);
            long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            while (partitions.stream().anyMatch(p -> consumer.position(p) < end.get(p)) && System.nanoTime() < deadline) {
                consumer.poll(Duration.ofMillis(200)).forEach(records::add);
            }
        }
        return records;
    }
}
