package dev.vigil.notifier;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.icegreen.greenmail.junit5.GreenMailExtension;
import dev.vigil.kafka.CloudEventRecords;
import dev.vigil.local.DemoDirectory;
import dev.vigil.model.Alert;
import dev.vigil.model.AlertStatus;
import dev.vigil.model.JobKey;
import dev.vigil.model.Rules;
import dev.vigil.model.Severity;
import dev.vigil.model.Source;
import dev.vigil.model.Topics;
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
import org.springframework.kafka.test.context.EmbeddedKafka;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/** repeat_interval: a still firing alert is notified again, once per interval, until it resolves. */
@SpringBootTest(properties = {"spring.config.name=notifier", "server.port=0", "management.server.port=0",
        "vigil.notifier.repeat-interval=3s", "vigil.notifier.reminder-check-interval=500ms",
        "vigil.notifier.directory.sync-initial-delay=1h"})
@EmbeddedKafka(partitions = 1, bootstrapServersProperty = "spring.kafka.bootstrap-servers")
class RemindersIntegrationTests {

    @RegisterExtension
    static GreenMailExtension smtp = TestServers.smtp();

    static DemoDirectory directory = TestServers.directory();

    @DynamicPropertySource
    static void servers(DynamicPropertyRegistry registry) {
        TestServers.register(registry, smtp, directory);
    }

    @AfterAll
    static void stop() {
        directory.close();
    }

    @Autowired
    KafkaTemplate<String, Object> kafka;

    @Test
    void aStillFiringAlertIsRemindedEveryIntervalUntilItResolves() throws Exception {
        JobKey job = new JobKey("demo", "3723707", "nagging");
        Alert firing = new Alert(Alert.fingerprint(Rules.FAILED_BACKUP, job), Rules.FAILED_BACKUP, Severity.CRITICAL,
                AlertStatus.FIRING, job, Source.XSIBACKUP, "Backup nagging of account 3723707 failed", Map.of(),
                Instant.now(), null, "n-1");
        publish(firing);
        await().atMost(Duration.ofSeconds(20)).until(() -> subjects().stream().filter(s -> s.startsWith("[Vigil] Backup")).count() == 2);

        await().atMost(Duration.ofSeconds(20)).until(() -> subjects().stream().filter(s -> s.startsWith("[Vigil] Still: ")).count() >= 2);

        publish(firing.resolve(Instant.now(), "Backup nagging of account 3723707 succeeded again", "n-2"));
        await().atMost(Duration.ofSeconds(20)).until(() -> subjects().stream().filter(s -> s.startsWith("[Vigil] Resolved:")).count() == 2);
        long reminders = subjects().stream().filter(s -> s.startsWith("[Vigil] Still: ")).count();
        Thread.sleep(4_000);
        assertThat(subjects().stream().filter(s -> s.startsWith("[Vigil] Still: ")).count())
                .as("no reminder after the alert resolved").isEqualTo(reminders);
        assertThat(reminders % 2).as("each reminder goes to both recipients").isZero();
    }

    private List<String> subjects() {
        return Arrays.stream(smtp.getReceivedMessages()).map(RemindersIntegrationTests::subject).toList();
    }

    private static String subject(MimeMessage message) {
        try {
            return message.getSubject();
        } catch (Exception e) {
            return "";
        }
    }

    private void publish(Alert alert) throws Exception {
        kafka.send(CloudEventRecords.record(Topics.ALERTS, alert.fingerprint(), alert, alert.eventId(),
                "dev.vigil.alert." + alert.status().name().toLowerCase(), "test", Instant.now(), null)).get();
    }
}
