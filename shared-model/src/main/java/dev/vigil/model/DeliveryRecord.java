package dev.vigil.model;

import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * One decision about one notification. Value of {@code backup.deliveries}, keyed by {@link #deliveryId()}: the
 * audit trail of what happened to an alert's notifications.
 *
 * @param deliveryId  deterministic for (alert transition, channel, target), so a redelivered request is recognised
 * @param target      the channel's target: the mail recipients' key, a webhook's configured name
 * @param recipients  the addresses the directory resolved, as used
 * @param reason      why it was suppressed or failed; {@code null} when sent
 */
public record DeliveryRecord(String deliveryId, String fingerprint, AlertStatus alertStatus, String rule,
                             JobKey job, String channel, String target, List<String> recipients,
                             DeliveryStatus status, String reason, int attempt, Instant at) {

    public DeliveryRecord {
        Objects.requireNonNull(deliveryId, "deliveryId");
        Objects.requireNonNull(status, "status");
        recipients = recipients == null ? List.of() : List.copyOf(recipients);
    }
}
