package dev.vigil.notifier.pipeline;

import dev.vigil.kafka.CloudEventRecords;
import dev.vigil.kafka.DeadLetters;
import dev.vigil.model.Alert;
import dev.vigil.model.CloudEventHeaders;
import dev.vigil.model.Topics;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.springframework.kafka.annotation.KafkaListener;
import org.springframework.stereotype.Component;

/** Feeds every alert transition from {@code backup.alerts} into the pipeline. */
@Component
class AlertListener {

    private final NotificationPipeline pipeline;

    AlertListener(NotificationPipeline pipeline, io.micrometer.core.instrument.MeterRegistry meters) {
        this.pipeline = pipeline;
        DeadLetters.register(meters, Topics.ALERTS); // an alert that cannot be handled goes to backup.alerts.dlt
    }

    @KafkaListener(id = "alerts", topics = Topics.ALERTS, groupId = "vigil-notifier")
    void on(ConsumerRecord<String, Alert> record) throws Exception {
        if (record.value() != null) {
            pipeline.handle(record.value(), CloudEventRecords.header(record.headers(), CloudEventHeaders.TRACE_ID));
        }
    }
}
