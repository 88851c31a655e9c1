package dev.vigil.gateway.registration;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A token bucket per registration, or per check of a ping key: {@code rateLimit} calls per second, bursts of twice as
 * many.
 */
final class RateLimiter {

    /** Buckets kept before full ones are let go: a full bucket is what a new one would be, so nothing changes. */
    static final int SWEEP_ABOVE = 10_000;
    private final Map<String, Bucket> buckets = new ConcurrentHashMap<>();
    private volatile long lastSweep;

    /**
     * @param bucket the bucket the call draws from: the registration's id, or for a ping key's check the id and its
     *               slug (a fleet pinging one key at the same minute is as many checks, each within its own rate)
     * @return 0 when the call may go on, else the nanoseconds until one would (a whole call's worth refilled)
     */
    long admit(Registration registration, String bucket) {
        if (registration.rateLimit() <= 0) {
            return 0;
        }
        long now = System.nanoTime();
        if (buckets.size() > SWEEP_ABOVE && now - lastSweep > 1_000_000_000L) {
            lastSweep = now; // callers without number (any account's name) leave only buckets that are full again
            buckets.values().removeIf(b -> b.isFull(now));
        }
        // a registration whose rate was changed (PATCH rateLimit) gets a bucket of the new rate
        return buckets.compute(bucket, (id, current) -> current == null
                        || current.perSecond != registration.rateLimit() ? new Bucket(registration.rateLimit(), now) : current)
                .take(now);
    }

    /** Buckets held now (for tests). */
    int size() {
        return buckets.size();
    }

    private static final class Bucket {
        private final double perSecond;
        private final double perNano;
        private final double capacity;
        private double tokens;
        private long last;

        /** A full bucket as of {@code now}: the time of the call it is made for, so that call always finds it full. */
        Bucket(double perSecond, long now) {
            this.perSecond = perSecond;
            this.perNano = perSecond / 1e9;
            this.capacity = Math.max(1, perSecond * 2);
            this.tokens = capacity;
            this.last = now;
        }

        synchronized boolean isFull(long now) {
            return tokens + Math.max(0, now - last) * perNano >= capacity;
        }

        /** 0 when a call's token was taken, else the nanoseconds until one is there. */
        synchronized long take(long now) {
            // calls reach here out of the order of their nanoTime reads: time never runs backwards for a bucket
            if (now > last) {
                tokens = Math.min(capacity, tokens + (now - last) * perNano);
                last = now;
            }
            if (tokens < 1) {
                return Math.max(1, (long) Math.ceil((1 - tokens) / perNano));
            }
            tokens -= 1;
            return 0;
        }
    }
}
