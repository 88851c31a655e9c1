package dev.vigil.notifier;

import dev.vigil.kafka.InternalTopics;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.icegreen.greenmail.junit5.GreenMailExtension;
import com.icegreen.greenmail.util.GreenMailUtil;
import dev.vigil.kafka.CloudEventRecords;
import dev.vigil.kafka.test.TopicTail;
import dev.vigil.local.DemoDirectory;
import dev.vigil.model.Alert;
import dev.vigil.model.AlertStatus;
import dev.vigil.model.DeliveryRecord;
import dev.vigil.model.DeliveryStatus;
import dev.vigil.model.JobKey;
import dev.vigil.model.Rules;
import dev.vigil.model.Severity;
import dev.vigil.model.Source;
import dev.vigil.model.Topics;
import dev.vigil.notifier.pipeline.GroupEntry;
import jakarta.mail.internet.MimeMessage;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.kafka.core.KafkaTemplate;
import org.springframework.kafka.test.EmbeddedKafkaBroker;
import org.springframework.kafka.test.context.EmbeddedKafka;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * group_by / group_wait / group_interval: alerts of one account that arrive together become one mail per
 * recipient; an alert that joins later comes in the next message, one group-interval after the first.
 */
@SpringBootTest(properties = {"spring.config.name=notifier", "server.port=0", "management.server.port=0",
        "vigil.notifier.directory.sync-initial-delay=1h", "vigil.notifier.group-check-interval=200ms"})
@EmbeddedKafka(partitions = 1, bootstrapServersProperty = "spring.kafka.bootstrap-servers")
class GroupingIntegrationTests {

    @RegisterExtension
    static GreenMailExtension smtp = TestServers.smtp();

    static DemoDirectory directory = TestServers.directory();

    @DynamicPropertySource
    static void servers(DynamicPropertyRegistry registry) {
        TestServers.register(registry, smtp, directory);
        registry.add("vigil.notifier.receivers[0].name", () -> "owners");
        registry.add("vigil.notifier.receivers[0].directory-email", () -> "true");
        registry.add("vigil.notifier.route.receiver", () -> "owners");
        registry.add("vigil.notifier.route.group-by[0]", () -> "tenant");
        registry.add("vigil.notifier.route.group-by[1]", () -> "account");
        registry.add("vigil.notifier.route.group-wait", () -> "3s");
        registry.add("vigil.notifier.route.group-interval", () -> "6s");
    }

    @AfterAll
    static void stop() {
        directory.close();
    }

    @Autowired
    KafkaTemplate<String, Object> kafka;
    @Autowired
    EmbeddedKafkaBroker broker;

    @Test
    void alertsOfOneAccountThatArriveTogetherAreOneMailAndALateOneComesAGroupIntervalLater() throws Exception {
        List<Alert> together = List.of(alert("3723707", "g-web"), alert("3723707", "g-db"), alert("3723707", "g-mail"));
        Alert otherAccount = alert("3723709", "g-other");
        try (TopicTail deliveries = TopicTail.open(broker.getBrokersAsString(), Topics.DELIVERIES);
             TopicTail groups = TopicTail.open(broker.getBrokersAsString(), InternalTopics.NOTIFICATION_GROUPS)) {
            for (Alert alert : together) {
                publish(alert);
            }
            publish(otherAccount);

            await().atMost(Duration.ofSeconds(20)).until(() -> mailsWith("g-web").size() == 2);
            for (MimeMessage mail : mailsWith("g-web")) {
                assertThat(mail.getSubject()).startsWith("[Vigil] 3 backup alerts (3 firing, 0 resolved): Backup ");
                assertThat(GreenMailUtil.getBody(mail)).contains("g-web", "g-db", "g-mail").doesNotContain("g-other");
            }
            // the other account is its own group, mailed to its own recipients
            await().atMost(Duration.ofSeconds(10)).until(() -> !mailsWith("g-other").isEmpty());
            assertThat(mailsWith("g-other")).allSatisfy(m -> assertThat(GreenMailUtil.getBody(m)).doesNotContain("g-web"));

            // every alert's audit shows the one grouped message to each recipient
            List<DeliveryRecord> records = TopicTail.values(deliveries.await(6 + mailsWith("g-other").size(),
                    Topics.DELIVERIES, Duration.ofSeconds(10)), DeliveryRecord.class);
            List<DeliveryRecord> group = records.stream().filter(r -> r.job().account().equals("3723707")).toList();
            assertThat(group).hasSize(6).allSatisfy(r -> assertThat(r.status()).isEqualTo(DeliveryStatus.SENT));
            assertThat(group.stream().map(DeliveryRecord::deliveryId).distinct()).as("one message per recipient").hasSize(2);
            assertThat(group).extracting(DeliveryRecord::fingerprint).containsOnly(
                    together.stream().map(Alert::fingerprint).toArray(String[]::new));

            Alert late = alert("3723707", "g-late");
            publish(late);
            Alert resolved = together.get(0).resolve(Instant.now(), "Backup g-web of account 3723707 succeeded again", "g-web-ok");
            publish(resolved);
            await().atMost(Duration.ofSeconds(20)).until(() -> mailsWith("g-late").size() == 2);
            for (MimeMessage mail : mailsWith("g-late")) {
                assertThat(mail.getSubject()).startsWith("[Vigil] 2 backup alerts (1 firing, 1 resolved):");
                assertThat(GreenMailUtil.getBody(mail)).contains("g-late", "g-web").doesNotContain("g-db");
            }

            // the windows, as recorded with each sent batch: group-wait after the first alert's arrival, then
            // group-interval after the previous window
            List<GroupEntry> account = TopicTail.values(groups.await(2, r -> r.key().contains("3723707")
                    && r.value().contains("flushedWindow\":\"20"), Duration.ofSeconds(10)), GroupEntry.class).stream()
                    .filter(e -> e.group().contains("3723707")).toList();
            List<GroupEntry> members = account.stream().filter(e -> e.alert() != null).toList();
            List<Instant> windows = account.stream().filter(e -> e.alert() == null).map(GroupEntry::flushedWindow)
                    .toList();
            assertThat(members).extracting(e -> e.alert().job().job())
                    .containsExactlyInAnyOrder("g-web", "g-db", "g-mail", "g-late", "g-web");
            assertThat(windows).hasSize(2);
            assertThat(Duration.between(windows.get(0), windows.get(1))).isEqualTo(Duration.ofSeconds(6));
        }
        assertThat(mailsWith("g-db")).as("no mail was sent twice").hasSize(2);
    }

    private void publish(Alert alert) throws Exception {
        kafka.send(CloudEventRecords.record(Topics.ALERTS, alert.fingerprint(), alert, alert.eventId(),
                "dev.vigil.alert." + alert.status().name().toLowerCase(), "test", Instant.now(), null)).get();
    }

    private static List<MimeMessage> mailsWith(String job) {
        return Arrays.stream(smtp.getReceivedMessages()).filter(m -> GreenMailUtil.getBody(m).contains(job + " ")
                || GreenMailUtil.getBody(m).contains(job + "<") || GreenMailUtil.getBody(m).contains(job + "\r")).toList();
    }

    private static Alert alert(String account, String job) {
        JobKey key = new JobKey("demo", account, job);
        return new Alert(Alert.fingerprint(Rules.FAILED_BACKUP, key), Rules.FAILED_BACKUP, Severity.CRITICAL,
                AlertStatus.FIRING, key, Source.XSIBACKUP, "Backup " + job + " of account " + account + " failed",
                Map.of(), Instant.now(), null, job + "-1");
    }
}
