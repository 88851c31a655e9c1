package dev.vigil.console;

import java.net.URI;
import java.time.Duration;
import java.time.ZoneId;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * {@code vigil.console.*}.
 *
 * @param rulesUrl       base URL of the rules service's API (job status)
 * @param notifierUrl    base URL of the notifier's API (alert groups, audit, silences)
 * @param gatewayUrl     base URL of the gateway's API (registrations)
 * @param sessionSecret  the secret that encrypts the sign-in cookie and signs badge URLs; every replica needs the
 *                       same one. Unset, each start makes a random one: sign-ins end at a restart and badge URLs
 *                       change (fine for one local instance only)
 * @param sessionTtl     how long a sign-in lasts
 * @param zone           the zone times are shown in
 * @param badgeApiKey    a read API key the console uses to answer badges (which carry no key); a tenant's key serves
 *                       that tenant's badges, an operator's all. Unset: badges answer 404
 * @param refresh        how often the jobs and alerts pages refresh themselves
 */
@ConfigurationProperties("vigil.console")
public record ConsoleProperties(@DefaultValue("http://localhost:8081") URI rulesUrl,
                                @DefaultValue("http://localhost:8082") URI notifierUrl,
                                @DefaultValue("http://localhost:8080") URI gatewayUrl,
                                String sessionSecret,
                                @DefaultValue("12h") Duration sessionTtl,
                                @DefaultValue("Europe/Zurich") ZoneId zone,
                                String badgeApiKey,
                                @DefaultValue("30s") Duration refresh) {
}
