package dev.vigil.load;

import dev.vigil.kafka.CloudEventRecords;
import dev.vigil.kafka.VigilSerdes;
import dev.vigil.local.DemoDirectory;
import dev.vigil.local.LocalKafka;
import dev.vigil.local.MailCatcher;
import dev.vigil.local.WebhookCatcher;
import dev.vigil.model.Alert;
import dev.vigil.model.AlertStatus;
import dev.vigil.model.JobKey;
import dev.vigil.model.Json;
import dev.vigil.model.Rules;
import dev.vigil.model.Severity;
import dev.vigil.model.Source;
import dev.vigil.model.Topics;
import dev.vigil.notifier.NotifierApplication;
import jakarta.mail.Message;
import jakarta.mail.MessagingException;
import jakarta.mail.Multipart;
import jakarta.mail.Part;
import jakarta.mail.Session;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.MimeMessage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.serialization.StringSerializer;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * A mass failure through one or two notifier instances: a storage target fails and {@code --jobs} jobs of account
 * 3723707 fail within {@code --spread} seconds. The account's recipients (its owner and the reseller's support) get
 * grouped mails (the route groups by tenant and account, group-wait 10 s, group-interval 1 m), the ops receiver a
 * Slack digest (chat channels group by default) and grouped webhook calls. Counted from what the SMTP server and the
 * HTTP sink received, not from Vigil's records, it prints the time until every receiver was told of every alert, the
 * messages per receiver and channel, the most messages one target got within a minute, and the closest two Slack
 * messages.
 *
 * <pre>java -Dloader.main=dev.vigil.load.MassFailureBenchmark -jar load-generator/target/load-generator-*-exec.jar
 *     [--jobs 500] [--spread 60] [--instances 2]</pre>
 */
public final class MassFailureBenchmark {

    private static final Pattern JOB = Pattern.compile("mass-\\d{4}");
    private static final Pattern DIGEST = Pattern.compile("(\\d+) backup alerts");

    private MassFailureBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        Harness.quietLogs();
        Map<String, String> options = Harness.options(args);
        int jobs = Integer.parseInt(options.getOrDefault("jobs", "500"));
        int spread = Integer.parseInt(options.getOrDefault("spread", "60"));
        int instances = Integer.parseInt(options.getOrDefault("instances", "2"));

