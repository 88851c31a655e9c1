package dev.vigil.notifier.directory;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.icegreen.greenmail.configuration.GreenMailConfiguration;
import com.icegreen.greenmail.junit5.GreenMailExtension;
import com.icegreen.greenmail.util.ServerSetupTest;
import com.unboundid.ldap.sdk.Entry;
import com.unboundid.ldap.sdk.LDAPException;
import dev.vigil.kafka.test.TopicTail;
import dev.vigil.local.DemoDirectory;
import dev.vigil.model.AccountSettings;
import dev.vigil.model.Topics;
import dev.vigil.notifier.NotifierProperties;
import dev.vigil.notifier.recipients.DirectoryUnavailableException;
import dev.vigil.notifier.recipients.RecipientResolver;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.kafka.autoconfigure.KafkaProperties;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.kafka.core.KafkaTemplate;
import org.springframework.kafka.test.EmbeddedKafkaBroker;
import org.springframework.kafka.test.context.EmbeddedKafka;
import org.springframework.ldap.core.LdapTemplate;
import org.springframework.ldap.core.support.LdapContextSource;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * The directory as a real one behaves: 1,203 accounts behind OpenLDAP's default size limit of 500, a bind that needs
 * a password, a server that accepts connections and never answers.
 */
@SpringBootTest(properties = {"spring.config.name=notifier", "server.port=0", "management.server.port=0",
        "vigil.notifier.directory.sync-initial-delay=1h", "spring.ldap.username=cn=vigil,dc=stoney-cloud,dc=org",
        "spring.ldap.password=right-password"})
@EmbeddedKafka(partitions = 1, bootstrapServersProperty = "spring.kafka.bootstrap-servers")
@org.springframework.test.annotation.DirtiesContext // a broker of its own, closed after: the heap holds the other classes' contexts
class DirectoryLimitsIntegrationTests {

    private static final String ACCOUNTS = "ou=accounts,ou=backup,ou=services,dc=stoney-cloud,dc=org";
    private static final DemoDirectory directory = DemoDirectory.start(0, DemoDirectory.DEMO_DATA, config -> {
        config.setMaxSizeLimit(500);
        try {
            config.addAdditionalBindCredentials("cn=vigil,dc=stoney-cloud,dc=org", "right-password");
        } catch (LDAPException e) {
            throw new IllegalStateException(e);
        }
    });

    static {
        try {
            for (int i = 0; i < 1_200; i++) {
                String uid = Integer.toString(5_000_000 + i);
                directory.server().add(new Entry("uid=" + uid + "," + ACCOUNTS,
                        new com.unboundid.ldap.sdk.Attribute("objectClass", "top", "account", "posixAccount",
                                "sstProvisioning", "sstBackupAccount"),
                        new com.unboundid.ldap.sdk.Attribute("uid", uid),
                        new com.unboundid.ldap.sdk.Attribute("cn", uid),
                        new com.unboundid.ldap.sdk.Attribute("uidNumber", uid),
                        new com.unboundid.ldap.sdk.Attribute("gidNumber", uid),
                        new com.unboundid.ldap.sdk.Attribute("homeDirectory", "/var/backup/" + uid),
                        new com.unboundid.ldap.sdk.Attribute("sstBackupQuotaThreshold", "90"),
                        new com.unboundid.ldap.sdk.Attribute("sstProvisioningMode", "added"),
                        new com.unboundid.ldap.sdk.Attribute("sstProvisioningState", "0"),
                        new com.unboundid.ldap.sdk.Attribute("sstProvisioningDate", "20260101T120000Z")));
            }
        } catch (LDAPException e) {
            throw new IllegalStateException(e);
        }
    }

    @RegisterExtension
    static GreenMailExtension smtp = new GreenMailExtension(ServerSetupTest.SMTP.dynamicPort())
            .withConfiguration(GreenMailConfiguration.aConfig()).withPerMethodLifecycle(false);

    @DynamicPropertySource
    static void servers(DynamicPropertyRegistry registry) {
        registry.add("spring.mail.port", () -> smtp.getSmtp().getPort());
        registry.add("spring.ldap.urls", directory::url);
    }

    @AfterAll
    static void stop() {
        directory.close();
    }

    @Autowired
    AccountSync accountSync;
    @Autowired
    LdapTemplate ldap;
    @Autowired
    KafkaTemplate<String, Object> kafka;
    @Autowired
    NotifierProperties properties;
    @Autowired
    KafkaProperties kafkaProperties;
    @Autowired
    EmbeddedKafkaBroker broker;

    private AccountSync freshSync(int pageSize) {
        NotifierProperties.Directory d = properties.directory();
        NotifierProperties changed = new NotifierProperties(new NotifierProperties.Directory(d.accountsBase(),
                d.peopleBase(), d.resellerBase(), d.attributes(), d.cacheTtl(), d.fallbackAddress(), d.tenant(),
                d.syncInterval(), pageSize), properties.mail(), properties.receivers(), properties.route(),
                properties.repeatInterval(), properties.chatGrouping());
        return new AccountSync(ldap, kafka, changed, kafkaProperties);
    }

