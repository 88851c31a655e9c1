package dev.vigil.notifier.directory;

import dev.vigil.kafka.CloudEventRecords;
import dev.vigil.model.AccountSettings;
import dev.vigil.model.Topics;
import dev.vigil.notifier.NotifierProperties;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import javax.naming.directory.Attribute;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.kafka.core.KafkaTemplate;
import org.springframework.ldap.NamingException;
import org.springframework.ldap.core.AttributesMapper;
import org.springframework.ldap.core.LdapTemplate;
import org.springframework.ldap.query.LdapQueryBuilder;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;

/**
 * Publishes every account's settings from the directory to the compacted {@code backup.accounts}, so the rules
 * read thresholds and creation dates locally instead of asking LDAP for each event. Only changes are written; an
 * account that left the directory gets a tombstone. Attribute names are configuration (source spec §3.3).
 */
@Component
public class AccountSync {

    private static final Logger log = LoggerFactory.getLogger(AccountSync.class);

    private final LdapTemplate ldap;
    private final KafkaTemplate<String, Object> kafka;
    private final NotifierProperties.Directory directory;
    private final Map<String, AccountSettings> published = new HashMap<>();

    public AccountSync(LdapTemplate ldap, KafkaTemplate<String, Object> kafka, NotifierProperties properties) {
        this.ldap = ldap;
        this.kafka = kafka;
        this.directory = properties.directory();
    }

    @Scheduled(fixedDelayString = "${vigil.notifier.directory.sync-interval:10m}", initialDelayString = "${vigil.notifier.directory.sync-initial-delay:5s}")
    public synchronized int sync() {
        NotifierProperties.Attributes a = directory.attributes();
        List<AccountSettings> accounts;
        try {
            accounts = ldap.search(LdapQueryBuilder.query().base(directory.accountsBase()).where(a.uid()).isPresent(),
                    (AttributesMapper<AccountSettings>) attrs -> new AccountSettings(
                            text(attrs.get(a.uid())), directory.tenant(), number(attrs.get(a.quotaThreshold())),
                            integer(attrs.get(a.failureThreshold())), date(attrs.get(a.created())),
                            !text(attrs.get(a.provisioningMode()), "").toLowerCase().startsWith("delet"), null));
        } catch (NamingException e) {
            log.warn("account settings not synchronised, the directory cannot be read: {}", e.getMessage());
            return 0;
        }
        int written = 0;
        Set<String> present = new HashSet<>();
        Instant now = Instant.now();
        try {
            for (AccountSettings account : accounts) {
                present.add(account.account());
                if (!account.equals(published.get(account.account()))) {
                    AccountSettings stamped = new AccountSettings(account.account(), account.tenant(),
                            account.quotaThresholdPercent(), account.consecutiveFailures(), account.createdAt(),
                            account.active(), now);
                    send(account.account(), stamped, now);
                    published.put(account.account(), account);
                    written++;
                }
            }
            for (String gone : new HashSet<>(published.keySet())) {
                if (!present.contains(gone)) {
                    send(gone, null, now);
                    published.remove(gone);
                    written++;
                }
            }
        } catch (Exception e) {
            log.warn("account settings only partly published: {}", e.toString());
        }
        if (written > 0) {
            log.info("published {} changed account settings of {} accounts", written, accounts.size());
        }
        return written;
    }

    private void send(String account, AccountSettings settings, Instant now) throws Exception {
        kafka.send(CloudEventRecords.record(Topics.ACCOUNTS, account, settings, "account-" + account + "-" + now.toEpochMilli(),
                "dev.vigil.account.settings", "notifier", now, null)).get(10, TimeUnit.SECONDS);
    }

    private static String text(Attribute attribute) throws javax.naming.NamingException {
        return attribute == null ? null : String.valueOf(attribute.get());
    }

    private static String text(Attribute attribute, String fallback) throws javax.naming.NamingException {
        String value = text(attribute);
        return value == null ? fallback : value;
    }

    private static Double number(Attribute attribute) throws javax.naming.NamingException {
        try {
            return attribute == null ? null : Double.valueOf(text(attribute).strip());
        } catch (NumberFormatException e) {
            return null;
        }
    }

    private static Integer integer(Attribute attribute) throws javax.naming.NamingException {
        try {
            return attribute == null ? null : Integer.valueOf(text(attribute).strip());
        } catch (NumberFormatException e) {
            return null;
        }
    }

    /** stoney writes {@code 20260101T120000Z}; LDAP generalized time {@code 20260101120000Z} works too. */
    private static Instant date(Attribute attribute) throws javax.naming.NamingException {
        String value = text(attribute);
        if (value == null) {
            return null;
        }
        try {
            return LocalDateTime.parse(value.strip().replace("T", "").replace("Z", ""),
                    DateTimeFormatter.ofPattern("yyyyMMddHHmmss")).toInstant(ZoneOffset.UTC);
        } catch (DateTimeParseException e) {
            return null;
        }
    }
}
