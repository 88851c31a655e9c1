package dev.vigil.notifier;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.github.tomakehurst.wiremock.junit5.WireMockExtension;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import com.icegreen.greenmail.junit5.GreenMailExtension;
import com.icegreen.greenmail.util.GreenMailUtil;
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
import jakarta.mail.Address;
import jakarta.mail.MessagingException;
import jakarta.mail.internet.MimeMessage;
import java.io.File;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
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
 * Two notifiers, each in its own JVM, on one broker with the demo directory, an SMTP server and a Slack and webhook
 * stub: 300 failing jobs in four waves, one notifier killed with SIGKILL in the middle and started again. Counted
 * from what the servers received, by delivery id ({@code X-Vigil-Delivery-Id} on every mail and request):
 * <ul>
 *   <li>every mail (two recipients per alert) and every webhook request (one per alert) arrives; a copy only of
 *       what was in flight at the kill (at most one per partition), carrying the same id and Message-ID;</li>
 *   <li>Slack gets digests that together count every alert exactly once, never two messages to the one webhook
 *       within a second, whichever instance sent them.</li>
 * </ul>
 */
class TwoNotifiersCrashTests {

    private static final int WAVES = 4;
    private static final int PER_WAVE = 75;
    private static final int ALERTS = WAVES * PER_WAVE;
    private static final int PARTITIONS = 3;

    @RegisterExtension
    static GreenMailExtension smtp = TestServers.smtp();

    @RegisterExtension
    static WireMockExtension hooks = WireMockExtension.newInstance()
            .options(wireMockConfig().dynamicPort().http2PlainDisabled(true).containerThreads(20)).build();

    static DemoDirectory directory;
    static EmbeddedKafkaKraftBroker broker;

    @BeforeAll
    static void start() {
        directory = TestServers.directory();
        broker = new EmbeddedKafkaKraftBroker(1, PARTITIONS);
        broker.afterPropertiesSet();
    }

    @AfterAll
    static void stop() {
        broker.destroy();
        directory.close();
    }