    @Test
    void everyAccountBehindTheSizeLimitIsPublishedAndRemovalsFollowTheTopicNotMemory() throws Exception {
        try (TopicTail accounts = TopicTail.open(broker.getBrokersAsString(), Topics.ACCOUNTS)) {
            assertThat(accountSync.sync()).isEqualTo(1_203);
            List<ConsumerRecord<String, String>> first = accounts.await(1_203, Topics.ACCOUNTS, Duration.ofSeconds(30));
            assertThat(first.stream().map(ConsumerRecord::key).distinct()).hasSize(1_203).contains("5001199", "3723707");

            // a new instance (a restart, a second replica) knows what is published from the topic: nothing to write
            assertThat(freshSync(200).sync()).isZero();

            // a page larger than the server's limit: the search comes back incomplete, so nothing is removed
            assertThat(freshSync(1_000).sync()).isZero();
            assertThat(accounts.settle(Duration.ofSeconds(1))).hasSize(1_203);

            for (int i = 0; i < 7; i++) {
                directory.server().delete("uid=" + (5_000_000 + i) + "," + ACCOUNTS);
            }
            assertThat(freshSync(200).sync()).isEqualTo(7);
            List<ConsumerRecord<String, String>> after = new ArrayList<>(accounts.await(1_210, Topics.ACCOUNTS,
                    Duration.ofSeconds(10)));
            List<ConsumerRecord<String, String>> tombstones = after.subList(1_203, after.size());
            assertThat(tombstones).hasSize(7).allSatisfy(r -> assertThat(r.value()).isNull());
            assertThat(tombstones).extracting(ConsumerRecord::key).containsExactlyInAnyOrder("5000000", "5000001",
                    "5000002", "5000003", "5000004", "5000005", "5000006");
            assertThat(TopicTail.value(first.stream().filter(r -> r.key().equals("5001199")).findFirst().orElseThrow(),
                    AccountSettings.class).quotaThresholdPercent()).isEqualTo(90.0);
        }
    }

    private RecipientResolver resolverAt(String url, String password) {
        LdapContextSource source = new LdapContextSource();
        source.setUrl(url);
        source.setBase("dc=stoney-cloud,dc=org");
        source.setUserDn("cn=vigil,dc=stoney-cloud,dc=org");
        source.setPassword(password);
        source.setBaseEnvironmentProperties(Map.of("com.sun.jndi.ldap.connect.timeout", "1000",
                "com.sun.jndi.ldap.read.timeout", "1000"));
        source.afterPropertiesSet();
        return new RecipientResolver(new LdapTemplate(source), properties, Optional.empty());
    }

    @Test
    void aDirectoryThatNeverAnswersIsAnOutageWithinTheReadTimeout() throws Exception {
        try (ServerSocket silent = new ServerSocket(0)) {
            Thread accepting = new Thread(() -> {
                List<Socket> held = new ArrayList<>();
                try {
                    while (true) {
                        held.add(silent.accept()); // accepted, never answered
                    }
                } catch (Exception e) {
                    // closed
                }
            });
            accepting.setDaemon(true);
            accepting.start();
            long start = System.nanoTime();
            assertThatThrownBy(() -> resolverAt("ldap://127.0.0.1:" + silent.getLocalPort(), "right-password")
                    .resolve("3723707", "unsuccessful")).isInstanceOf(DirectoryUnavailableException.class);
            assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(10));
        }
    }

    @Test
    void aRotatedPasswordIsAnOutageToWaitOutNotAReasonToDropTheNotification() {
        assertThatThrownBy(() -> resolverAt(directory.url(), "old-password").resolve("3723707", "unsuccessful"))
                .isInstanceOf(DirectoryUnavailableException.class);
        assertThat(resolverAt(directory.url(), "right-password").resolve("3723707", "unsuccessful").addresses())
                .isNotEmpty();
    }

    @Autowired
    org.springframework.boot.ldap.autoconfigure.LdapProperties ldapProperties;

    /** What the hanging-server test shows with 1 s holds for the shipped configuration, with its own bounds. */
    @Test
    void theShippedConfigurationBoundsEveryDirectoryCall() {
        Map<String, String> environment = ldapProperties.getBaseEnvironment();
        assertThat(Integer.parseInt(environment.get("com.sun.jndi.ldap.connect.timeout"))).isBetween(1, 10_000);
        assertThat(Integer.parseInt(environment.get("com.sun.jndi.ldap.read.timeout"))).isBetween(1, 30_000);
        assertThat(environment).containsEntry("com.sun.jndi.ldap.connect.pool", "true");
    }
}
