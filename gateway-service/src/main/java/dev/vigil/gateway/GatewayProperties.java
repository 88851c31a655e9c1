package dev.vigil.gateway;

import dev.vigil.gateway.registration.Registration;
import jakarta.validation.Valid;
import java.time.Duration;
import java.util.List;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.util.unit.DataSize;
import org.springframework.validation.annotation.Validated;

/**
 * Gateway settings.
 *
 * @param registrations   the callers Vigil knows: token → source, tenant, account, job, reply
 * @param publishTimeout  how long a hook waits for Kafka's acknowledgement before it is answered 503
 * @param retryAfter      the {@code Retry-After} a 503 suggests
 * @param rejectedRawLimit how much of a refused input is kept on {@code backup.rejected}
 * @param maxQueryLength  longest query string accepted (XSIBackup sends its whole payload in it)
 * @param rotationGrace   how long a token replaced by {@code POST /api/v1/registrations/{id}/rotate} keeps working
 * @param publicUrl       the gateway's URL as backup products reach it, for the setup lines the registration API answers
 * @param bodyDeadline    how long a hook's body may take to arrive in all ({@code 408} after): a body trickled a byte
 *                        at a time resets Tomcat's per-read {@code connection-timeout} and held a connection for hours
 * @param pingDefaultSchedule the period a ping check without a {@code schedule} of its own is expected in (a ping key's
 *                        auto-provisioned checks included), as healthchecks gives every new check (1 day, judged
 *                        with the rules' start grace of 1 hour); empty: such a check is judged only by what it reports
 */
@Validated
@ConfigurationProperties("vigil.gateway")
public record GatewayProperties(@DefaultValue List<@Valid Registration> registrations,
                                @DefaultValue("4s") Duration publishTimeout,
                                @DefaultValue("30s") Duration retryAfter,
                                @DefaultValue("4KB") DataSize rejectedRawLimit,
                                @DefaultValue("16KB") DataSize maxQueryLength,
                                @DefaultValue("24h") Duration rotationGrace,
                                @DefaultValue("http://localhost:8080") String publicUrl,
                                @DefaultValue("60s") Duration bodyDeadline,
                                @DefaultValue("1d") @jakarta.validation.constraints.Pattern(regexp = "|[1-9][0-9]{0,5}[smhd]")
                                String pingDefaultSchedule) {
}
