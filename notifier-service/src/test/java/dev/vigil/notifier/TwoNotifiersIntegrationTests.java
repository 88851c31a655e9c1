package dev.vigil.notifier;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.icegreen.greenmail.junit5.GreenMailExtension;
import com.icegreen.greenmail.util.GreenMailUtil;
import dev.vigil.kafka.CloudEventRecords;
import dev.vigil.local.DemoDirectory;
import dev.vigil.model.Alert;
import dev.vigil.notifier.pipeline.AlertOwnership;
import dev.vigil.model.AlertStatus;
import dev.vigil.model.JobKey;
import dev.vigil.model.Rules;
import dev.vigil.model.Severity;
import dev.vigil.model.Source;
import dev.vigil.model.Topics;
import jakarta.mail.Message;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.MimeMessage;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.kafka.core.KafkaTemplate;
import org.springframework.kafka.test.EmbeddedKafkaBroker;
import org.springframework.kafka.test.context.EmbeddedKafka;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * Two notifier instances on one broker, as the Kubernetes manifests run them, with grouping: a burst of 40 failing
 * jobs in four waves reaches every recipient of every job in exactly one mail, counted from the mails the SMTP server
 * received, not from Vigil's own records. Each group's batches are sent by the one instance that owns the group.
 */
@SpringBootTest(properties = {"spring.config.name=notifier", "server.port=0", "management.server.port=0",
        "vigil.notifier.directory.sync-initial-delay=1h", "vigil.notifier.group-check-interval=200ms"})
@EmbeddedKafka(partitions = 3, bootstrapServersProperty = "spring.kafka.bootstrap-servers")
@org.springframework.test.annotation.DirtiesContext // a broker of its own, closed after: the heap holds the other classes' contexts
class TwoNotifiersIntegrationTests {

    @RegisterExtension
    static GreenMailExtension smtp = TestServers.smtp();

    static DemoDirectory directory = TestServers.directory();
    private static ConfigurableApplicationContext second;

    private static final Map<String, String> ROUTE = Map.of(
            "vigil.notifier.receivers[0].name", "owners",
            "vigil.notifier.receivers[0].directory-email", "true",
            "vigil.notifier.route.receiver", "owners",
            "vigil.notifier.route.group-by[0]", "tenant",
            "vigil.notifier.route.group-by[1]", "account",
            "vigil.notifier.route.group-wait", "2s",
            "vigil.notifier.route.group-interval", "3s");

    @DynamicPropertySource
    static void servers(DynamicPropertyRegistry registry) {
        TestServers.register(registry, smtp, directory);
        ROUTE.forEach((key, value) -> registry.add(key, () -> value));
    }

    @AfterAll
    static void stop() {
        if (second != null) {
            second.close();
        }
        directory.close();
    }

    @Autowired
    KafkaTemplate<String, Object> kafka;
    @Autowired
    EmbeddedKafkaBroker broker;
    @Autowired
    AlertOwnership first;

    private void startSecond() {
        List<String> args = new ArrayList<>();
        for (String property : TwoNotifiersIntegrationTests.class.getAnnotation(SpringBootTest.class).properties()) {
            args.add("--" + property);
        }
        ROUTE.forEach((key, value) -> args.add("--" + key + "=" + value));
        args.add("--spring.kafka.bootstrap-servers=" + broker.getBrokersAsString());
        args.add("--spring.mail.port=" + smtp.getSmtp().getPort());
        args.add("--spring.ldap.urls=" + directory.url());
        second = NotifierApplication.application().run(args.toArray(String[]::new));
    }

    @Test
    void aBurstInFourWavesReachesEveryRecipientOfEveryJobExactlyOnce() throws Exception {
        startSecond();
        Thread.sleep(5_000); // both instances in the consumer groups, partitions split between them
        assertThat(List.of(first.leads(), second.getBean(AlertOwnership.class).leads()))
                .as("one instance leads (runs the account sync)").containsExactlyInAnyOrder(true, false);
        List<String> accounts = List.of("3723707", "3723708", "3723709");
        List<Alert> alerts = new ArrayList<>();
        for (int wave = 0; wave < 4; wave++) {
            for (int i = 0; i < 10; i++) {
                String account = accounts.get((wave * 10 + i) % accounts.size());
                Alert alert = alert(account, "burst-w" + wave + "-j" + i);
                alerts.add(alert);
                kafka.send(CloudEventRecords.record(Topics.ALERTS, alert.fingerprint(), alert, alert.eventId(),
                        "dev.vigil.alert.firing", "test", Instant.now(), null)).get();
            }
            Thread.sleep(1_500);
        }

        // every job reaches each of its account's recipients: the first wave's recipients are the accounts' ones
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofSeconds(1))
                .until(() -> alerts.stream().allMatch(a -> !pairs(a.job().job()).isEmpty()));
        Thread.sleep(8_000); // a group-interval and more: any second message would have come
        Map<String, Integer> recipientsOfAccount = new HashMap<>();
        for (Alert alert : alerts) {
            List<String> told = pairs(alert.job().job());
            assertThat(told).as("each recipient of " + alert.job().job() + " told once").doesNotHaveDuplicates();
            recipientsOfAccount.merge(alert.job().account(), told.size(), Math::max);
            assertThat(told.size()).as("recipients of " + alert.job().job())
                    .isEqualTo(recipientsOfAccount.get(alert.job().account()));
        }
    }

    /** The recipients of every mail that names {@code job}, one entry per mail. */
    private static List<String> pairs(String job) {
        List<String> recipients = new ArrayList<>();
        for (MimeMessage mail : smtp.getReceivedMessages()) {
            String body = GreenMailUtil.getBody(mail);
            if (body.contains(job + " ") || body.contains(job + "<") || body.contains(job + "\r")) {
                try {
                    recipients.add(((InternetAddress) mail.getRecipients(Message.RecipientType.TO)[0]).getAddress());
                } catch (jakarta.mail.MessagingException e) {
                    throw new IllegalStateException(e);
                }
            }
        }
        return recipients;
    }

    private static Alert alert(String account, String job) {
        JobKey key = new JobKey("demo", account, job);
        return new Alert(Alert.fingerprint(Rules.FAILED_BACKUP, key), Rules.FAILED_BACKUP, Severity.CRITICAL,
                AlertStatus.FIRING, key, Source.XSIBACKUP, "Backup " + job + " of account " + account + " failed",
                Map.of(), Instant.now(), null, job + "-1");
    }
}
