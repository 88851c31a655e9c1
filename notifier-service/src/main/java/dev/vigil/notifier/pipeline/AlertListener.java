package dev.vigil.notifier.pipeline;

import dev.vigil.kafka.CloudEventRecords;
import dev.vigil.kafka.DeadLetters;
import dev.vigil.model.Alert;
import dev.vigil.model.CloudEventHeaders;
import dev.vigil.model.Topics;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.springframework.kafka.annotation.KafkaListener;
import org.springframework.stereotype.Component;

/**
 * Feeds every alert transition from {@code backup.alerts} into the pipeline, then records it as the alert's latest
 * state on {@code backup.alert-states}.
 */
@Component
class AlertListener {

    private final NotificationPipeline pipeline;
    private final org.springframework.kafka.core.KafkaTemplate<String, Object> kafka;

    AlertListener(NotificationPipeline pipeline, io.micrometer.core.instrument.MeterRegistry meters,
                  org.springframework.kafka.core.KafkaTemplate<String, Object> kafka) {
        this.pipeline = pipeline;
        this.kafka = kafka;
        DeadLetters.register(meters, Topics.ALERTS); // an alert that cannot be handled goes to backup.alerts.dlt
    }

    @KafkaListener(id = "alerts", topics = Topics.ALERTS, groupId = "vigil-notifier")
    void on(ConsumerRecord<String, Alert> record) throws Exception {
        if (record.value() != null) {
            Alert alert = record.value();
            String traceId = CloudEventRecords.header(record.headers(), CloudEventHeaders.TRACE_ID);
            pipeline.handle(alert, traceId);
            // the alert's latest state, for every instance and across restarts (in order: one partition per alert)
            kafka.send(CloudEventRecords.record(dev.vigil.kafka.InternalTopics.ALERT_STATES, alert.fingerprint(), alert,
                    alert.fingerprint() + "-" + alert.status() + "-" + alert.eventId(), "dev.vigil.alert.state",
                    "notifier", java.time.Instant.now(), traceId)).get(30, java.util.concurrent.TimeUnit.SECONDS);
        }
    }
}
