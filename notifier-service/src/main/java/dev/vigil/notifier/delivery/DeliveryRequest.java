package dev.vigil.notifier.delivery;

import dev.vigil.model.Alert;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;

/**
 * One notification for one channel and one target. Value of {@code backup.notifications}, keyed by
 * {@link #deliveryId()}; it stays inside the notifier.
 *
 * @param receiver   the configured receiver that asked for it
 * @param target     where it goes: a mail address, a webhook's name
 * @param language   IETF tag of the language to write in
 * @param trail      how the target was found (directory attributes), for the audit record
 */
public record DeliveryRequest(String deliveryId, Alert alert, String receiver, String channel, String target,
                              String language, List<String> trail) {

    public DeliveryRequest {
        trail = trail == null ? List.of() : List.copyOf(trail);
    }

    /**
     * Deterministic for one alert transition, receiver, channel and target: a redelivered alert or request
     * yields the same id, which the delivery ledger recognises.
     */
    public static String idFor(Alert alert, String receiver, String channel, String target) {
        String transition = alert.status() + "|" + alert.severity() + "|"
                + (alert.eventId() != null ? alert.eventId() : String.valueOf(alert.endsAt() != null ? alert.endsAt() : alert.startsAt()));
        String key = String.join("\n", alert.fingerprint(), transition, receiver, channel, target);
        try {
            byte[] hash = MessageDigest.getInstance("SHA-256").digest(key.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(hash, 0, 16);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
