package dev.vigil.notifier.routing;

import java.util.List;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * A named receiver: one or more ways to tell people about the alerts routed to it.
 *
 * @param directoryEmail mail the recipients the directory names for the alert's account (the stoney rules)
 * @param emails         mail these fixed addresses
 * @param slack          a Slack incoming webhook
 * @param ifttt          an IFTTT Maker webhook event
 * @param webhook        a generic webhook, signed
 * @param sendResolved   whether a resolved notice is sent too (Alertmanager's {@code send_resolved})
 */
public record Receiver(String name, @DefaultValue("false") boolean directoryEmail, @DefaultValue List<String> emails,
                       Slack slack, Ifttt ifttt, Webhook webhook, @DefaultValue("true") boolean sendResolved) {

    public Receiver {
        emails = emails == null ? List.of() : List.copyOf(emails);
    }

    public static Receiver directoryEmail(String name) {
        return new Receiver(name, true, List.of(), null, null, null, true);
    }

    /** @param url the incoming webhook URL (a secret: give it through the environment) */
    public record Slack(String url) {
    }

    /**
     * @param event the Maker event name
     * @param key   the Maker key (a secret)
     * @param json  use {@code /json/} (the whole alert as {@code JsonPayload}) instead of value1..3
     */
    public record Ifttt(String event, String key, @DefaultValue("false") boolean json,
                        @DefaultValue("https://maker.ifttt.com") String baseUrl) {

        /** Longest {@code value1..3}: one line each, for a phone's notification. */
        public static final int VALUE_LIMIT = 1_000;
        /** At most this many alerts in the JSON payload of a group; the rest are counted in {@code truncatedAlerts}. */
        public static final int MAX_ALERTS = 50;
    }

    /**
     * @param secret    the HMAC-SHA256 key of the {@code X-Vigil-Signature} header (a secret)
     * @param maxAlerts at most this many alerts in one group message (Alertmanager's {@code max_alerts}); the rest are
     *                  counted in {@code truncatedAlerts}. 0 for all.
     */
    public record Webhook(String url, String secret, @DefaultValue("100") int maxAlerts) {
    }

    @Override
    public String toString() {
        return "Receiver[" + name + "]"; // never the secrets in its URLs and keys
    }
}
