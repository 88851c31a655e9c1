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
import org.springframework.stereotype.Component;

/**
 * Publishes every account's settings from the directory to the compacted {@code backup.accounts}, so the rules
 * read thresholds and creation dates locally instead of asking LDAP for each event. Attribute names are configuration
 * (source spec §3.3).
 * <ul>
 *   <li>The directory is read with the LDAP paged results control (RFC 2696, {@code page-size} entries a page, on one
 *       connection), so a server's size limit (OpenLDAP's 500) does not cut the list short. A search that fails or
 *       comes back incomplete (a size or time limit hit) publishes nothing and removes nothing.</li>
 *   <li>What is published is compared with what {@code backup.accounts} holds (read from its beginning at each sync),
 *       not with this process's memory: only changes are written, and an account that left the directory gets a
 *       tombstone, also after a restart. Two notifier instances compute the same changes; the topic is compacted, so
 *       a repeated write changes nothing.</li>
 * </ul>
 */
@Component
public class AccountSync {

    private static final Logger log = LoggerFactory.getLogger(AccountSync.class);

    private final LdapTemplate ldap;
    private final KafkaTemplate<String, Object> kafka;
    private final NotifierProperties.Directory directory;
    private final org.springframework.boot.kafka.autoconfigure.KafkaProperties kafkaProperties;

    public AccountSync(LdapTemplate ldap, KafkaTemplate<String, Object> kafka, NotifierProperties properties,
                       org.springframework.boot.kafka.autoconfigure.KafkaProperties kafkaProperties) {
        this.ldap = ldap;
        this.kafka = kafka;
        this.directory = properties.directory();
        this.kafkaProperties = kafkaProperties;
    }

    /**
     * One synchronisation.
     *
     * @return how many records were written (changed settings and tombstones); 0 when the directory or Kafka could
     *         not be read completely (then nothing was changed)
     */
    public synchronized int sync() {
        List<AccountSettings> accounts;
        try {
            accounts = readDirectory();
        } catch (NamingException e) {
            log.warn("account settings not synchronised, the directory cannot be read completely: {}", e.getMessage());
            return 0;
        }
        Map<String, AccountSettings> published;
        try {
            published = readPublished();
        } catch (RuntimeException e) {
            log.warn("account settings not synchronised, {} cannot be read: {}", Topics.ACCOUNTS, e.toString());
            return 0;
        }
        int written = 0;
        Set<String> present = new HashSet<>();
        Instant now = Instant.now();
        try {
            for (AccountSettings account : accounts) {
                present.add(account.account());
                AccountSettings before = published.get(account.account());
                if (before == null || !account.equals(unstamped(before))) {
                    send(account.account(), new AccountSettings(account.account(), account.tenant(),
                            account.quotaThresholdPercent(), account.consecutiveFailures(), account.createdAt(),
                            account.active(), now), now);
                    written++;
                }
            }
            for (Map.Entry<String, AccountSettings> gone : published.entrySet()) {
                if (!present.contains(gone.getKey()) && directory.tenant().equals(gone.getValue().tenant())) {
                    send(gone.getKey(), null, now);
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

    /**
     * Every account of the directory, page by page on one connection.
     *
     * @throws NamingException when the directory cannot be read, or answers only part of the list
     */
    private List<AccountSettings> readDirectory() {
        NotifierProperties.Attributes a = directory.attributes();
        javax.naming.directory.SearchControls controls = new javax.naming.directory.SearchControls();
        controls.setSearchScope(javax.naming.directory.SearchControls.SUBTREE_SCOPE);
        controls.setReturningAttributes(new String[] {a.uid(), a.quotaThreshold(), a.failureThreshold(), a.created(),
                a.provisioningMode()});
        AttributesMapper<AccountSettings> mapper = attrs -> new AccountSettings(
                text(attrs.get(a.uid())), directory.tenant(), number(attrs.get(a.quotaThreshold())),
                integer(attrs.get(a.failureThreshold())), date(attrs.get(a.created())),
                !text(attrs.get(a.provisioningMode()), "").toLowerCase().startsWith("delet"), null);
        String filter = new org.springframework.ldap.filter.PresentFilter(a.uid()).encode();
        return org.springframework.ldap.core.support.SingleContextSource.doWithSingleContext(
                ldap.getContextSource(), operations -> {
                    if (operations instanceof LdapTemplate template) {
                        template.setIgnoreSizeLimitExceededException(false); // incomplete must fail, never remove
                        template.setIgnorePartialResultException(false);
                    }
                    List<AccountSettings> all = new java.util.ArrayList<>();
                    org.springframework.ldap.control.PagedResultsDirContextProcessor pages =
                            new org.springframework.ldap.control.PagedResultsDirContextProcessor(directory.pageSize());
                    do {
                        all.addAll(operations.search(directory.accountsBase(), filter, controls, mapper, pages));
                    } while (pages.hasMore());
                    return all;
                });
    }

    /** What {@code backup.accounts} holds now: every account's latest settings, tombstones left out. */
    private Map<String, AccountSettings> readPublished() {
        Map<String, Object> config = kafkaProperties.buildConsumerProperties();
        config.remove(org.apache.kafka.clients.consumer.ConsumerConfig.GROUP_ID_CONFIG);
        config.put(org.apache.kafka.clients.consumer.ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        Map<String, AccountSettings> published = new HashMap<>();
        try (var consumer = new org.apache.kafka.clients.consumer.KafkaConsumer<>(config,
                new org.apache.kafka.common.serialization.StringDeserializer(),
                new org.apache.kafka.common.serialization.ByteArrayDeserializer())) {
            List<org.apache.kafka.common.TopicPartition> partitions = consumer
                    .partitionsFor(Topics.ACCOUNTS, java.time.Duration.ofSeconds(10)).stream()
                    .map(p -> new org.apache.kafka.common.TopicPartition(Topics.ACCOUNTS, p.partition())).toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            Map<org.apache.kafka.common.TopicPartition, Long> end = consumer.endOffsets(partitions);
            long deadline = System.nanoTime() + java.time.Duration.ofSeconds(30).toNanos();
            while (partitions.stream().anyMatch(p -> consumer.position(p) < end.get(p))) {
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("not read to its end within 30 s");
                }
                for (var record : consumer.poll(java.time.Duration.ofMillis(200))) {
                    if (record.value() == null) {
                        published.remove(record.key());
                        continue;
                    }
                    try {
                        published.put(record.key(), dev.vigil.model.Json.read(record.value(), AccountSettings.class));
                    } catch (RuntimeException e) {
                        log.warn("skipped an unreadable record of {} at offset {}", Topics.ACCOUNTS, record.offset());
                    }
                }
            }
        }
        return published;
    }

    /** The settings as the directory has them, without the time they were published. */
    private static AccountSettings unstamped(AccountSettings published) {
        return new AccountSettings(published.account(), published.tenant(), published.quotaThresholdPercent(),
                published.consecutiveFailures(), published.createdAt(), published.active(), null);
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
