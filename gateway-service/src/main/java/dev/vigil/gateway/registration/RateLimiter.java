package dev.vigil.gateway.registration;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/** A token bucket per registration: {@code rateLimit} calls per second, bursts of twice as many. */
final class RateLimiter {

    private final Map<String, Bucket> buckets = new ConcurrentHashMap<>();

    /** @return true when the call may go on */
    boolean admit(Registration registration) {
        if (registration.rateLimit() <= 0) {
            return true;
        }
        // a registration whose rate was changed (PATCH rateLimit) gets a bucket of the new rate
        return buckets.compute(registration.id(), (id, bucket) -> bucket == null
                        || bucket.perSecond != registration.rateLimit() ? new Bucket(registration.rateLimit()) : bucket)
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
