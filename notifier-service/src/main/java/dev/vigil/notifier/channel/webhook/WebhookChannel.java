package dev.vigil.notifier.channel.webhook;

import dev.vigil.model.Alert;
import dev.vigil.model.Json;
import dev.vigil.notifier.channel.Channel;
import dev.vigil.notifier.channel.DeliveryException;
import dev.vigil.notifier.channel.http.HttpTargets;
import dev.vigil.notifier.delivery.DeliveryRequest;
import dev.vigil.notifier.routing.Receiver;
import dev.vigil.notifier.routing.Router;
import java.nio.charset.StandardCharsets;
import java.security.InvalidKeyException;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.springframework.stereotype.Component;

/**
 * A generic webhook: the alert as JSON, its CloudEvents attributes as {@code ce-*} headers (HTTP binding,
 * binary mode) and an HMAC-SHA256 signature so the receiver knows it came from Vigil and was not replayed:
 * {@code X-Vigil-Signature: sha256=<hex of HMAC(secret, timestamp + "." + body)>} with the timestamp in
 * {@code X-Vigil-Timestamp}. A group's message is {@code {"group": key, "alerts": [...]}} with the type
 * {@code dev.vigil.alert.group}.
 */
@Component
class WebhookChannel implements Channel {

    static final String SIGNATURE = "X-Vigil-Signature";
    static final String TIMESTAMP = "X-Vigil-Timestamp";

    private final Router router;
    private final HttpTargets http;

    private final dev.vigil.notifier.channel.email.MailRenderer words;

    WebhookChannel(Router router, HttpTargets http, dev.vigil.notifier.channel.email.MailRenderer words) {
        this.router = router;
        this.http = http;
        this.words = words;
    }

    @Override
    public String name() {
        return "webhook";
    }

    @Override
    public boolean configuredFor(Receiver receiver) {
        return router.settings(receiver.name(), name(), WebhookSettings.class).isPresent();
    }

    @Override
    public void send(DeliveryRequest request) throws DeliveryException {
        WebhookSettings webhook = Channel.settings(router, request, name(), WebhookSettings.class);
        Alert alert = request.alert();
        byte[] body = request.grouped() ? Json.write(groupBody(request, webhook.maxAlerts())) : Json.write(alert);
        String timestamp = Long.toString(Instant.now().getEpochSecond());
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put("ce-specversion", "1.0");
        headers.put("ce-id", request.deliveryId());
        headers.put("ce-source", "urn:vigil:notifier");
        headers.put("ce-type", request.grouped() ? "dev.vigil.alert.group"
                : "dev.vigil.alert." + alert.status().name().toLowerCase(Locale.ROOT));
        headers.put("ce-subject", request.grouped() ? request.group() : alert.fingerprint());
        headers.put("ce-time", Instant.now().toString());
        headers.put(TIMESTAMP, timestamp);
        headers.put(HttpTargets.DELIVERY_ID_HEADER, request.deliveryId());
        String link = request.grouped() ? null : words.link(alert);
        if (link != null) {
            headers.put("Link", "<" + link + ">; rel=\"related\"; title=\"job in the Vigil console\""); // RFC 8288
        }
        if (webhook.secret() != null && !webhook.secret().isEmpty()) {
            headers.put(SIGNATURE, "sha256=" + sign(webhook.secret(), timestamp, body));
        }
        http.postJson(webhook.url(), body, headers);
    }

    /**
     * {@code {"group", "alerts", "truncatedAlerts"}}: at most {@code maxAlerts} alerts (0 for all), firing ones first,
     * the rest counted, as Alertmanager's webhook does with {@code max_alerts}.
     */
    static Map<String, Object> groupBody(DeliveryRequest request, int maxAlerts) {
        java.util.List<Alert> alerts = request.alerts().stream()
                .sorted(java.util.Comparator.comparing((Alert a) -> a.status() != dev.vigil.model.AlertStatus.FIRING))
                .toList();
        int shown = maxAlerts <= 0 ? alerts.size() : Math.min(alerts.size(), maxAlerts);
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("group", request.group());
        body.put("alerts", alerts.subList(0, shown));
        body.put("truncatedAlerts", alerts.size() - shown);
        return body;
    }

    static String sign(String secret, String timestamp, byte[] body) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
            mac.update((timestamp + ".").getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(mac.doFinal(body));
        } catch (NoSuchAlgorithmException | InvalidKeyException e) {
            throw new IllegalStateException("HmacSHA256 is part of every JVM", e);
        }
    }
}
