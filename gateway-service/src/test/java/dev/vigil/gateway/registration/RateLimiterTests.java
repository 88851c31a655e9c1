package dev.vigil.gateway.registration;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.model.Source;
import java.time.ZoneId;
import org.junit.jupiter.api.Test;

/** A registration's rate limit holds, and a change of it (PATCH rateLimit) holds at once. */
class RateLimiterTests {

    private static Registration limited(double perSecond) {
        return new Registration("esxi-02", null, Source.XSIBACKUP, "demo", "1", null, "OK", ZoneId.of("UTC"),
                perSecond, null);
    }

    @Test
    void aChangedRateHoldsAtOnce() {
        RateLimiter limiter = new RateLimiter();
        int admitted = 0;
        for (int i = 0; i < 100; i++) {
            admitted += limiter.admit(limited(0), "r") == 0 ? 1 : 0;
        }
        assertThat(admitted).as("no limit").isEqualTo(100);

        admitted = 0;
        for (int i = 0; i < 100; i++) {
            admitted += limiter.admit(limited(1), "r") == 0 ? 1 : 0;
        }
        assertThat(admitted).as("1/s, bursts of 2").isBetween(2, 3);

        admitted = 0;
        for (int i = 0; i < 100; i++) {
            admitted += limiter.admit(limited(5), "r") == 0 ? 1 : 0;
        }
        assertThat(admitted).as("changed to 5/s, bursts of 10").isBetween(10, 11);
    }

    /**
     * Below one call a second the bucket holds one call: a fresh one admits its first call (every time: it is made
     * full as of that call), and the refusal after says how long until the next.
     */
    @Test
    void aRateBelowOneASecondAdmitsTheFirstCallThenSaysHowLongToWait() {
        for (int round = 0; round < 1_000; round++) {
            RateLimiter limiter = new RateLimiter();
            assertThat(limiter.admit(limited(0.05), "r")).as("round %d", round).isZero();
            assertThat(limiter.admit(limited(0.05), "r")).as("20 s for the next call")
                    .isBetween(19_000_000_000L, 20_000_000_000L);
        }
        assertThat(new RateLimiter().admit(limited(0.01), "r")).isZero();
    }

    /** A ping key's checks, a stoney server's accounts: each caller of one registration draws from its own bucket. */
    @Test
    void eachCallerOfARegistrationHasItsOwnBucket() {
        RateLimiter limiter = new RateLimiter();
        int hostA = 0;
        for (int i = 0; i < 10; i++) {
            hostA += limiter.admit(limited(1), "r/host-a") == 0 ? 1 : 0;
        }
        assertThat(hostA).as("1/s, bursts of 2").isBetween(2, 3);
        assertThat(limiter.admit(limited(1), "r/host-b")).as("another caller of the same registration").isZero();
    }

    /** Callers without number (any account's name) cannot grow the buckets without bound: full ones are let go. */
    @Test
    void bucketsThatAreFullAgainAreLetGo() throws InterruptedException {
        RateLimiter limiter = new RateLimiter();
        for (int i = 0; i < RateLimiter.SWEEP_ABOVE * 2; i++) {
            limiter.admit(limited(1_000), "r/account-" + i);
        }
        assertThat(limiter.size()).isLessThanOrEqualTo(RateLimiter.SWEEP_ABOVE * 2);
        Thread.sleep(1_100); // every bucket has refilled (1,000/s, one token taken)
        limiter.admit(limited(1_000), "r/one-more");
        assertThat(limiter.size()).isLessThanOrEqualTo(1);
    }
}
