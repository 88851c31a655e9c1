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
import dev.vigil.model.Rules;
import dev.vigil.model.Severity;
import dev.vigil.model.Source;
import dev.vigil.model.Topics;
import jakarta.mail.internet.MimeMessage;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.kafka.core.KafkaTemplate;
import org.springframework.kafka.test.context.EmbeddedKafka;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * A storage target fails and 500 jobs of one account fail within seconds: an incident, not a flood. The account's
 * recipients get one mail each naming all 500 (the route groups by account), the ops team's Slack one digest (chat
 * channels group by default) with "N more not shown", and everyone is told within 60 s. Counted from the SMTP server
 * and the Slack stub, not from Vigil's records.
 */
@SpringBootTest(properties = {"spring.config.name=notifier", "server.port=0", "management.server.port=0",
        "vigil.notifier.directory.sync-initial-delay=1h", "vigil.notifier.group-check-interval=200ms",
        "vigil.notifier.chat-grouping.group-wait=10s", "vigil.notifier.chat-grouping.group-interval=1m",
        "vigil.notifier.http.allow-private=true"})
@EmbeddedKafka(partitions = 1, bootstrapServersProperty = "spring.kafka.bootstrap-servers")
@org.springframework.test.annotation.DirtiesContext // a broker of its own, closed after: the heap holds the other classes' contexts
class MassFailureIntegrationTests {

    private static final int JOBS = 500;

    @RegisterExtension
    static GreenMailExtension smtp = TestServers.smtp();

    @RegisterExtension
    static WireMockExtension slack = WireMockExtension.newInstance()
            .options(wireMockConfig().dynamicPort().http2PlainDisabled(true)).build();

    static DemoDirectory directory = TestServers.directory();

    @DynamicPropertySource
    static void servers(DynamicPropertyRegistry registry) {
        TestServers.register(registry, smtp, directory);
        registry.add("vigil.notifier.receivers[0].name", () -> "owners");
        registry.add("vigil.notifier.receivers[0].directory-email", () -> "true");
        registry.add("vigil.notifier.receivers[1].name", () -> "ops");
        registry.add("vigil.notifier.receivers[1].slack.url", () -> slack.baseUrl() + "/slack/ops");
        registry.add("vigil.notifier.route.receiver", () -> "owners");
        registry.add("vigil.notifier.route.group-by[0]", () -> "tenant");
        registry.add("vigil.notifier.route.group-by[1]", () -> "account");
        registry.add("vigil.notifier.route.group-wait", () -> "10s");
        registry.add("vigil.notifier.route.group-interval", () -> "1m");
        registry.add("vigil.notifier.route.routes[0].receiver", () -> "ops");
        registry.add("vigil.notifier.route.routes[0].group-wait", () -> "0s");
        registry.add("vigil.notifier.route.routes[0].continue-matching", () -> "true");
        registry.add("vigil.notifier.route.routes[1].receiver", () -> "owners");
    }

    @AfterAll
    static void stop() {
        directory.close();
    }

    @Autowired
    KafkaTemplate<String, Object> kafka;

    @Test
    void fiveHundredFailuresOfOneAccountAreOneMailPerRecipientAndOneSlackDigest() throws Exception {
        slack.stubFor(post(urlEqualTo("/slack/ops")).willReturn(aResponse().withStatus(200).withBody("ok")));
        Instant start = Instant.now();
        List<CompletableFuture<?>> sends = new ArrayList<>();
        List<String> jobs = new ArrayList<>();
        for (int i = 0; i < JOBS; i++) {
            String job = String.format("vm-%03d", i);
            jobs.add(job);
            JobKey key = new JobKey("demo", "3723707", job);
            Alert alert = new Alert(Alert.fingerprint(Rules.FAILED_BACKUP, key), Rules.FAILED_BACKUP,
                    Severity.CRITICAL, AlertStatus.FIRING, key, Source.XSIBACKUP,
                    "Backup " + job + " of account 3723707 failed: datastore unreachable", Map.of(), Instant.now(),
                    null, job + "-1");
            sends.add(kafka.send(CloudEventRecords.record(Topics.ALERTS, alert.fingerprint(), alert, alert.eventId(),
                    "dev.vigil.alert.firing", "test", Instant.now(), null)));
        }
        CompletableFuture.allOf(sends.toArray(CompletableFuture[]::new)).get(30, TimeUnit.SECONDS);

        // the account's two recipients (owner, reseller support): one mail each, naming every job
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(500))
                .until(() -> smtp.getReceivedMessages().length >= 2 && !slackRequests().isEmpty());
        Duration told = Duration.between(start, Instant.now());
        Thread.sleep(3_000); // nothing more comes: a second message would be a group-interval (1 min) later anyway
        MimeMessage[] mails = smtp.getReceivedMessages();
        assertThat(mails).hasSize(2);
        for (MimeMessage mail : mails) {
            String body = GreenMailUtil.getBody(mail);
            assertThat(jobs).allSatisfy(job -> assertThat(body).contains(job));
        }
        List<LoggedRequest> digests = slackRequests();
        assertThat(digests).hasSize(1);
        assertThat(digests.get(0).getBodyAsString()).contains(JOBS + " backup alerts").contains((JOBS - 40) + " more not shown");
        assertThat(told).as("every receiver told").isLessThan(Duration.ofSeconds(60));
    }

    private static List<LoggedRequest> slackRequests() {
        return slack.findAll(postRequestedFor(urlEqualTo("/slack/ops")));
    }
}
