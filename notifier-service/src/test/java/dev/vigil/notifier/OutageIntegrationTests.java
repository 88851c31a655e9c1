package dev.vigil.notifier;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.ServerSetup;
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
import java.io.IOException;
import java.net.ServerSocket;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.kafka.core.KafkaTemplate;
import org.springframework.kafka.test.EmbeddedKafkaBroker;
import org.springframework.kafka.test.context.EmbeddedKafka;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/** The directory down, then the SMTP server down: notifications wait and go out once each is back. */
@SpringBootTest(properties = {"spring.config.name=notifier", "server.port=0", "management.server.port=0",
        "vigil.notifier.delivery.initial-delay=300", "vigil.notifier.delivery.multiplier=2",
        "vigil.notifier.delivery.max-delay=1500", "vigil.notifier.directory.sync-initial-delay=1h",
        "vigil.notifier.directory.cache-ttl=0s", "vigil.kafka.retry.max-interval=1s"})
@EmbeddedKafka(partitions = 1, bootstrapServersProperty = "spring.kafka.bootstrap-servers")
class OutageIntegrationTests {

    static final int SMTP_PORT = freePort();
    static GreenMail smtp = startSmtp();
    static DemoDirectory directory = DemoDirectory.start(0, DemoDirectory.DEMO_DATA);

    @DynamicPropertySource
    static void servers(DynamicPropertyRegistry registry) {
        registry.add("spring.mail.port", () -> SMTP_PORT);
        registry.add("spring.ldap.urls", directory::url);
    }

    @AfterAll
    static void stop() {
        smtp.stop();
        directory.close();
    }

    @Autowired
    KafkaTemplate<String, Object> kafka;
    @Autowired
    EmbeddedKafkaBroker broker;

    @Test
    void whileTheDirectoryIsDownTheAlertWaitsAndIsMailedWhenItIsBack() throws Exception {
        directory.server().shutDown("ldap", true);
        publish(alert("3723707", "outage-ldap"));
        Thread.sleep(6_000); // several back-offs: far beyond the shared handler's give-up point for other failures
        assertThat(mailsFor("outage-ldap")).isZero();

        directory.server().startListening("ldap");
        await().atMost(Duration.ofSeconds(90)).until(() -> mailsFor("outage-ldap") == 2);
    }

    @Test
    void whileSmtpIsDownDeliveriesAreRetriedAndNothingIsLost() throws Exception {
        smtp.stop();
        try (TopicTail deliveries = TopicTail.open(broker.getBrokersAsString(), Topics.DELIVERIES)) {
            publish(alert("3723707", "outage-smtp"));
            deliveries.await(2, r -> r.value().contains("\"RETRYING\""), Duration.ofSeconds(30));
            smtp = startSmtp();
            await().atMost(Duration.ofSeconds(60)).until(() -> mailsFor("outage-smtp") == 2);
            assertThat(TopicTail.values(deliveries.settle(Duration.ofSeconds(1)), DeliveryRecord.class))
                    .extracting(DeliveryRecord::status).contains(DeliveryStatus.RETRYING, DeliveryStatus.SENT)
                    .doesNotContain(DeliveryStatus.FAILED);
        }
    }

    private long mailsFor(String job) {
        return java.util.Arrays.stream(smtp.getReceivedMessages()).filter(m -> {
            try {
                return m.getSubject().contains(job);
            } catch (Exception e) {
                return false;
            }
        }).count();
    }

    private void publish(Alert alert) throws Exception {
        kafka.send(CloudEventRecords.record(Topics.ALERTS, alert.fingerprint(), alert, alert.eventId(),
                "dev.vigil.alert.firing", "test", Instant.now(), null)).get();
    }

    private static Alert alert(String account, String job) {
        JobKey key = new JobKey("demo", account, job);
        return new Alert(Alert.fingerprint(Rules.FAILED_BACKUP, key), Rules.FAILED_BACKUP, Severity.CRITICAL,
                AlertStatus.FIRING, key, Source.XSIBACKUP, "Backup " + job + " of account " + account + " failed",
                Map.of(), Instant.now(), null, job);
    }

    private static GreenMail startSmtp() {
        GreenMail greenMail = new GreenMail(new ServerSetup(SMTP_PORT, "127.0.0.1", ServerSetup.PROTOCOL_SMTP));
        greenMail.start();
        return greenMail;
    }

    private static int freePort() {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
