package dev.vigil.notifier.delivery;

import dev.vigil.model.Alert;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;

/**
 * One notification for one channel and one target. Value of {@code backup.notifications}, keyed by
 * {@link #targetKey()}; it stays inside the notifier.
 *
 * @param receiver   the configured receiver that asked for it
 * @param target     where it goes: a mail address, a webhook's name
 * @param language   IETF tag of the language to write in
 * @param trail      how the target was found (directory attributes), for the audit record
 * @param reminder   0 for the first notification of a transition, n for the n-th reminder of a still firing alert
 * @param alerts     every alert this one message is about: the alert alone, or the alerts of a group (the first is
 *                   {@link #alert()})
 * @param group      the group's key when the message is about a group, else {@code null}
 */
public record DeliveryRequest(String deliveryId, Alert alert, String receiver, String channel, String target,
                              String language, List<String> trail, int reminder, List<Alert> alerts, String group) {

    public DeliveryRequest {
        trail = trail == null ? List.of() : List.copyOf(trail);
        alerts = alerts == null || alerts.isEmpty() ? List.of(alert) : List.copyOf(alerts);
    }

    public DeliveryRequest(String deliveryId, Alert alert, String receiver, String channel, String target,
                           String language, List<String> trail, int reminder) {
        this(deliveryId, alert, receiver, channel, target, language, trail, reminder, null, null);
    }

    public DeliveryRequest(String deliveryId, Alert alert, String receiver, String channel, String target,
                           String language, List<String> trail) {
        this(deliveryId, alert, receiver, channel, target, language, trail, 0);
    }

    /**
     * The record key of the request on {@code backup.notifications}: its channel and target, so all requests to one
     * target are on one partition and one delivery thread handles them (in order, paced, and held together by a
     * {@code Retry-After}), whatever the number of notifier instances.
     */
    public String targetKey() {
        return channel + "|" + target;
    }

    /** How many of the message's alerts are firing (the others are resolved). */
    public long firingCount() {
        return alerts.stream().filter(a -> a.status() == dev.vigil.model.AlertStatus.FIRING).count();
    }

    /** Whether this message is about a group of alerts rather than one. */
    public boolean grouped() {
        return group != null;
    }

    public static String idFor(Alert alert, String receiver, String channel, String target) {
        return idFor(alert, receiver, channel, target, 0);
    }

    /**
     * Deterministic for one alert transition, receiver, channel and target: a redelivered alert or request
     * yields the same id, which the delivery ledger recognises. A transition is its status, severity, the time it
     * happened (the episode's start and, resolved, its end) and the event that caused it, so a new failure whose
     * source id repeats an old one (XSIBackup PIDs recycle) is a new notification, never "already sent".
     */
    public static String idFor(Alert alert, String receiver, String channel, String target, int reminder) {
        String transition = alert.status() + "|" + alert.severity() + "|" + alert.startsAt() + "|" + alert.endsAt()
                + "|" + alert.eventId() + (reminder > 0 ? "|reminder " + reminder : "");
        return hash(String.join("\n", alert.fingerprint(), transition, receiver, channel, target));
    }

    /**
     * Deterministic for one message of a group: the group, the end of its collection window and its members
     * (alert transitions), so the same batch rebuilt after a restart yields the same id.
     */
    public static String groupIdFor(String group, java.time.Instant windowEnd, List<String> memberIds, String channel,
                                    String target) {
        return hash(String.join("\n", "group", group, String.valueOf(windowEnd), String.join(",", memberIds),
                channel, target));
    }

    private static String hash(String key) {
        try {
            byte[] hash = MessageDigest.getInstance("SHA-256").digest(key.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(hash, 0, 16);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