    @Test
    void oneKilledAndRestartedAmongTwoEveryNotificationArrivesAndNoneTwice() throws Exception {
        hooks.stubFor(post(urlEqualTo("/slack/ops")).willReturn(aResponse().withStatus(200).withBody("ok")));
        hooks.stubFor(post(urlEqualTo("/webhook")).willReturn(aResponse().withStatus(200)));
        int[] ports = {freePort(), freePort(), freePort()};
        Process a = notifier("a", ports[0]);
        Process b = notifier("b", ports[1]);
        Process again = null;
        try {
            awaitReady(ports[0]);
            awaitReady(ports[1]);
            int mailsExpected = ALERTS * 2; // account 3723707 names two recipients
            for (int wave = 0; wave < WAVES; wave++) {
                publish(wave);
                Thread.sleep(1_500);
            }
            await().atMost(Duration.ofSeconds(120)).until(() -> smtp.getReceivedMessages().length >= mailsExpected / 4);
            a.destroyForcibly().waitFor(); // SIGKILL
            int atKill = smtp.getReceivedMessages().length;
            assertThat(atKill).as("killed in the middle of the deliveries").isLessThan(mailsExpected);
            again = notifier("a-again", ports[2]);

            await().atMost(Duration.ofSeconds(180)).pollInterval(Duration.ofSeconds(1)).until(() ->
                    mailsById().size() == mailsExpected && requestsById("/webhook").size() == ALERTS
                            && slackAlertsCounted() >= ALERTS);
            Thread.sleep(5_000); // anything sent twice would arrive now

            // mail: every (recipient, job) once by delivery id; copies only of mails in flight at the kill
            Map<String, List<MimeMessage>> mails = mailsById();
            assertThat(mails).hasSize(mailsExpected);
            long mailCopies = mails.values().stream().filter(m -> m.size() > 1).count();
            assertThat(mailCopies).as("mails in flight at the kill, one per partition at most").isLessThanOrEqualTo(PARTITIONS);
            assertThat(Arrays.stream(smtp.getReceivedMessages()).map(m -> header(m, "Message-ID")).distinct().count())
                    .as("a copy carries its first's Message-ID").isEqualTo(mailsExpected);
            Map<String, Long> perRecipientAndJob = mails.values().stream().map(copies -> copies.get(0))
                    .collect(Collectors.groupingBy(m -> recipient(m) + " " + job(GreenMailUtil.getBody(m)),
                            Collectors.counting()));
            assertThat(perRecipientAndJob).hasSize(mailsExpected).allSatisfy((key, count) -> assertThat(count).isOne());

            // webhook: one request per alert
            Map<String, List<LoggedRequest>> webhooks = requestsById("/webhook");
            assertThat(webhooks).hasSize(ALERTS);
            assertThat(webhooks.values().stream().filter(r -> r.size() > 1).count()).isLessThanOrEqualTo(PARTITIONS);
            assertThat(webhooks.values().stream().map(r -> job(r.get(0).getBodyAsString())).distinct().count())
                    .isEqualTo(ALERTS);

            // Slack: digests counting every alert once; one message per second per webhook across both instances
            assertThat(slackAlertsCounted()).isEqualTo(ALERTS);
            List<Instant> slackTimes = hooks.findAll(postRequestedFor(urlEqualTo("/slack/ops"))).stream()
                    .map(r -> r.getLoggedDate().toInstant()).sorted().toList();
            for (int i = 1; i < slackTimes.size(); i++) {
                assertThat(Duration.between(slackTimes.get(i - 1), slackTimes.get(i)))
                        .as("Slack pace between messages %d and %d", i - 1, i).isGreaterThanOrEqualTo(Duration.ofMillis(900));
            }
            System.out.printf("two notifiers, one killed: %d of %d mails before the kill, %d mails and %d webhook "
                            + "requests sent twice, %d Slack messages for %d alerts%n", atKill, mailsExpected, mailCopies,
                    webhooks.values().stream().filter(r -> r.size() > 1).count(), slackTimes.size(), ALERTS);
        } finally {
            a.destroyForcibly();
            for (Process process : new Process[] {b, again}) {
                if (process != null) {
                    process.destroy();
                    process.waitFor();
                }
            }
        }
    }

    private static final Pattern JOB = Pattern.compile("twin-\\d{3}");
    private static final Pattern DIGEST = Pattern.compile("^(\\d+) backup alerts");

    private static String job(String text) {
        Matcher matcher = JOB.matcher(text);
        return matcher.find() ? matcher.group() : "?";
    }

    /** The alerts the distinct Slack messages count: a digest says how many, a single alert is one. */
    private static int slackAlertsCounted() {
        int counted = 0;
        for (List<LoggedRequest> copies : requestsById("/slack/ops").values()) {
            String text = String.valueOf(Json.read(copies.get(0).getBody(), Map.class).get("text"));
            Matcher digest = DIGEST.matcher(text);
            counted += digest.find() ? Integer.parseInt(digest.group(1)) : 1;
        }
        return counted;
    }

    private static Map<String, List<LoggedRequest>> requestsById(String path) {
        return hooks.findAll(postRequestedFor(urlEqualTo(path))).stream().collect(Collectors.groupingBy(
                r -> String.valueOf(r.getHeader("X-Vigil-Delivery-Id")), LinkedHashMap::new, Collectors.toList()));
    }

    private static Map<String, List<MimeMessage>> mailsById() {
        return Arrays.stream(smtp.getReceivedMessages()).collect(Collectors.groupingBy(
                m -> String.valueOf(header(m, "X-Vigil-Delivery-Id")), HashMap::new, Collectors.toList()));
    }

