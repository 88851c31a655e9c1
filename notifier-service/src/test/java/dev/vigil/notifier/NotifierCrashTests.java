package dev.vigil.notifier;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.icegreen.greenmail.configuration.GreenMailConfiguration;
import com.icegreen.greenmail.junit5.GreenMailExtension;
import com.icegreen.greenmail.util.ServerSetupTest;
import dev.vigil.kafka.CloudEventRecords;
import dev.vigil.local.DemoDirectory;
import dev.vigil.model.Alert;
import dev.vigil.model.AlertStatus;
import dev.vigil.model.JobKey;
import dev.vigil.model.Json;
import dev.vigil.model.Rules;
import dev.vigil.model.Severity;
import dev.vigil.model.Source;
import dev.vigil.model.Topics;
import jakarta.mail.MessagingException;
import jakarta.mail.internet.MimeMessage;
import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.springframework.kafka.core.DefaultKafkaProducerFactory;
import org.springframework.kafka.core.KafkaTemplate;
import org.springframework.kafka.support.serializer.JacksonJsonSerializer;
import org.springframework.kafka.test.EmbeddedKafkaKraftBroker;

/**
 * The notifier killed with SIGKILL in the middle of sending a few hundred mails, then started again: every mail
 * arrives, and none twice — except, at most, a mail whose SMTP transaction had completed in the instant before
 * the kill and whose outcome was not yet on {@code backup.deliveries} (one per delivery thread); such a mail
 * carries the same {@code X-Vigil-Delivery-Id}, so a receiver can tell. The notifier runs in its own JVM, so the kill is real.
 */
class NotifierCrashTests {

    private static final int ALERTS = 150;
    private static final int PARTITIONS = 3;

    @RegisterExtension
    static GreenMailExtension smtp = new GreenMailExtension(ServerSetupTest.SMTP.dynamicPort())
            .withConfiguration(GreenMailConfiguration.aConfig()).withPerMethodLifecycle(false);

    static DemoDirectory directory;
    static EmbeddedKafkaKraftBroker broker;

    @BeforeAll
    static void start() {
        directory = DemoDirectory.start(0, DemoDirectory.DEMO_DATA);
        broker = new EmbeddedKafkaKraftBroker(1, PARTITIONS);
        broker.afterPropertiesSet();
    }

    @AfterAll
    static void stop() {
        broker.destroy();
        directory.close();
    }

    @Test
    void killedMidDeliveryAndRestartedItLosesNothingAndSendsNothingTwice() throws Exception {
        Process first = notifier("first");
        Process second = null;
        try {
            publishAlerts();
            int expected = ALERTS * 2; // account 3723707 names two recipients
            await().atMost(Duration.ofSeconds(120)).until(() -> smtp.getReceivedMessages().length >= 40);
            first.destroyForcibly().waitFor();
            int atKill = smtp.getReceivedMessages().length;
            assertThat(atKill).as("killed in the middle of the deliveries").isLessThan(expected);

            second = notifier("second");
            await().atMost(Duration.ofSeconds(120)).until(() -> deliveryIds().stream().distinct().count() == expected);
            Thread.sleep(3_000); // anything sent twice would arrive now

            Map<String, Long> counts = deliveryIds().stream()
                    .collect(Collectors.groupingBy(Function.identity(), Collectors.counting()));
            assertThat(counts).hasSize(expected);
            // one delivery thread per partition of backup.notifications: at most one mail in flight on each
            assertThat(counts.values().stream().filter(c -> c > 1).count())
                    .as("at most the mails in flight at the kill went twice").isLessThanOrEqualTo(PARTITIONS);
            assertThat(counts.values()).allSatisfy(c -> assertThat(c).isLessThanOrEqualTo(2));
            assertThat(Arrays.stream(smtp.getReceivedMessages()).map(m -> header(m, "Message-ID")).distinct().count())
                    .as("a copy carries the Message-ID of its first, so mail systems drop it").isEqualTo(expected);
            System.out.printf("crash test: %d of %d mails sent before the kill, %d sent twice%n", atKill, expected,
                    counts.values().stream().filter(c -> c > 1).count());
        } finally {
            first.destroyForcibly();
            if (second != null) {
                second.destroy();
                second.waitFor();
            }
        }
    }

    private void publishAlerts() throws Exception {
        Map<String, Object> config = Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.getBrokersAsString());
        KafkaTemplate<String, Object> kafka = new KafkaTemplate<>(new DefaultKafkaProducerFactory<>(config,
                new StringSerializer(), new JacksonJsonSerializer<>(Json.mapper())));
        List<java.util.concurrent.CompletableFuture<?>> sends = new ArrayList<>();
        for (int i = 0; i < ALERTS; i++) {
            JobKey job = new JobKey("demo", "3723707", "crash-" + i);
            Alert alert = new Alert(Alert.fingerprint(Rules.FAILED_BACKUP, job), Rules.FAILED_BACKUP,
                    Severity.CRITICAL, AlertStatus.FIRING, job, Source.XSIBACKUP, "Backup crash-" + i + " failed",
                    Map.of(), Instant.now(), null, "crash-" + i);
            sends.add(kafka.send(CloudEventRecords.record(Topics.ALERTS, alert.fingerprint(), alert, alert.eventId(),
                    "dev.vigil.alert.firing", "test", Instant.now(), null)));
        }
        for (var send : sends) {
            send.get();
        }
        kafka.destroy();
    }

    private static List<String> deliveryIds() {
        return Arrays.stream(smtp.getReceivedMessages()).map(NotifierCrashTests::deliveryId).toList();
    }

    private static String deliveryId(MimeMessage message) {
        return header(message, "X-Vigil-Delivery-Id");
    }

    private static String header(MimeMessage message, String name) {
        try {
            return message.getHeader(name, null);
        } catch (MessagingException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The notifier's own main class in a JVM of its own, on the test's class path. */
    private static Process notifier(String name) throws Exception {
        Path log = Files.createDirectories(Path.of("target", "crash-test")).resolve(name + ".log");
        String java = ProcessHandle.current().info().command().orElse("java");
        return new ProcessBuilder(java, "-XX:TieredStopAtLevel=1", "-Xmx512m",
                "-cp", System.getProperty("java.class.path"), NotifierApplication.class.getName(),
                "--spring.kafka.bootstrap-servers=" + broker.getBrokersAsString(),
                "--spring.mail.port=" + smtp.getSmtp().getPort(),
                "--spring.ldap.urls=" + directory.url(),
                "--server.port=0", "--management.server.port=0",
                "--vigil.notifier.directory.sync-initial-delay=1h")
                .redirectErrorStream(true).redirectOutput(log.toFile())
                .directory(new File(".")).start();
    }
}
