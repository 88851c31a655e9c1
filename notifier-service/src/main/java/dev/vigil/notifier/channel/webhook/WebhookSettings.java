package dev.vigil.notifier.channel.webhook;

import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * A receiver's generic webhook, {@code vigil.notifier.receivers[n].webhook}.
 *
 * @param url       where the alerts are POSTed
 * @param secret    the HMAC-SHA256 key of the {@code X-Vigil-Signature} header (a secret)
 * @param maxAlerts at most this many alerts in one group message (Alertmanager's {@code max_alerts}); the rest are
 *                  counted in {@code truncatedAlerts}. 0 for all.
 */
public record WebhookSettings(String url, String secret, @DefaultValue("100") int maxAlerts) {

    @Override
    public String toString() {
        return "WebhookSettings[url=***, secret=***, maxAlerts=" + maxAlerts + "]";
    }
}
