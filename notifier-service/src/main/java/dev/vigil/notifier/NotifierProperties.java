package dev.vigil.notifier;

import dev.vigil.notifier.routing.Receiver;
import dev.vigil.notifier.routing.Route;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Notifier settings.
 *
 * @param directory where and how recipients are found in LDAP
 * @param mail      the sender and default language of mails
 * @param receivers who is told; by default the recipients the directory names for the account
 * @param route     the route tree: which receivers hear about which alerts; by default the first receiver
 * @param repeatInterval how often an alert that is still firing is notified again; 0 for never
 */
@ConfigurationProperties("vigil.notifier")
public record NotifierProperties(@DefaultValue Directory directory, @DefaultValue Mail mail,
                                 @DefaultValue List<Receiver> receivers, Route route,
                                 @DefaultValue("4h") Duration repeatInterval,
                                 @DefaultValue ChatGrouping chatGrouping) {

    /**
     * The default grouping of chat channels (Slack, IFTTT) for routes that do not group: what reaches one receiver
     * within {@code groupWait} is one digest message, later alerts follow every {@code groupInterval}; a lone alert
     * arrives as itself, {@code groupWait} after it fired. Mail and webhooks are not held. {@code groupWait} 0 turns it
     * off.
     */
    public record ChatGrouping(@DefaultValue("5s") Duration groupWait, @DefaultValue("1m") Duration groupInterval) {

        public boolean enabled() {
            return groupWait.toMillis() > 0;
        }
    }

    /**
     * The stoney directory layout, relative to {@code spring.ldap.base}, and its attribute names (source spec §3.3).
     *
     * @param fallbackAddress who is told when the directory names nobody for an alert; empty for nobody
     * @param tenant          the tenant of the directory's accounts
     * @param syncInterval    how often the accounts' settings are published to {@code backup.accounts}
     * @param pageSize        entries per page of the account sync's paged search (RFC 2696); below the server's
     *                        size limit (OpenLDAP: 500)
     */
    public record Directory(@DefaultValue("ou=accounts,ou=backup,ou=services") String accountsBase,
                            @DefaultValue("ou=people") String peopleBase,
                            @DefaultValue("ou=reseller,ou=configuration,ou=backup,ou=services") String resellerBase,
                            @DefaultValue Attributes attributes,
                            @DefaultValue("5m") Duration cacheTtl,
                            String fallbackAddress,
                            @DefaultValue("stoney") String tenant,
                            @DefaultValue("10m") Duration syncInterval,
                            @DefaultValue("200") int pageSize) {
    }

    public record Attributes(@DefaultValue("uid") String uid,
                             @DefaultValue("mail") String mail,
                             @DefaultValue("sstBackupWarnings") String backupWarnings,
                             @DefaultValue("sstNotificationWarningMedium") String warningMedium,
                             @DefaultValue("sstBelongsToPersonUID") String person,
                             @DefaultValue("sstBelongsToResellerUID") String reseller,
                             @DefaultValue("sstMailTo") String resellerMailTo,
                             @DefaultValue("sstNotificationWarning") String resellerWarnings,
                             @DefaultValue("preferredLanguage") String language,
                             @DefaultValue("sstBackupQuotaThreshold") String quotaThreshold,
                             @DefaultValue("sstBackupFailureThreshold") String failureThreshold,
                             @DefaultValue("sstProvisioningDate") String created,
                             @DefaultValue("sstProvisioningMode") String provisioningMode) {
    }

    /**
     * @param from            the sender of every mail
     * @param defaultLanguage the language when the directory names none
     * @param zone            the zone a message writes times in (the accounts' zone; stoney's default)
     * @param consoleUrl      the console's address (e.g. {@code https://vigil.example.org}); messages link to the
     *                        job's page there. Unset: no link
     */
    public record Mail(@DefaultValue("Vigil <vigil@localhost>") String from,
                       @DefaultValue("en") Locale defaultLanguage,
                       @DefaultValue("Europe/Zurich") java.time.ZoneId zone,
                       java.net.URI consoleUrl) {

        /**
         * The link to a job's page in the console, {@code <console>/job/<id>} ({@link dev.vigil.model.JobKey#urlId()},
         * which carries any job name unchanged); an account-wide alert (job {@code *}) links to the account's jobs.
         * {@code null} without a console.
         */
        public String jobLink(dev.vigil.model.JobKey job) {
            if (consoleUrl == null) {
                return null;
            }
            var link = org.springframework.web.util.UriComponentsBuilder.fromUri(consoleUrl);
            return job.job().equals("*")
                    ? link.path("/jobs").queryParam("account", "{account}").encode().buildAndExpand(job.account()).toUriString()
                    : link.path("/job/" + job.urlId()).build().toUriString();
        }
    }
}
