package dev.vigil.notifier;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.github.tomakehurst.wiremock.junit5.WireMockExtension;
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
import java.time.Duration;
import java.time.Instant;
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

/**
 * A directory that cannot be reached holds back only what needs it: the mails to the directory's recipients wait
 * until it answers, while the alerts' webhooks to a fixed receiver go out at once (also for an alert behind the first
 * on its partition), and only once.
 */
@SpringBootTest(properties = {"spring.config.name=notifier", "server.port=0", "management.server.port=0",
        "vigil.notifier.directory.sync-initial-delay=1h", "vigil.notifier.directory.cache-ttl=0s",
        "vigil.kafka.retry.max-interval=1s", "vigil.notifier.http.allow-private=true"})
@EmbeddedKafka(partitions = 1, bootstrapServersProperty = "spring.kafka.bootstrap-servers")
@org.springframework.test.annotation.DirtiesContext
class DirectoryOutageChannelsTests {

    @RegisterExtension
    static GreenMailExtension smtp = TestServers.smtp();

    @RegisterExtension
    static WireMockExtension hooks = WireMockExtension.newInstance()
            .options(wireMockConfig().dynamicPort().http2PlainDisabled(true)).build();

    static DemoDirectory directory = TestServers.directory();

    @DynamicPropertySource
    static void servers(DynamicPropertyRegistry registry) {
        TestServers.register(registry, smtp, directory);
        registry.add("vigil.notifier.receivers[0].name", () -> "owners");
        registry.add("vigil.notifier.receivers[0].directory-email", () -> "true");
        registry.add("vigil.notifier.receivers[1].name", () -> "ops");
        registry.add("vigil.notifier.receivers[1].webhook.url", () -> hooks.baseUrl() + "/webhook");
        // the directory's receiver first: its failure must not stop the one after it
        registry.add("vigil.notifier.route.receiver", () -> "owners");
        registry.add("vigil.notifier.route.routes[0].receiver", () -> "owners");
        registry.add("vigil.notifier.route.routes[0].continue-matching", () -> "true");
        registry.add("vigil.notifier.route.routes[1].receiver", () -> "ops");
    }

    @AfterAll
    static void stop() {
        directory.close();
    }

    @Autowired
    KafkaTemplate<String, Object> kafka;

    @Test
    void theWebhookGoesOutOnceWhileTheMailsWaitForTheDirectory() throws Exception {
        hooks.stubFor(post(urlPathEqualTo("/webhook")).willReturn(aResponse().withStatus(200)));
        directory.server().shutDown("ldap", true);
        // two alerts on one partition: the second must not wait behind the first's mails
        for (String name : java.util.List.of("outage-channels-1", "outage-channels-2")) {
            JobKey job = new JobKey("demo", "3723707", name);
            Alert alert = new Alert(Alert.fingerprint(Rules.FAILED_BACKUP, job), Rules.FAILED_BACKUP, Severity.CRITICAL,
                    AlertStatus.FIRING, job, Source.XSIBACKUP, "Backup " + name + " of account 3723707 failed",
                    Map.of(), Instant.now(), null, name);
            kafka.send(CloudEventRecords.record(Topics.ALERTS, "same-partition", alert, alert.eventId(),
                    "dev.vigil.alert.firing", "test", Instant.now(), null)).get();
        }

        await().atMost(Duration.ofSeconds(30)).until(() -> webhooks() == 2);
        Thread.sleep(6_000); // the mails are tried again several times while the directory is away
        assertThat(webhooks()).isEqualTo(2);
        assertThat(smtp.getReceivedMessages()).isEmpty();

        directory.server().startListening("ldap");
        await().atMost(Duration.ofSeconds(120)).until(() -> smtp.getReceivedMessages().length == 4);
        Thread.sleep(2_000);
        assertThat(webhooks()).isEqualTo(2);
        assertThat(smtp.getReceivedMessages()).hasSize(4);
    }

    private static int webhooks() {
        return hooks.getAllServeEvents().stream()
                .filter(e -> e.getRequest().getUrl().startsWith("/webhook")).toList().size();
    }
}
