package dev.vigil.notifier.channel;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.matchingJsonPath;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;
import static org.assertj.core.api.Assertions.assertThat;

import com.github.tomakehurst.wiremock.junit5.WireMockExtension;
import com.github.tomakehurst.wiremock.stubbing.Scenario;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import dev.vigil.kafka.CloudEventRecords;
import dev.vigil.kafka.test.TopicTail;
import dev.vigil.model.Alert;
import dev.vigil.model.AlertStatus;
import dev.vigil.model.DeliveryRecord;
import dev.vigil.model.DeliveryStatus;
import dev.vigil.model.JobKey;
import dev.vigil.model.Rules;
import dev.vigil.model.Severity;
import dev.vigil.model.Source;
import dev.vigil.model.Topics;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.kafka.core.KafkaTemplate;
import org.springframework.kafka.test.EmbeddedKafkaBroker;
import org.springframework.kafka.test.context.EmbeddedKafka;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/** Slack, IFTTT and a signed webhook against real HTTP stubs (WireMock), including 429 + Retry-After and 5xx. */
@SpringBootTest(properties = {"spring.config.name=notifier", "server.port=0", "management.server.port=0",
        "vigil.notifier.delivery.initial-delay=200", "vigil.notifier.delivery.attempts=5",
        "vigil.notifier.delivery.max-delay=2000",
        "vigil.notifier.directory.sync-initial-delay=1h", "vigil.notifier.http.allow-private=true",
        "vigil.notifier.chat-grouping.group-wait=0s", // each alert its own message: this class is about the channels
        "vigil.notifier.route.receiver=team",
        "vigil.notifier.route.routes[0].matchers.severity=critical",
        "vigil.notifier.route.routes[0].matchers.account=~37237[0-9]{2}",
        "vigil.notifier.route.routes[0].receiver=critical-only",
        "vigil.notifier.route.routes[0].continue-matching=true",
        "vigil.notifier.route.routes[1].receiver=team"})
@EmbeddedKafka(partitions = 1, bootstrapServersProperty = "spring.kafka.bootstrap-servers")
class ChannelsIntegrationTests {

    @RegisterExtension
    static WireMockExtension stub = WireMockExtension.newInstance()
            .options(wireMockConfig().dynamicPort().http2PlainDisabled(true)).build();

    @DynamicPropertySource
    static void targets(DynamicPropertyRegistry registry) {
        // A list binds from one property source only: every receiver property is here.
        registry.add("vigil.notifier.receivers[0].name", () -> "team");
        registry.add("vigil.notifier.receivers[0].ifttt.event", () -> "vigil alert");
        registry.add("vigil.notifier.receivers[0].ifttt.key", () -> "ifttt-key");
        registry.add("vigil.notifier.receivers[0].webhook.secret", () -> "s3cret");
        registry.add("vigil.notifier.receivers[1].name", () -> "critical-only");
        registry.add("vigil.notifier.receivers[0].slack.url", () -> stub.baseUrl() + "/slack/team");
        registry.add("vigil.notifier.receivers[0].ifttt.base-url", stub::baseUrl);
        registry.add("vigil.notifier.receivers[0].webhook.url", () -> stub.baseUrl() + "/hook");
        registry.add("vigil.notifier.receivers[1].webhook.url", () -> stub.baseUrl() + "/critical");
    }

    @Autowired
    KafkaTemplate<String, Object> kafka;
    @Autowired
    EmbeddedKafkaBroker broker;

    @BeforeEach
    void stubs() {
        stub.resetAll();
        stub.stubFor(post(urlEqualTo("/slack/team")).willReturn(aResponse().withStatus(200).withBody("ok")));
        stub.stubFor(post(urlEqualTo("/trigger/vigil%20alert/with/key/ifttt-key")).willReturn(aResponse().withStatus(200)));
        stub.stubFor(post(urlEqualTo("/hook")).willReturn(aResponse().withStatus(200)));
        stub.stubFor(post(urlEqualTo("/critical")).willReturn(aResponse().withStatus(204)));
    }

    @Test
    void slackIftttAndASignedWebhookEachGetTheAlertOnce() throws Exception {
        Alert alert = alert("a-1", Severity.WARNING, "3723707");
        try (TopicTail deliveries = TopicTail.open(broker.getBrokersAsString(), Topics.DELIVERIES)) {
            publish(alert);
            List<DeliveryRecord> records = TopicTail.values(deliveries.await(3, Topics.DELIVERIES, Duration.ofSeconds(20)),
                    DeliveryRecord.class);
            assertThat(records).extracting(DeliveryRecord::channel).containsExactlyInAnyOrder("slack", "ifttt", "webhook");
            assertThat(records).extracting(DeliveryRecord::status).containsOnly(DeliveryStatus.SENT);
        }
        stub.verify(1, postRequestedFor(urlEqualTo("/slack/team"))
                .withRequestBody(matchingJsonPath("$.text", equalTo(":warning: Backup nightly of account 3723707 failed")))
                .withRequestBody(matchingJsonPath("$.blocks[1].fields[0].text", equalTo("*Job*\nnightly"))));
        stub.verify(1, postRequestedFor(urlEqualTo("/trigger/vigil%20alert/with/key/ifttt-key"))
                .withRequestBody(matchingJsonPath("$.value1", equalTo("Backup nightly of account 3723707 failed")))
                .withRequestBody(matchingJsonPath("$.value2", equalTo("FIRING warning"))));
        LoggedRequest hook = stub.findAll(postRequestedFor(urlEqualTo("/hook"))).get(0);
        assertThat(hook.getHeader("ce-type")).isEqualTo("dev.vigil.alert.firing");
        assertThat(hook.getHeader("X-Vigil-Signature"))
                .isEqualTo("sha256=" + hmac("s3cret", hook.getHeader("X-Vigil-Timestamp") + "." + hook.getBodyAsString()));
        stub.verify(0, postRequestedFor(urlEqualTo("/critical")));
    }

