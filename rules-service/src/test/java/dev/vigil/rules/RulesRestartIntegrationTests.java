package dev.vigil.rules;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.kafka.CloudEventRecords;
import dev.vigil.kafka.test.TopicTail;
import dev.vigil.model.Alert;
import dev.vigil.model.AlertStatus;
import dev.vigil.model.BackupEvent;
import dev.vigil.model.ErrorInfo;
import dev.vigil.model.EventType;
import dev.vigil.model.JobKey;
import dev.vigil.model.Outcome;
import dev.vigil.model.Source;
import dev.vigil.model.Topics;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.kafka.core.KafkaTemplate;
import org.springframework.kafka.test.EmbeddedKafkaKraftBroker;

/**
 * The rules service on a real broker, stopped and started again: its job state comes back (from the local
 * store or the changelog), so a failure after the restart does not raise the alert again, and the success
 * that follows resolves the alert raised before the restart.
 */
class RulesRestartIntegrationTests {

    static EmbeddedKafkaKraftBroker broker;

    @BeforeAll
    static void startBroker() {
        broker = new EmbeddedKafkaKraftBroker(1, 1);
        broker.brokerProperties(Map.of("transaction.state.log.replication.factor", "1", "transaction.state.log.min.isr", "1"));
        broker.afterPropertiesSet();
    }

    @AfterAll
    static void stopBroker() {
        broker.destroy();
    }

    @Test
    void stateSurvivesARestartAndNoAlertIsRepeated() throws Exception {
        Path stateDir = Files.createTempDirectory("rules-state");
        JobKey job = new JobKey("acme", "3723707", "nightly");
        ConfigurableApplicationContext rules = start(stateDir);
        try (TopicTail alerts = TopicTail.open(broker.getBrokersAsString(), Topics.ALERTS)) {
            publish(rules, event("e1", job, Outcome.FAILED));
            List<ConsumerRecord<String, String>> first = alerts.await(1, Topics.ALERTS, Duration.ofSeconds(60));
            assertThat(TopicTail.values(first, Alert.class)).extracting(Alert::status).containsExactly(AlertStatus.FIRING);
            rules.close();

            // A fresh instance with an empty state directory: the state must come back from the changelog.
            rules = start(Files.createTempDirectory("rules-state-new"));
            publish(rules, event("e2", job, Outcome.FAILED));
            publish(rules, event("e1", job, Outcome.FAILED)); // the first hook again, retried by its sender
            publish(rules, event("e3", job, Outcome.SUCCESS));

            List<Alert> all = TopicTail.values(alerts.await(2, Topics.ALERTS, Duration.ofSeconds(60)), Alert.class);
            List<Alert> settled = TopicTail.values(alerts.settle(Duration.ofSeconds(2)), Alert.class);
            assertThat(settled).extracting(Alert::status).containsExactly(AlertStatus.FIRING, AlertStatus.RESOLVED);
            assertThat(all.get(1).startsAt()).isEqualTo(all.get(0).startsAt());
            assertThat(io.micrometer.core.instrument.Metrics.globalRegistry.find("vigil.rules.alerts")
                    .tag("status", "resolved").counter()).isNotNull().satisfies(c -> assertThat(c.count()).isPositive());

            // The status API reads the same state.
            String port = rules.getEnvironment().getProperty("local.server.port");
            java.net.http.HttpClient http = java.net.http.HttpClient.newHttpClient();
            String jobs = http.send(java.net.http.HttpRequest.newBuilder(java.net.URI.create("http://127.0.0.1:" + port
                    + "/api/v1/jobs")).header("Authorization", "Bearer " + ACME_KEY).build(),
                    java.net.http.HttpResponse.BodyHandlers.ofString()).body();
            assertThat(jobs).contains("\"job\":\"acme/3723707/nightly\"").contains("\"lastOutcome\":\"SUCCESS\"")
                    .contains("\"openAlerts\":[]");
            String detail = http.send(java.net.http.HttpRequest.newBuilder(java.net.URI.create("http://127.0.0.1:" + port
                    + "/api/v1/jobs/acme/3723707/nightly")).header("Authorization", "Bearer " + ACME_KEY).build(),
                    java.net.http.HttpResponse.BodyHandlers.ofString()).body();
            assertThat(detail).contains("\"eventId\":\"e1\"").contains("\"eventId\":\"e2\"").contains("\"eventId\":\"e3\"");
            var unknown = http.send(java.net.http.HttpRequest.newBuilder(java.net.URI.create("http://127.0.0.1:" + port
                    + "/api/v1/jobs/acme/3723707/no-such-job")).header("Authorization", "Bearer " + ACME_KEY).build(),
                    java.net.http.HttpResponse.BodyHandlers.ofString());
            assertThat(unknown.statusCode()).isEqualTo(404);
            assertThat(unknown.headers().firstValue("Content-Type")).hasValue("application/problem+json");
            assertThat(unknown.body()).contains("\"status\":404");

            // without a key 401; another tenant's key sees nothing of acme: 403 for the job, an empty list
            var anonymous = http.send(java.net.http.HttpRequest.newBuilder(java.net.URI.create("http://127.0.0.1:" + port
                    + "/api/v1/jobs")).build(), java.net.http.HttpResponse.BodyHandlers.ofString());
            assertThat(anonymous.statusCode()).isEqualTo(401);
            assertThat(anonymous.headers().firstValue("Content-Type")).hasValueSatisfying(t -> assertThat(t)
                    .startsWith("application/problem+json"));
            var foreign = http.send(java.net.http.HttpRequest.newBuilder(java.net.URI.create("http://127.0.0.1:" + port
                    + "/api/v1/jobs/acme/3723707/nightly")).header("Authorization", "Bearer " + OTHER_KEY).build(),
                    java.net.http.HttpResponse.BodyHandlers.ofString());
            assertThat(foreign.statusCode()).isEqualTo(403);
            assertThat(http.send(java.net.http.HttpRequest.newBuilder(java.net.URI.create("http://127.0.0.1:" + port
                    + "/api/v1/jobs")).header("Authorization", "Bearer " + OTHER_KEY).build(),
                    java.net.http.HttpResponse.BodyHandlers.ofString()).body()).isEqualTo("[]");
        } finally {
            rules.close();
        }
    }

