package dev.vigil.notifier.channel.ifttt;

import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * A receiver's IFTTT Maker settings, {@code vigil.notifier.receivers[n].ifttt}.
 *
 * @param event   the Maker event name
 * @param key     the Maker key (a secret)
 * @param json    use {@code /json/} (the whole alert as {@code JsonPayload}) instead of value1..3
 * @param baseUrl the Maker service, {@code https://maker.ifttt.com} unless a test or proxy says otherwise
 */
public record IftttSettings(String event, String key, @DefaultValue("false") boolean json,
                            @DefaultValue("https://maker.ifttt.com") String baseUrl) {

    /** Longest {@code value1..3}: one line each, for a phone's notification. */
    public static final int VALUE_LIMIT = 1_000;
    /** At most this many alerts in the JSON payload of a group; the rest are counted in {@code truncatedAlerts}. */
    public static final int MAX_ALERTS = 50;

    @Override
    public String toString() {
        return "IftttSettings[event=" + event + ", key=***, json=" + json + "]";
    }
}
