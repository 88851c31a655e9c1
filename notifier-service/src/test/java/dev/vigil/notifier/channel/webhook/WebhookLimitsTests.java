package dev.vigil.notifier.channel.webhook;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.model.Alert;
import dev.vigil.model.AlertStatus;
import dev.vigil.model.JobKey;
import dev.vigil.model.Json;
import dev.vigil.model.Rules;
import dev.vigil.model.Severity;
import dev.vigil.model.Source;
import dev.vigil.notifier.delivery.DeliveryRequest;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/** A group's webhook body stays bounded: at most max-alerts alerts, firing first, the rest counted. */
class WebhookLimitsTests {

    private static Alert alert(int i, AlertStatus status) {
        JobKey key = new JobKey("demo", "3723707", "job-" + i);
        return new Alert(Alert.fingerprint(Rules.FAILED_BACKUP, key), Rules.FAILED_BACKUP, Severity.CRITICAL, status,
                key, Source.XSIBACKUP, "job-" + i + " failed", Map.of(), Instant.EPOCH, null, "e-" + i);
    }

    @Test
    void aMassFailureIsCutAtMaxAlertsWithFiringOnesFirstAndTheRestCounted() {
        List<Alert> alerts = IntStream.range(0, 500).mapToObj(i -> alert(i, i < 400 ? AlertStatus.RESOLVED : AlertStatus.FIRING))
                .toList();
        DeliveryRequest request = new DeliveryRequest("d", alerts.get(0), "ops", "webhook", "ops", "en", List.of(), 0,
                alerts, "ops/storage");

        Map<String, Object> body = WebhookChannel.groupBody(request, 100);
        assertThat((List<?>) body.get("alerts")).hasSize(100);
        assertThat(body.get("truncatedAlerts")).isEqualTo(400);
        assertThat((List<Alert>) body.get("alerts")).allSatisfy(a -> assertThat(a.status()).isEqualTo(AlertStatus.FIRING));
        assertThat(Json.write(body).length).isLessThan(100 * 1024);

        Map<String, Object> all = WebhookChannel.groupBody(request, 0);
        assertThat((List<?>) all.get("alerts")).hasSize(500);
        assertThat(all.get("truncatedAlerts")).isEqualTo(0);
    }
}