    static final String ACME_KEY = "test-acme-read-key-0001";
    static final String OTHER_KEY = "test-other-read-key-001";

    private static ConfigurableApplicationContext start(Path stateDir) {
        return RulesApplication.application().run("--spring.kafka.bootstrap-servers=" + broker.getBrokersAsString(),
                "--server.port=0", "--management.server.port=0", "--spring.jmx.enabled=false",
                "--spring.kafka.streams.state-dir=" + stateDir,
                "--vigil.api.keys[0].id=acme-read", "--vigil.api.keys[0].tenant=acme",
                "--vigil.api.keys[0].sha256=" + dev.vigil.security.ApiKeyIntrospector.sha256Hex(ACME_KEY),
                "--vigil.api.keys[1].id=other-read", "--vigil.api.keys[1].tenant=other",
                "--vigil.api.keys[1].sha256=" + dev.vigil.security.ApiKeyIntrospector.sha256Hex(OTHER_KEY));
    }

    @SuppressWarnings("unchecked")
    private static void publish(ConfigurableApplicationContext context, BackupEvent event) throws Exception {
        KafkaTemplate<String, Object> kafka = context.getBean(KafkaTemplate.class);
        kafka.send(CloudEventRecords.record(Topics.EVENTS, event.job().asString(), event, event.id(),
                event.cloudEventType(), "test", event.receivedAt(), null)).get();
    }

    private static BackupEvent event(String id, JobKey job, Outcome outcome) {
        Instant now = Instant.now();
        return new BackupEvent(id, Source.XSIBACKUP, EventType.BACKUP_FINISHED, outcome, now, now, job, null, null,
                outcome == Outcome.FAILED ? new ErrorInfo("1", "snapshot failed") : null, Map.of(), null);
    }
}
