package dev.vigil.gateway.registration;

import org.springframework.boot.health.contributor.AbstractHealthIndicator;
import org.springframework.boot.health.contributor.Health;
import org.springframework.stereotype.Component;

/**
 * {@code registrations}: UP once this instance has read every registration made through the API that existed when it
 * started, so a gateway never turns away a registered caller because it has not read its registration yet. Part of
 * the readiness group.
 */
@Component
class RegistrationsHealthIndicator extends AbstractHealthIndicator {

    private final RegistrationLog log;

    RegistrationsHealthIndicator(RegistrationLog log) {
        this.log = log;
    }

    @Override
    protected void doHealthCheck(Health.Builder builder) {
        (log.caughtUp() ? builder.up() : builder.down()).withDetail("registrations", log.all().size());
    }
}
