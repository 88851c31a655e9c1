package dev.vigil.notifier.recipients;

import dev.vigil.notifier.NotifierProperties;
import io.micrometer.core.instrument.Metrics;
import io.micrometer.core.instrument.Timer;
import jakarta.mail.internet.AddressException;
import jakarta.mail.internet.InternetAddress;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import javax.naming.Name;
import javax.naming.directory.Attributes;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.ldap.CommunicationException;
import org.springframework.ldap.NameNotFoundException;
import org.springframework.ldap.UncategorizedLdapException;
import org.springframework.ldap.core.AttributesMapper;
import org.springframework.ldap.core.LdapTemplate;
import org.springframework.ldap.query.LdapQueryBuilder;
import org.springframework.ldap.support.LdapNameBuilder;
import org.springframework.stereotype.Component;

/**
 * The stoney recipient rules (source spec §3.4):
 * <ol>
 *   <li>if the account's {@code sstBackupWarnings} is TRUE and its {@code sstNotificationWarningMedium} is absent
 *       or contains {@code mail}: every {@code mail} of the account, or, when it has none, every {@code mail} of
 *       the person in {@code sstBelongsToPersonUID};</li>
 *   <li>plus the reseller's {@code sstMailTo} when the reseller's {@code sstNotificationWarning} lists the check,
 *       whatever the account's own settings;</li>
 *   <li>deduplicated by lower-cased address.</li>
 * </ol>
 * Every value that goes into a filter or a DN is escaped by spring-ldap's builders, so an account id such as
 * {@code *)(uid=*} matches nothing. Lookups are cached for a short time.
 */
@Component
public class RecipientResolver {

    private static final Logger log = LoggerFactory.getLogger(RecipientResolver.class);

    private final LdapTemplate ldap;
    private final NotifierProperties.Directory directory;
    private final NotifierProperties.Attributes attrs;
    private final Locale defaultLanguage;
    private final Clock clock;
    private final Map<String, Cached> cache = new ConcurrentHashMap<>();

    public RecipientResolver(LdapTemplate ldap, NotifierProperties properties, Optional<Clock> clock) {
        this.ldap = ldap;
        this.directory = properties.directory();
        this.attrs = directory.attributes();
        this.defaultLanguage = properties.mail().defaultLanguage();
        this.clock = clock.orElse(Clock.systemUTC());
    }

    private record Cached(Recipients recipients, Instant expires) {
    }

    /**
     * @param account the account uid of the job
     * @param check   the stoney check of the alert: quota, schedule, unsuccessful, upgrade, nobackup
     * @throws DirectoryUnavailableException when the directory cannot be reached
     */
    /** After a failed look-up, how long the directory is taken as down before it is asked again. */
    static final java.time.Duration DOWN_FOR = java.time.Duration.ofSeconds(15);
    private volatile Instant downUntil;

    public Recipients resolve(String account, String check) {
        String key = account + "\n" + check;
        Instant now = clock.instant();
        Cached cached = cache.get(key);
        if (cached != null && cached.expires().isAfter(now)) {
            return cached.recipients();
        }
        Instant down = downUntil;
        if (down != null && now.isBefore(down)) {
            // seen down a moment ago: say so at once instead of waiting out another timeout per alert
            throw new DirectoryUnavailableException("the directory was unavailable moments ago; next try after " + down, null);
        }
        Timer.Sample sample = Timer.start();
        Recipients recipients;
        try {
            recipients = lookUp(account, check);
            sample.stop(Metrics.timer("vigil.notifier.ldap.lookup", "outcome", "ok"));
            downUntil = null;
        } catch (DirectoryUnavailableException e) {
            sample.stop(Metrics.timer("vigil.notifier.ldap.lookup", "outcome", "unavailable"));
            downUntil = clock.instant().plus(DOWN_FOR);
            throw e;
        }
        cache.put(key, new Cached(recipients, now.plus(directory.cacheTtl())));
        return recipients;
    }