    private static String recipient(MimeMessage message) {
        try {
            Address[] to = message.getRecipients(MimeMessage.RecipientType.TO);
            return to == null ? "?" : Arrays.stream(to).map(Address::toString).sorted().collect(Collectors.joining(","));
        } catch (MessagingException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String header(MimeMessage message, String name) {
        try {
            return message.getHeader(name, null);
        } catch (MessagingException e) {
            throw new IllegalStateException(e);
        }
    }

    private void publish(int wave) throws Exception {
        Map<String, Object> config = Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.getBrokersAsString());
        KafkaTemplate<String, Object> kafka = new KafkaTemplate<>(new DefaultKafkaProducerFactory<>(config,
                new StringSerializer(), new JacksonJsonSerializer<>(Json.mapper())));
        List<CompletableFuture<?>> sends = new ArrayList<>();
        for (int i = wave * PER_WAVE; i < (wave + 1) * PER_WAVE; i++) {
            String name = String.format("twin-%03d", i);
            JobKey job = new JobKey("demo", "3723707", name);
            Alert alert = new Alert(Alert.fingerprint(Rules.FAILED_BACKUP, job), Rules.FAILED_BACKUP,
                    Severity.CRITICAL, AlertStatus.FIRING, job, Source.XSIBACKUP, "Backup " + name + " failed",
                    Map.of(), Instant.now(), null, name + "-1");
            sends.add(kafka.send(CloudEventRecords.record(Topics.ALERTS, alert.fingerprint(), alert, alert.eventId(),
                    "dev.vigil.alert.firing", "test", Instant.now(), null)));
        }
        for (CompletableFuture<?> send : sends) {
            send.get();
        }
        kafka.destroy();
    }

    private static int freePort() throws Exception {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    private static void awaitReady(int managementPort) {
        HttpClient client = HttpClient.newHttpClient();
        await().atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofMillis(500)).ignoreExceptions().until(() ->
                client.send(HttpRequest.newBuilder(URI.create("http://localhost:" + managementPort
                        + "/actuator/health/readiness")).build(), HttpResponse.BodyHandlers.discarding()).statusCode() == 200);
    }

    /** A notifier in a JVM of its own (so the kill is real), on the test's class path. */
    private static Process notifier(String name, int managementPort) throws Exception {
        Path log = Files.createDirectories(Path.of("target", "two-notifiers")).resolve(name + ".log");
        String java = ProcessHandle.current().info().command().orElse("java");
        List<String> command = new ArrayList<>(List.of(java, "-XX:TieredStopAtLevel=1", "-Xmx384m",
                "-cp", System.getProperty("java.class.path"), NotifierApplication.class.getName(),
                "--spring.kafka.bootstrap-servers=" + broker.getBrokersAsString(),
                "--spring.mail.port=" + smtp.getSmtp().getPort(),
                "--spring.ldap.urls=" + directory.url(),
                "--server.port=0", "--management.server.port=" + managementPort,
                // the killed instance's partitions move to the other after 10 s, not Kafka's default 45 s
                "--spring.kafka.consumer.properties.session.timeout.ms=10000",
                "--vigil.notifier.directory.sync-initial-delay=1h",
                "--vigil.notifier.group-check-interval=200ms",
                "--vigil.notifier.chat-grouping.group-wait=2s",
                "--vigil.notifier.chat-grouping.group-interval=10s",
                "--vigil.notifier.http.allow-private=true",
                "--vigil.notifier.receivers[0].name=owners",
                "--vigil.notifier.receivers[0].directory-email=true",
                "--vigil.notifier.receivers[1].name=ops",
                "--vigil.notifier.receivers[1].slack.url=" + hooks.baseUrl() + "/slack/ops",
                "--vigil.notifier.receivers[1].webhook.url=" + hooks.baseUrl() + "/webhook",
                "--vigil.notifier.receivers[1].webhook.secret=test",
                "--vigil.notifier.route.receiver=owners",
                "--vigil.notifier.route.routes[0].receiver=ops",
                "--vigil.notifier.route.routes[0].continue-matching=true",
                "--vigil.notifier.route.routes[1].receiver=owners"));
        return new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile())
                .directory(new File(".")).start();
    }

}
