package dev.vigil.notifier.channel.ifttt;

import dev.vigil.model.Alert;
import dev.vigil.model.Json;
import dev.vigil.notifier.channel.Channel;
import dev.vigil.notifier.channel.DeliveryException;
import dev.vigil.notifier.channel.http.HttpTargets;
import dev.vigil.notifier.delivery.DeliveryRequest;
import dev.vigil.notifier.routing.Receiver;
import dev.vigil.notifier.routing.Router;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.springframework.stereotype.Component;

/**
 * IFTTT Maker webhooks: {@code /trigger/{event}/with/key/{key}} with {@code value1} (the summary), {@code value2}
 * (status and severity) and {@code value3} (the job), or {@code /trigger/{event}/json/with/key/{key}} with the
 * whole alert as the JSON payload. A group's message counts its alerts in {@code value1..3}, or carries them all as
 * {@code {"group", "alerts"}}.
 */
@Component
class IftttChannel implements Channel {

    private final Router router;
    private final HttpTargets http;

    IftttChannel(Router router, HttpTargets http) {
        this.router = router;
        this.http = http;
    }

    @Override
    public String name() {
        return "ifttt";
    }

    @Override
    public boolean configuredFor(Receiver receiver) {
        return router.settings(receiver.name(), name(), IftttSettings.class).isPresent();
    }

    @Override
    public boolean chat() {
        return true;
    }

    @Override
    public void send(DeliveryRequest request) throws DeliveryException {
        IftttSettings ifttt = Channel.settings(router, request, name(), IftttSettings.class);
        Alert alert = request.alert();
        String base = ifttt.baseUrl().replaceAll("/+$", "") + "/trigger/" + encode(ifttt.event())
                + (ifttt.json() ? "/json" : "") + "/with/key/" + encode(ifttt.key());
        Object body;
        if (request.grouped()) {
            long firing = request.firingCount();
            List<Alert> alerts = request.alerts();
            body = ifttt.json() ? Map.of("group", request.group(),
                    "alerts", alerts.subList(0, Math.min(alerts.size(), IftttSettings.MAX_ALERTS)),
                    "truncatedAlerts", Math.max(0, alerts.size() - IftttSettings.MAX_ALERTS)) : Map.of(
                    "value1", value(alerts.size() + " backup alerts: " + alert.summary() + (alerts.size() > 1 ? ", …" : "")),
                    "value2", firing + " FIRING " + (alerts.size() - firing) + " RESOLVED",
                    "value3", jobs(alerts.stream().map(a -> a.job().asString()).distinct().toList()));
        } else {
            body = ifttt.json() ? alert : Map.of(
                    "value1", value(alert.summary()),
                    "value2", alert.status().name() + " " + String.valueOf(alert.severity()).toLowerCase(),
                    "value3", value(alert.job().asString()));
        }
        http.postJson(base, Json.write(body), Map.of(HttpTargets.DELIVERY_ID_HEADER, request.deliveryId()));
    }

    /**
     * The jobs of a group as one value: as many names as fit {@link IftttSettings#VALUE_LIMIT}, then "… and N more",
     * so a reader knows how many are not named.
     */
    static String jobs(List<String> jobs) {
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < jobs.size(); i++) {
            String name = value(jobs.get(i));
            String more = i + 1 < jobs.size() ? " … and " + (jobs.size() - i - 1) + " more" : "";
            if (out.length() + 2 + name.length() + more.length() > IftttSettings.VALUE_LIMIT) {
                String rest = (out.length() == 0 ? "" : " ") + "… and " + (jobs.size() - i) + " more";
                return out.length() + rest.length() <= IftttSettings.VALUE_LIMIT ? out + rest
                        : value(out + rest);
            }
            out.append(out.length() == 0 ? "" : ", ").append(name);
        }
        return out.toString();
    }

    /** Values reach phones: one clean line within {@link IftttSettings#VALUE_LIMIT}, cut with "…". */
    static String value(String text) {
        return dev.vigil.model.Text.line(text == null ? "" : text, IftttSettings.VALUE_LIMIT);
    }

    private static String encode(String segment) {
        return URLEncoder.encode(segment, StandardCharsets.UTF_8).replace("+", "%20");
    }
}
