package dev.vigil.load;

import dev.vigil.kafka.CloudEventRecords;
import dev.vigil.kafka.VigilSerdes;
import dev.vigil.local.DemoDirectory;
import dev.vigil.local.LocalKafka;
import dev.vigil.local.MailCatcher;
import dev.vigil.local.WebhookCatcher;
import dev.vigil.model.Alert;
import dev.vigil.model.AlertStatus;
import dev.vigil.model.DeliveryRecord;
import dev.vigil.model.DeliveryStatus;
import dev.vigil.model.JobKey;
import dev.vigil.model.Json;
import dev.vigil.model.Rules;
import dev.vigil.model.Severity;
import dev.vigil.model.Source;
import dev.vigil.model.Topics;
import dev.vigil.notifier.NotifierApplication;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.HdrHistogram.Histogram;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * The notifier's pipeline under load: a real broker, the demo directory, an SMTP server and a webhook sink, all
 * started in this JVM with one notifier. Alerts for an account whose directory entry names two recipients are
 * written to {@code backup.alerts} at a fixed rate (or all at once), and every alert becomes two mails and one
 * signed webhook. Prints notifications/s and the alert → delivered latency percentiles, from the SENT records on
 * {@code backup.deliveries}.
 *
 * <pre>java -Dloader.main=dev.vigil.load.NotifierBenchmark -jar load-generator/target/load-generator-*-exec.jar
 *     [--alerts 3000] [--rate 100]    (rate 0: the whole backlog at once)</pre>
 */
public final class NotifierBenchmark {

    private static final int PER_ALERT = 3; // two mails (the directory's recipients of 3723707) and a webhook

    private NotifierBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        Harness.quietLogs();
        Map<String, String> options = Harness.options(args);
        int alerts = Integer.parseInt(options.getOrDefault("alerts", "3000"));
        int rate = Integer.parseInt(options.getOrDefault("rate", "100"));

        Path work = Files.createTempDirectory("vigil-notifier-benchmark");
        try (LocalKafka kafka = LocalKafka.start(Harness.freePort(), work.resolve("kafka/data"));
             DemoDirectory directory = DemoDirectory.start(0, DemoDirectory.DEMO_DATA);
             MailCatcher mail = MailCatcher.start(Harness.freePort(), work.resolve("mail"));
             WebhookCatcher webhooks = WebhookCatcher.start(Harness.freePort(), work.resolve("webhooks"))) {
            String bootstrap = kafka.bootstrapServers();
            ConfigurableApplicationContext notifier = NotifierApplication.application().run(
                    "--spring.kafka.bootstrap-servers=" + bootstrap,
                    "--spring.ldap.urls=" + directory.url(),
                    "--spring.mail.port=" + mail.port(),
                    "--server.port=0", "--management.server.port=0",
                    "--logging.level.root=warn",
                    "--vigil.notifier.directory.sync-initial-delay=1h",
                    "--vigil.notifier.http.allow-private=true",
                    "--vigil.notifier.receivers[0].name=owners",
                    "--vigil.notifier.receivers[0].directory-email=true",
                    "--vigil.notifier.receivers[1].name=hooks",
                    "--vigil.notifier.receivers[1].webhook.url=http://127.0.0.1:" + webhooks.port() + "/webhook",
                    "--vigil.notifier.receivers[1].webhook.secret=benchmark",
                    "--vigil.notifier.route.receiver=owners",
                    "--vigil.notifier.route.routes[0].receiver=owners",
                    "--vigil.notifier.route.routes[0].continue-matching=true",
                    "--vigil.notifier.route.routes[1].receiver=hooks");
            try (KafkaProducer<String, Object> producer = new KafkaProducer<>(Map.of(
                    ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap, ProducerConfig.LINGER_MS_CONFIG, 5),
                    new StringSerializer(), VigilSerdes.json(Object.class).serializer());
                 KafkaConsumer<String, byte[]> deliveries = new KafkaConsumer<>(Map.of(
                    ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
                    ConsumerConfig.GROUP_ID_CONFIG, "benchmark-" + UUID.randomUUID(),
                    ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest"),
                    new StringDeserializer(), new ByteArrayDeserializer())) {
                deliveries.subscribe(List.of(Topics.DELIVERIES));
                System.out.printf("%,d alerts at %s, %d notifications each...%n", alerts,
                        rate > 0 ? rate + " alerts/s" : "once", PER_ALERT);
                long start = System.nanoTime();
                Histogram latency = new Histogram(3_600_000L, 3);
                Histogram warmupLatency = new Histogram(3_600_000L, 3);
                int warmup = alerts / 5; // the first fifth warms the JIT and the connections up
                int expected = alerts * PER_ALERT;
                int sent = 0;
                int written = 0;
                long lastReport = start;
                while (sent < expected) {
                    long elapsed = System.nanoTime() - start;
                    int due = rate > 0 ? (int) Math.min(alerts, elapsed * rate / 1_000_000_000L) : alerts;
                    for (; written < due; written++) {
                        Alert alert = alert(written);
                        producer.send(CloudEventRecords.record(Topics.ALERTS, alert.fingerprint(), alert,
                                alert.eventId(), "dev.vigil.alert.firing", "benchmark", Instant.now(), null));
                    }
                    for (ConsumerRecord<String, byte[]> record : deliveries.poll(Duration.ofMillis(rate > 0 ? 20 : 200))) {
                        DeliveryRecord delivery = Json.read(record.value(), DeliveryRecord.class);
                        if (delivery.status() == DeliveryStatus.SENT && delivery.job().tenant().equals("bench")) {
                            sent++;
                            String[] job = delivery.job().job().split("@");
                            long millis = Math.max(0, Duration.between(Instant.ofEpochMilli(Long.parseLong(job[1])),
                                    delivery.at()).toMillis());
                            (Integer.parseInt(job[0].substring(3)) < warmup ? warmupLatency : latency).recordValue(millis);
                        }
                    }
                    if (System.nanoTime() - lastReport > 5_000_000_000L) {
                        lastReport = System.nanoTime();
                        System.out.printf("  %,d of %,d notifications sent%n", sent, expected);
                    }
                }
                double seconds = (System.nanoTime() - start) / 1e9;
                System.out.printf("%n%,d notifications (%,d mails to SMTP, %,d signed webhooks) for %,d alerts in %.1f s:"
                        + " %,.0f notifications/s, one notifier%n", sent, alerts * 2, alerts, alerts, seconds,
                        sent / seconds);
                System.out.printf("alert -> delivered, after the first %,d alerts: p50 %d ms, p95 %d ms, p99 %d ms, max %d ms"
                        + "%n  (the first %,d: p50 %d ms, p99 %d ms)%n", warmup,
                        latency.getValueAtPercentile(50), latency.getValueAtPercentile(95),
                        latency.getValueAtPercentile(99), latency.getMaxValue(), warmup,
                        warmupLatency.getValueAtPercentile(50), warmupLatency.getValueAtPercentile(99));
            } finally {
                notifier.close();
            }
        }
    }

    /** A failed backup of its own job; the job's name carries the alert's start (epoch millis) for the latency. */
    private static Alert alert(int i) {
        Instant now = Instant.now();
        JobKey job = new JobKey("bench", "3723707", "vm-" + i + "@" + now.toEpochMilli());
        return new Alert(Alert.fingerprint(Rules.FAILED_BACKUP, job), Rules.FAILED_BACKUP, Severity.CRITICAL,
                AlertStatus.FIRING, job, Source.XSIBACKUP, "Backup vm-" + i + " of account 3723707 failed", Map.of(),
                now, null, "bench-" + i);
    }
}
