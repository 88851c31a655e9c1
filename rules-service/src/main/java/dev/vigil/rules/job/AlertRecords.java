package dev.vigil.rules.job;

import dev.vigil.kafka.CloudEventRecords;
import dev.vigil.model.Alert;
import io.micrometer.core.instrument.Metrics;
import java.util.Locale;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.streams.processor.api.Record;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

/**
 * The one way the rules emit an alert transition: keyed by fingerprint, with its CloudEvents headers and the trace
 * id of the event that caused it, counted ({@code vigil_rules_alerts_total}) and logged.
 */
public final class AlertRecords {

    private static final Logger log = LoggerFactory.getLogger(AlertRecords.class);

    private AlertRecords() {
    }

    public static Record<String, Alert> record(Alert alert, long timestamp, String traceId) {
        String status = alert.status().name().toLowerCase(Locale.ROOT);
        RecordHeaders headers = new RecordHeaders();
        CloudEventRecords.addHeaders(headers, alert.fingerprint(), alert.fingerprint() + "-" + status + "-" + alert.eventId(),
                "dev.vigil.alert." + status, "rules", alert.endsAt() != null ? alert.endsAt() : alert.startsAt(), traceId);
        Metrics.counter("vigil.rules.alerts", "rule", alert.rule(), "status", status).increment();
        if (traceId != null) {
            MDC.put(CloudEventRecords.TRACE_ID_MDC, traceId);
        }
        try {
            log.info("alert {} {} for {}: {}", alert.rule(), alert.status(), alert.job().asString(), alert.summary());
        } finally {
            MDC.remove(CloudEventRecords.TRACE_ID_MDC);
        }
        return new Record<>(alert.fingerprint(), alert, timestamp, headers);
    }
}
