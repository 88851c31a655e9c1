package dev.vigil.notifier.delivery;

import dev.vigil.kafka.InternalTopics;
import dev.vigil.kafka.CloudEventRecords;
import dev.vigil.kafka.DeadLetters;
import dev.vigil.model.AlertStatus;
import dev.vigil.model.CloudEventHeaders;
import dev.vigil.model.DeliveryStatus;
import dev.vigil.model.Topics;
import dev.vigil.notifier.channel.Channel;
import dev.vigil.notifier.channel.Channels;
import dev.vigil.notifier.channel.DeliveryException;
import java.nio.ByteBuffer;
import java.util.List;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.kafka.annotation.BackOff;
import org.springframework.kafka.annotation.DltHandler;
import org.springframework.kafka.annotation.KafkaListener;
import org.springframework.kafka.annotation.RetryableTopic;
import org.springframework.kafka.retrytopic.RetryTopicHeaders;
import org.springframework.kafka.retrytopic.SameIntervalTopicReuseStrategy;
import org.springframework.kafka.support.KafkaHeaders;
import org.springframework.messaging.handler.annotation.Header;
import org.springframework.stereotype.Component;

/**
 * Sends one delivery request through its channel. A retryable failure goes to a retry topic with exponential
 * back-off (non-blocking: other deliveries go on), a permanent one or the last failed attempt to
 * {@code backup.notifications.dlt}; every outcome is recorded in the delivery log.
 */
@Component
class DeliveryWorker {

    private static final Logger log = LoggerFactory.getLogger(DeliveryWorker.class);

    private final Channels channels;
    private final DeliveryLedger ledger;
    private final DeliveryLog deliveryLog;
    private final TargetThrottle throttle;

    private final io.micrometer.core.instrument.MeterRegistry meters;

    private final dev.vigil.notifier.silence.OpenAlerts alerts;

    DeliveryWorker(Channels channels, DeliveryLedger ledger, DeliveryLog deliveryLog, TargetThrottle throttle,
                   io.micrometer.core.instrument.MeterRegistry meters, dev.vigil.notifier.silence.OpenAlerts alerts) {
        this.meters = meters;
        this.alerts = alerts;
        DeadLetters.register(meters, InternalTopics.NOTIFICATIONS);
        this.channels = channels;
        this.ledger = ledger;
        this.deliveryLog = deliveryLog;
        this.throttle = throttle;
    }

    @RetryableTopic(attempts = "${vigil.notifier.delivery.attempts:12}",
            backOff = @BackOff(delayString = "${vigil.notifier.delivery.initial-delay:2000}",
                    multiplierString = "${vigil.notifier.delivery.multiplier:3}",
                    maxDelayString = "${vigil.notifier.delivery.max-delay:600000}"),
            retryTopicSuffix = ".retry", dltTopicSuffix = Topics.DEAD_LETTER_SUFFIX,
            sameIntervalTopicReuseStrategy = SameIntervalTopicReuseStrategy.SINGLE_TOPIC,
            numPartitions = "${vigil.kafka.partitions:3}", replicationFactor = "${vigil.kafka.replicas:1}",
            exclude = PermanentDeliveryFailure.class, traversingCauses = "true")
    @KafkaListener(id = "deliveries", topics = InternalTopics.NOTIFICATIONS, groupId = "vigil-notifier-delivery",
            concurrency = "${vigil.notifier.delivery.concurrency:3}")
    void deliver(ConsumerRecord<String, DeliveryRequest> record) {
        DeliveryRequest request = record.value();
        String traceId = CloudEventRecords.header(record.headers(), CloudEventHeaders.TRACE_ID);
        int attempt = attempt(record);
        if (ledger.wasSent(request.deliveryId())) {
            deliveryLog.record(request, List.of(request.target()), DeliveryStatus.SUPPRESSED, "already-sent", attempt,
                    traceId);
            return;
        }
        if (!request.grouped() && alerts.superseded(request.alert())) {
            // resolved meanwhile, or a newer episode began: a late FIRING must not be the last word
            deliveryLog.record(request, List.of(request.target()), DeliveryStatus.SUPPRESSED, DeliveryLedger.SUPERSEDED,
                    attempt, traceId);
            return;
        }
        if (!request.grouped() && request.alert().status() == AlertStatus.RESOLVED
                && ledger.firingNeverTold(request.alert().fingerprint(), request.channel(), request.target())) {
            // it resolved before its FIRING could be told here: "resolved" would be about something nobody heard of
            deliveryLog.record(request, List.of(request.target()), DeliveryStatus.SUPPRESSED, "firing-never-told",
                    attempt, traceId);
            return;
        }
        Channel channel = channels.named(request.channel()).orElseThrow(() -> new PermanentDeliveryFailure(
                "no channel named " + request.channel(), null));
        java.time.Instant blocked = throttle.blocked(request.channel(), request.target());
        if (blocked != null) {
            deliveryLog.record(request, List.of(request.target()), DeliveryStatus.RETRYING, "retry-after", attempt, traceId);
            throw new RetryableDeliveryFailure("the target asked to wait until " + blocked, null);
        }
        try {
            throttle.pace(request.channel(), request.target());
            channel.send(request);
            deliveryLog.record(request, List.of(request.target()), DeliveryStatus.SENT, null, attempt, traceId);
        } catch (DeliveryException e) {
            log.warn("delivery {} via {} failed (attempt {}, {}): {}", request.deliveryId(), request.channel(), attempt,
                    e.retryable() ? "will retry" : "permanent", e.getMessage());
            if (e.retryable()) {
                if (e.retryAfter() != null) {
                    throttle.block(request.channel(), request.target(), e.retryAfter());
                }
                deliveryLog.record(request, List.of(request.target()), DeliveryStatus.RETRYING, e.reason(), attempt,
                        traceId);
                throw new RetryableDeliveryFailure(e.getMessage(), e);
            }
            throw new PermanentDeliveryFailure(e.reason() + ": " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new RetryableDeliveryFailure("interrupted", e);
        }
    }

    /** A request that will never be delivered: a permanent failure, or the last attempt failed. */
    @DltHandler
    void failed(ConsumerRecord<String, DeliveryRequest> record,
                @Header(name = KafkaHeaders.EXCEPTION_MESSAGE, required = false) String reason) {
        DeliveryRequest request = record.value();
        DeadLetters.count(meters, InternalTopics.NOTIFICATIONS);
        log.error("delivery {} via {} to {} failed for good: {}", request.deliveryId(), request.channel(),
                request.target(), reason);
        deliveryLog.record(request, List.of(request.target()), DeliveryStatus.FAILED,
                reason == null ? "failed" : reason, attempt(record),
                CloudEventRecords.header(record.headers(), CloudEventHeaders.TRACE_ID));
    }

    private static int attempt(ConsumerRecord<?, ?> record) {
        org.apache.kafka.common.header.Header header = record.headers().lastHeader(RetryTopicHeaders.DEFAULT_HEADER_ATTEMPTS);
        return header == null || header.value().length != 4 ? 1 : ByteBuffer.wrap(header.value()).getInt();
    }

    static class RetryableDeliveryFailure extends RuntimeException {
        RetryableDeliveryFailure(String message, Throwable cause) {
            super(message, cause);
        }
    }

    static class PermanentDeliveryFailure extends RuntimeException {
        PermanentDeliveryFailure(String message, Throwable cause) {
            super(message, cause);
        }
    }
}
