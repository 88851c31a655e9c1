package dev.vigil.notifier.pipeline;

import dev.vigil.kafka.CloudEventRecords;
import dev.vigil.kafka.InternalTopics;
import dev.vigil.model.CloudEventHeaders;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.springframework.kafka.annotation.KafkaListener;
import org.springframework.stereotype.Component;

/**
 * The receivers' parts of alerts that wait for the directory ({@code backup.notifications.directory-wait}): each is
 * tried again, backing off up to a minute, for as long as the directory is away ({@link DirectoryOutageBackOff}),
 * then told. One consumer group: each wait is handled by the instance that owns its partition.
 */
@Component
class DirectoryWaitListener {

    private final NotificationPipeline pipeline;

    DirectoryWaitListener(NotificationPipeline pipeline) {
        this.pipeline = pipeline;
    }

    @KafkaListener(id = "directory-wait", topics = InternalTopics.DIRECTORY_WAIT, groupId = "vigil-notifier-directory-wait")
    void on(ConsumerRecord<String, NotificationPipeline.DirectoryWait> record) throws Exception {
        if (record.value() != null) {
            pipeline.handle(record.value(), CloudEventRecords.header(record.headers(), CloudEventHeaders.TRACE_ID));
        }
    }
}