    private Recipients lookUp(String account, String check) {
        try {
            Map<String, String> addresses = new LinkedHashMap<>(); // lower-cased address → as written
            List<String> trail = new ArrayList<>();
            Optional<Entry> entry = findOne(directory.accountsBase(), account);
            if (entry.isEmpty()) {
                log.warn("account {} is not in the directory: nobody to tell", account);
                return new Recipients(List.of(), defaultLanguage, List.of("account not found"));
            }
            Entry acct = entry.get();
            Locale language = acct.first(attrs.language()).map(Locale::forLanguageTag).orElse(null);

            if (warningsWanted(acct, account)) {
                List<String> own = acct.all(attrs.mail());
                if (!own.isEmpty()) {
                    own.forEach(a -> add(addresses, a));
                    trail.add("account mail");
                } else {
                    Optional<String> personUid = acct.first(attrs.person());
                    if (personUid.isPresent()) {
                        Optional<Entry> person = findOne(directory.peopleBase(), personUid.get());
                        if (person.isEmpty()) {
                            log.warn("person {} of account {} is not in the directory", personUid.get(), account);
                        } else {
                            person.get().all(attrs.mail()).forEach(a -> add(addresses, a));
                            trail.add("person " + personUid.get());
                            if (language == null) {
                                language = person.get().first(attrs.language()).map(Locale::forLanguageTag).orElse(null);
                            }
                        }
                    }
                }
            } else {
                trail.add("account warnings off");
            }

            Optional<String> resellerUid = acct.first(attrs.reseller());
            if (resellerUid.isPresent()) {
                Optional<Entry> notifications = resellerNotifications(resellerUid.get());
                if (notifications.isPresent() && notifications.get().all(attrs.resellerWarnings()).stream()
                        .anyMatch(check::equalsIgnoreCase)) {
                    notifications.get().all(attrs.resellerMailTo()).forEach(a -> add(addresses, a));
                    trail.add("reseller " + resellerUid.get() + " (" + check + ")");
                }
            }
            if (addresses.isEmpty() && directory.fallbackAddress() != null && !directory.fallbackAddress().isBlank()) {
                add(addresses, directory.fallbackAddress());
                trail.add("fallback");
            }
            return new Recipients(List.copyOf(addresses.values()), language == null ? defaultLanguage : language, trail);
        } catch (CommunicationException | UncategorizedLdapException | org.springframework.ldap.AuthenticationException
                 | org.springframework.ldap.ServiceUnavailableException | org.springframework.ldap.TimeLimitExceededException e) {
            // unreachable, hanging past the read timeout, busy, or refusing Vigil's bind (a rotated password): an
            // outage of the directory to wait out and alert on, never a reason to drop the notification
            throw new DirectoryUnavailableException("the directory cannot be used: " + e.getMessage(), e);
        }
    }

    private boolean warningsWanted(Entry account, String uid) {
        Optional<String> warnings = account.first(attrs.backupWarnings());
        if (warnings.isEmpty()) {
            return false;
        }
        if (!warnings.get().equalsIgnoreCase("TRUE")) {
            if (!warnings.get().equalsIgnoreCase("FALSE")) {
                log.warn("account {} has {}={}; read as FALSE", uid, attrs.backupWarnings(), warnings.get());
            }
            return false;
        }
        List<String> media = account.all(attrs.warningMedium());
        return media.isEmpty() || media.stream().anyMatch("mail"::equalsIgnoreCase);
    }

    private Optional<Entry> findOne(String base, String uid) {
        List<Entry> found = ldap.search(LdapQueryBuilder.query().base(base).where(attrs.uid()).is(uid),
                (AttributesMapper<Entry>) Entry::new);
        if (found.size() > 1) {
            log.warn("{} entries have {}={} under {}; using the first", found.size(), attrs.uid(), uid, base);
        }
        return found.stream().findFirst();
    }

    private Optional<Entry> resellerNotifications(String resellerUid) {
        Name dn = LdapNameBuilder.newInstance(directory.resellerBase()).add(attrs.uid(), resellerUid)
                .add("ou", "notifications").build();
        try {
            return Optional.of(ldap.lookup(dn, (AttributesMapper<Entry>) Entry::new));
        } catch (NameNotFoundException e) {
            return Optional.empty();
        }
    }

    private static void add(Map<String, String> addresses, String address) {
        try {
            InternetAddress parsed = new InternetAddress(address, false);
            addresses.putIfAbsent(parsed.getAddress().toLowerCase(Locale.ROOT), address.strip());
        } catch (AddressException e) {
            log.warn("ignoring the address '{}' from the directory: {}", address, e.getMessage());
        }
    }

    /** The attributes of one entry, read as strings. */
    private record Entry(Map<String, List<String>> values) {

        Entry(Attributes attributes) throws javax.naming.NamingException {
            this(read(attributes));
        }

        private static Map<String, List<String>> read(Attributes attributes) throws javax.naming.NamingException {
            Map<String, List<String>> values = new java.util.HashMap<>();
            var all = attributes.getAll();
            while (all.hasMore()) {
                var attribute = all.next();
                List<String> list = new ArrayList<>();
                var each = attribute.getAll();
                while (each.hasMore()) {
                    list.add(String.valueOf(each.next()));
                }
                values.put(attribute.getID().toLowerCase(Locale.ROOT), list);
            }
            return values;
        }

        List<String> all(String name) {
            return values.getOrDefault(name.toLowerCase(Locale.ROOT), List.of());
        }

        Optional<String> first(String name) {
            return all(name).stream().findFirst();
        }
    }
}
