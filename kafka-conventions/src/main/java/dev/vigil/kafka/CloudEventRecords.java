package dev.vigil.kafka;

import dev.vigil.model.CloudEventHeaders;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.UUID;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.Headers;

/**
 * Builds Vigil's Kafka records: the JSON record as value, its CloudEvents attributes as {@code ce_*} headers
 * (CloudEvents Kafka binding, binary mode) and the trace id that follows one backup across services.
 */
public final class CloudEventRecords {

    /** The CloudEvents {@code source} of every record Vigil writes, followed by the writing service. */
    public static final String SOURCE_PREFIX = "urn:vigil:";
    /** The MDC key of the trace id, so every service's log lines about one backup carry the same id. */
    public static final String TRACE_ID_MDC = "traceId";

    private CloudEventRecords() {
    }

    public static <V> ProducerRecord<String, V> record(String topic, String key, V value, String id, String type,
                                                       String service, Instant time, String traceId) {
        ProducerRecord<String, V> record = new ProducerRecord<>(topic, key, value);
        addHeaders(record.headers(), key, id, type, service, time, traceId);
        return record;
    }

    /** Sets the CloudEvents attributes and the trace id on {@code headers} (for Kafka Streams records). */
    public static Headers addHeaders(Headers headers, String key, String id, String type, String service,
                                     Instant time, String traceId) {
        put(headers, CloudEventHeaders.SPEC_VERSION, CloudEventHeaders.SPEC_VERSION_1_0);
        put(headers, CloudEventHeaders.ID, id);
        put(headers, CloudEventHeaders.SOURCE, SOURCE_PREFIX + service);
        put(headers, CloudEventHeaders.TYPE, type);
        put(headers, CloudEventHeaders.TIME, time.toString());
        put(headers, CloudEventHeaders.SUBJECT, key);
        put(headers, CloudEventHeaders.CONTENT_TYPE, "application/json");
        put(headers, CloudEventHeaders.TRACE_ID, traceId == null ? UUID.randomUUID().toString() : traceId);
        return headers;
    }

    /** The value of a header as text, or {@code null} when the record has none. */
    public static String header(Headers headers, String name) {
        Header header = headers.lastHeader(name);
        return header == null ? null : new String(header.value(), StandardCharsets.UTF_8);
    }

    /**
     * Sets a header to {@code value} as one line (at most {@value #HEADER_LIMIT} characters, no control or invisible
     * characters: {@link dev.vigil.model.Text#line}): ids and subjects come from what callers sent, and a header is
     * what consumers log and route by.
     */
    private static void put(Headers headers, String name, String value) {
        headers.remove(name);
        headers.add(name, dev.vigil.model.Text.line(value, HEADER_LIMIT).getBytes(StandardCharsets.UTF_8));
    }

    private static final int HEADER_LIMIT = 1024;
}