        Path work = Files.createTempDirectory("vigil-mass-failure");
        try (LocalKafka kafka = LocalKafka.start(Harness.freePort(), work.resolve("kafka/data"));
             DemoDirectory directory = DemoDirectory.start(0, DemoDirectory.DEMO_DATA);
             MailCatcher mail = MailCatcher.start(Harness.freePort(), work.resolve("mail"));
             WebhookCatcher webhooks = WebhookCatcher.start(Harness.freePort(), work.resolve("webhooks"))) {
            String bootstrap = kafka.bootstrapServers();
            List<ConfigurableApplicationContext> notifiers = new ArrayList<>();
            for (int i = 0; i < instances; i++) {
                notifiers.add(NotifierApplication.application().run(
                        "--spring.kafka.bootstrap-servers=" + bootstrap,
                        "--spring.ldap.urls=" + directory.url(),
                        "--spring.mail.port=" + mail.port(),
                        "--server.port=0", "--management.server.port=0",
                        "--logging.level.root=warn",
                        "--vigil.notifier.directory.sync-initial-delay=1h",
                        "--vigil.notifier.http.allow-private=true",
                        "--vigil.notifier.group-check-interval=200ms",
                        "--vigil.notifier.receivers[0].name=owners",
                        "--vigil.notifier.receivers[0].directory-email=true",
                        "--vigil.notifier.receivers[1].name=ops",
                        "--vigil.notifier.receivers[1].slack.url=http://127.0.0.1:" + webhooks.port() + "/slack/ops",
                        "--vigil.notifier.receivers[1].webhook.url=http://127.0.0.1:" + webhooks.port() + "/webhook",
                        "--vigil.notifier.receivers[1].webhook.secret=benchmark",
                        "--vigil.notifier.receivers[1].webhook.max-alerts=0",
                        "--vigil.notifier.route.receiver=owners",
                        "--vigil.notifier.route.group-by[0]=tenant",
                        "--vigil.notifier.route.group-by[1]=account",
                        "--vigil.notifier.route.group-wait=10s",
                        "--vigil.notifier.route.group-interval=1m",
                        "--vigil.notifier.route.routes[0].receiver=ops",
                        "--vigil.notifier.route.routes[0].continue-matching=true",
                        "--vigil.notifier.route.routes[1].receiver=owners"));
            }
            Thread.sleep(5_000); // the instances share the partitions out
            System.out.printf("%,d jobs of account 3723707 failing within %d s, %d notifier instance(s)...%n",
                    jobs, spread, instances);

            Set<String> expected = new HashSet<>();
            Instant start = Instant.now();
            try (KafkaProducer<String, Object> producer = new KafkaProducer<>(Map.of(
                    ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap, ProducerConfig.LINGER_MS_CONFIG, 5),
                    new StringSerializer(), VigilSerdes.json(Object.class).serializer())) {
                for (int i = 0; i < jobs; i++) {
                    long due = start.toEpochMilli() + (long) i * spread * 1000 / jobs;
                    long wait = due - System.currentTimeMillis();
                    if (wait > 0) {
                        Thread.sleep(wait);
                    }
                    String name = String.format("mass-%04d", i);
                    expected.add(name);
                    JobKey job = new JobKey("bench", "3723707", name);
                    Alert alert = new Alert(Alert.fingerprint(Rules.FAILED_BACKUP, job), Rules.FAILED_BACKUP,
                            Severity.CRITICAL, AlertStatus.FIRING, job, Source.XSIBACKUP,
                            "Backup " + name + " of account 3723707 failed: datastore unreachable", Map.of(),
                            Instant.now(), null, name + "-1");
                    producer.send(CloudEventRecords.record(Topics.ALERTS, alert.fingerprint(), alert, alert.eventId(),
                            "dev.vigil.alert.firing", "benchmark", Instant.now(), null));
                }
            }
            Instant lastFailure = Instant.now();

            Received received;
            Instant deadline = lastFailure.plus(Duration.ofMinutes(3));
            while (true) {
                received = Received.read(work);
                if (received.allTold(expected, jobs) || Instant.now().isAfter(deadline)) {
                    break;
                }
                Thread.sleep(500);
            }
            Thread.sleep(5_000); // anything more would come now
            Received result = Received.read(work);
            boolean told = result.allTold(expected, jobs);
            Instant lastTold = result.lastMessage;
            System.out.printf("%nevery receiver told of every alert: %s; last message %.1f s after the first failure,"
                            + " %.1f s after the last%n", told ? "yes" : "NO",
                    Duration.between(start, lastTold).toMillis() / 1000.0,
                    Duration.between(lastFailure, lastTold).toMillis() / 1000.0);
            result.messages.forEach((target, count) -> System.out.printf("  %-62s %3d message(s), the first %.1f s after"
                    + " the first failure, at most %d within 60 s%n", target, count,
                    Duration.between(start, result.times.get(target).stream().min(Instant::compareTo).orElseThrow())
                            .toMillis() / 1000.0, result.busiestMinute.get(target)));
            System.out.printf("  Slack: %d alerts counted in its digests; %s%n", result.slackAlerts,
                    result.closestSlack < 0 ? "one Slack message" : "closest two Slack messages " + result.closestSlack
                            + " ms apart");
            int total = result.messages.values().stream().mapToInt(Integer::intValue).sum();
            System.out.printf("  %,d messages for %,d alerts x 4 targets: %.1f alerts told per message%n",
                    total, jobs, jobs * 4.0 / Math.max(1, total));
            notifiers.forEach(ConfigurableApplicationContext::close);
        } finally {
            org.springframework.util.FileSystemUtils.deleteRecursively(work);
        }
    }

    /** What the SMTP server and the HTTP sink kept, by target. */
    private static final class Received {
        final Map<String, Integer> messages = new TreeMap<>();
        final Map<String, Integer> busiestMinute = new TreeMap<>();
        final Map<String, Set<String>> named = new TreeMap<>();
        final Map<String, List<Instant>> times = new TreeMap<>();
        int slackAlerts;
        long closestSlack = -1;
        Instant lastMessage = Instant.EPOCH;

        static Received read(Path work) throws IOException {
            Received received = new Received();
            for (Path file : list(work.resolve("mail"))) {
                try (var in = Files.newInputStream(file)) {
                    MimeMessage message = new MimeMessage(Session.getInstance(new Properties()), in);
                    received.add("mail " + InternetAddress.toString(message.getRecipients(Message.RecipientType.TO)),
                            text(message), Instant.ofEpochMilli(Files.getLastModifiedTime(file).toMillis()));
                } catch (MessagingException e) {
                    throw new IOException("unreadable mail " + file, e);
                }
            }
            for (Path file : list(work.resolve("webhooks"))) {
                @SuppressWarnings("unchecked")
                Map<String, Object> request = Json.read(Files.readAllBytes(file), Map.class);
                String path = String.valueOf(request.get("path"));
                String body = String.valueOf(request.get("body"));
                received.add(path.contains("slack") ? "slack ops" : "webhook ops", body,
                        Instant.parse(String.valueOf(request.get("receivedAt"))));
                if (path.contains("slack")) {
                    Matcher digest = DIGEST.matcher(body);
                    received.slackAlerts += digest.find() ? Integer.parseInt(digest.group(1)) : 1;
                }
            }
            List<Instant> slack = received.times.getOrDefault("slack ops", List.of()).stream().sorted().toList();
            for (int i = 1; i < slack.size(); i++) {
                long gap = Duration.between(slack.get(i - 1), slack.get(i)).toMillis();
                received.closestSlack = received.closestSlack < 0 ? gap : Math.min(received.closestSlack, gap);
            }
            received.times.forEach((target, at) -> {
                List<Instant> sorted = at.stream().sorted().toList();
                int most = 0;
                for (int i = 0, j = 0; i < sorted.size(); i++) {
                    while (Duration.between(sorted.get(j), sorted.get(i)).toSeconds() >= 60) {
                        j++;
                    }
                    most = Math.max(most, i - j + 1);
                }
                received.busiestMinute.put(target, most);
            });
            return received;
        }

        /** Every text part of a mail, decoded. */
        private static String text(Part part) throws MessagingException, IOException {
            Object content = part.getContent();
            if (content instanceof Multipart multipart) {
                StringBuilder text = new StringBuilder();
                for (int i = 0; i < multipart.getCount(); i++) {
                    text.append(text(multipart.getBodyPart(i))).append('\n');
                }
                return text.toString();
            }
            return content instanceof String string ? string : "";
        }

        private void add(String target, String text, Instant at) {
            messages.merge(target, 1, Integer::sum);
            times.computeIfAbsent(target, t -> new ArrayList<>()).add(at);
            Matcher job = JOB.matcher(text);
            Set<String> jobs = named.computeIfAbsent(target, t -> new HashSet<>());
            while (job.find()) {
                jobs.add(job.group());
            }
            if (at.isAfter(lastMessage)) {
                lastMessage = at;
            }
        }

        /** Two mail recipients and the webhook name every job; Slack's digests count them all (40 named each). */
        boolean allTold(Set<String> expected, int jobs) {
            long mailTargets = named.entrySet().stream()
                    .filter(e -> e.getKey().startsWith("mail") && e.getValue().containsAll(expected)).count();
            return mailTargets >= 2 && named.getOrDefault("webhook ops", Set.of()).containsAll(expected)
                    && slackAlerts >= jobs;
        }

        private static List<Path> list(Path folder) throws IOException {
            if (!Files.isDirectory(folder)) {
                return List.of();
            }
            try (Stream<Path> files = Files.list(folder)) {
                return files.filter(Files::isRegularFile).toList();
            }
        }
    }
}
