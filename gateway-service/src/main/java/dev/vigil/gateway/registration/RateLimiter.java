package dev.vigil.gateway.registration;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A token bucket per registration, or per check of a ping key: {@code rateLimit} calls per second, bursts of twice as
 * many.
 */
final class RateLimiter {

    private final Map<String, Bucket> buckets = new ConcurrentHashMap<>();

    /**
     * @param bucket the bucket the call draws from: the registration's id, or for a ping key's check the id and its
     *               slug (a fleet pinging one key at the same minute is as many checks, each within its own rate)
     * @return true when the call may go on
     */
    boolean admit(Registration registration, String bucket) {
        if (registration.rateLimit() <= 0) {
            return true;
        }
        // a registration whose rate was changed (PATCH rateLimit) gets a bucket of the new rate
        return buckets.compute(bucket, (id, current) -> current == null
                        || current.perSecond != registration.rateLimit() ? new Bucket(registration.rateLimit()) : current)
                .take(System.nanoTime());
    }

    private static final class Bucket {
        private final double perSecond;
        private final double perNano;
        private final double capacity;
        private double tokens;
        private long last;

        Bucket(double perSecond) {
            this.perSecond = perSecond;
            this.perNano = perSecond / 1e9;
            this.capacity = Math.max(1, perSecond * 2);
            this.tokens = capacity;
            this.last = System.nanoTime();
        }

        synchronized boolean take(long now) {
            tokens = Math.min(capacity, tokens + (now - last) * perNano);
            last = now;
            if (tokens < 1) {
                return false;
            }
            tokens -= 1;
            return true;
        }
    }
}