    @Test
    void aCriticalAlertAlsoReachesTheRouteThatMatchesItAndContinues() throws Exception {
        try (TopicTail deliveries = TopicTail.open(broker.getBrokersAsString(), Topics.DELIVERIES)) {
            publish(alert("a-2", Severity.CRITICAL, "3723708"));
            assertThat(TopicTail.values(deliveries.await(4, Topics.DELIVERIES, Duration.ofSeconds(20)), DeliveryRecord.class))
                    .extracting(DeliveryRecord::target).containsExactlyInAnyOrder("team", "team", "team", "critical-only");
        }
        stub.verify(1, postRequestedFor(urlEqualTo("/critical")));
    }

    @Test
    void slack429WithRetryAfterIsHonouredAndDeliveredOnce() throws Exception {
        stub.stubFor(post(urlEqualTo("/slack/team")).inScenario("limit").whenScenarioStateIs(Scenario.STARTED)
                .willReturn(aResponse().withStatus(429).withHeader("Retry-After", "2")).willSetStateTo("open"));
        stub.stubFor(post(urlEqualTo("/slack/team")).inScenario("limit").whenScenarioStateIs("open")
                .willReturn(aResponse().withStatus(200).withBody("ok")));
        try (TopicTail deliveries = TopicTail.open(broker.getBrokersAsString(), Topics.DELIVERIES)) {
            publish(alert("a-3", Severity.WARNING, "3723707"));
            deliveries.await(1, r -> r.value().contains("\"channel\":\"slack\"") && r.value().contains("\"SENT\""),
                    Duration.ofSeconds(30));
        }
        List<LoggedRequest> calls = stub.findAll(postRequestedFor(urlEqualTo("/slack/team")));
        assertThat(calls).hasSize(2);
        assertThat(Duration.between(calls.get(0).getLoggedDate().toInstant(), calls.get(1).getLoggedDate().toInstant()))
                .isGreaterThanOrEqualTo(Duration.ofSeconds(2));
    }

    @Test
    void aWebhookAnswering500IsRetriedUntilItWorksAndA404FailsForGood() throws Exception {
        stub.stubFor(post(urlEqualTo("/hook")).inScenario("flaky").whenScenarioStateIs(Scenario.STARTED)
                .willReturn(aResponse().withStatus(500)).willSetStateTo("up"));
        stub.stubFor(post(urlEqualTo("/hook")).inScenario("flaky").whenScenarioStateIs("up")
                .willReturn(aResponse().withStatus(200)));
        stub.stubFor(post(urlEqualTo("/trigger/vigil%20alert/with/key/ifttt-key")).willReturn(aResponse().withStatus(404)));
        try (TopicTail deliveries = TopicTail.open(broker.getBrokersAsString(), Topics.DELIVERIES)) {
            publish(alert("a-4", Severity.WARNING, "3723707"));
            List<DeliveryRecord> records = TopicTail.values(deliveries.await(4, Topics.DELIVERIES, Duration.ofSeconds(30)),
                    DeliveryRecord.class);
            assertThat(records).filteredOn(r -> r.channel().equals("webhook")).extracting(DeliveryRecord::status)
                    .containsExactly(DeliveryStatus.RETRYING, DeliveryStatus.SENT);
            assertThat(records).filteredOn(r -> r.channel().equals("ifttt")).singleElement()
                    .satisfies(r -> assertThat(r.status()).isEqualTo(DeliveryStatus.FAILED))
                    .satisfies(r -> assertThat(r.reason()).contains("http-404"));
        }
        stub.verify(1, postRequestedFor(urlEqualTo("/trigger/vigil%20alert/with/key/ifttt-key")));
    }

    private void publish(Alert alert) throws Exception {
        kafka.send(CloudEventRecords.record(Topics.ALERTS, alert.fingerprint(), alert, alert.eventId(),
                "dev.vigil.alert.firing", "test", Instant.now(), null)).get();
    }

    private static Alert alert(String eventId, Severity severity, String account) {
        JobKey job = new JobKey("acme", account, "nightly");
        return new Alert(Alert.fingerprint(Rules.FAILED_BACKUP, job), Rules.FAILED_BACKUP, severity, AlertStatus.FIRING,
                job, Source.XSIBACKUP, "Backup nightly of account " + account + " failed", Map.of(),
                Instant.now(), null, eventId);
    }

    private static String hmac(String secret, String text) throws Exception {
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
        return HexFormat.of().formatHex(mac.doFinal(text.getBytes(StandardCharsets.UTF_8)));
    }
}
