package dev.vigil.notifier.delivery;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.stereotype.Component;

/**
 * Keeps each target within its rate: at most one message per {@code min-interval} per channel target (Slack's
 * documented 1 per second per webhook), and nothing to a target before the time its last {@code Retry-After}
 * named. Alertmanager drops Slack's 429s; Vigil waits as it was told.
 */
@Component
public class TargetThrottle {

    /** @param minInterval the shortest time between two messages to one target, per channel */
    @ConfigurationProperties("vigil.notifier.rate")
    public record Settings(@DefaultValue Map<String, Duration> minInterval) {
    }

    private final Map<String, Duration> minInterval;
    private final Map<String, Instant> lastSent = new ConcurrentHashMap<>();
    private final Map<String, Instant> blockedUntil = new ConcurrentHashMap<>();

    public TargetThrottle(Settings settings) {
        this.minInterval = settings.minInterval().isEmpty() ? Map.of("slack", Duration.ofSeconds(1)) : settings.minInterval();
    }

    /** When the target asked not to be called before; {@code null} when it may be called now. */
    public Instant blocked(String channel, String target) {
        Instant until = blockedUntil.get(channel + "|" + target);
        return until != null && until.isAfter(Instant.now()) ? until : null;
    }

    public void block(String channel, String target, Duration retryAfter) {
        blockedUntil.merge(channel + "|" + target, Instant.now().plus(retryAfter), (a, b) -> a.isAfter(b) ? a : b);
    }

    /** Waits (at most the channel's interval) until the next message to the target may go. */
    public void pace(String channel, String target) throws InterruptedException {
        Duration interval = minInterval.get(channel);
        if (interval == null) {
            return;
        }
        String key = channel + "|" + target;
        synchronized (this) {
            Instant last = lastSent.get(key);
            Instant now = Instant.now();
            if (last != null && last.plus(interval).isAfter(now)) {
                Thread.sleep(Duration.between(now, last.plus(interval)).toMillis());
            }
            lastSent.put(key, Instant.now());
        }
    }
}
