package dev.vigil.rules;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.kafka.VigilSerdes;
import dev.vigil.model.Alert;
import dev.vigil.model.AlertStatus;
import dev.vigil.model.BackupEvent;
import dev.vigil.model.ErrorInfo;
import dev.vigil.model.EventType;
import dev.vigil.model.JobKey;
import dev.vigil.model.Measures;
import dev.vigil.model.Outcome;
import dev.vigil.model.Rules;
import dev.vigil.model.Severity;
import dev.vigil.model.Source;
import dev.vigil.model.Topics;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class AlertTopologyTests {

    private static final JobKey JOB = new JobKey("acme", "3723707", "WIN7,ERP01");
    private static final Instant T0 = Instant.parse("2026-11-21T20:00:00Z");

    private TopologyTestDriver driver;
    private TestInputTopic<String, BackupEvent> events;
    private TestOutputTopic<String, Alert> alerts;

    private void start(int consecutiveFailures) {
        StreamsBuilder builder = new StreamsBuilder();
        AlertTopology.build(builder, RulesTestSupport.properties(Map.of(
                "vigil.rules.failed-backup.consecutive-failures", Integer.toString(consecutiveFailures))), 1);
        Properties config = new Properties();
        config.put(StreamsConfig.APPLICATION_ID_CONFIG, "rules-test");
        config.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "unused:9092");
        driver = new TopologyTestDriver(builder.build(), config);
        events = driver.createInputTopic(Topics.EVENTS, new StringSerializer(),
                VigilSerdes.json(BackupEvent.class).serializer());
        alerts = driver.createOutputTopic(Topics.ALERTS, new StringDeserializer(),
                VigilSerdes.json(Alert.class).deserializer());
    }

    @AfterEach
    void stop() {
        driver.close();
    }

    @Test
    void aFailedRunFiresAndTheNextSuccessResolvesWithHowLongItLasted() {
        start(1);

        send(run("e1", Outcome.FAILED, T0));
        send(run("e2", Outcome.SUCCESS, T0.plusSeconds(2 * 3600 + 300)));

        List<Alert> out = alerts.readValuesToList();
        assertThat(out).hasSize(2);
        Alert firing = out.get(0);
        assertThat(firing.status()).isEqualTo(AlertStatus.FIRING);
        assertThat(firing.rule()).isEqualTo(Rules.FAILED_BACKUP);
        assertThat(firing.severity()).isEqualTo(Severity.CRITICAL);
        assertThat(firing.fingerprint()).isEqualTo(Alert.fingerprint(Rules.FAILED_BACKUP, JOB));
        assertThat(firing.summary()).isEqualTo("Backup WIN7,ERP01 of account 3723707 failed: ERP01: snapshot creation failed");
        assertThat(firing.startsAt()).isEqualTo(T0);
        Alert resolved = out.get(1);
        assertThat(resolved.status()).isEqualTo(AlertStatus.RESOLVED);
        assertThat(resolved.fingerprint()).isEqualTo(firing.fingerprint());
        assertThat(resolved.startsAt()).isEqualTo(T0);
        assertThat(resolved.endsAt()).isEqualTo(T0.plusSeconds(2 * 3600 + 300));
        assertThat(resolved.summary()).endsWith("succeeded again (problem lasted 2 h 5 min)");
    }

    @Test
    void furtherFailuresWhileFiringAreNotAlertedAgain() {
        start(1);

        send(run("e1", Outcome.FAILED, T0));
        send(run("e2", Outcome.FAILED, T0.plusSeconds(86_400)));

        assertThat(alerts.readValuesToList()).extracting(Alert::status).containsExactly(AlertStatus.FIRING);
    }

    @Test
    void fireOnlyAfterNConsecutiveFailuresAndASuccessResetsTheCount() {
        start(2);

        send(run("e1", Outcome.FAILED, T0));
        send(run("e2", Outcome.SUCCESS, T0.plusSeconds(60)));
        send(run("e3", Outcome.FAILED, T0.plusSeconds(120)));
        assertThat(alerts.isEmpty()).isTrue();

        send(run("e4", Outcome.FAILED, T0.plusSeconds(180)));
        Alert firing = alerts.readValue();
        assertThat(firing.status()).isEqualTo(AlertStatus.FIRING);
        assertThat(firing.details()).containsEntry("consecutiveFailures", "2");
    }

    @Test
    void aRetriedHookWithTheSameEventIdIsNotCountedTwice() {
        start(2);

        send(run("same-id", Outcome.FAILED, T0));
        send(run("same-id", Outcome.FAILED, T0));

        assertThat(alerts.isEmpty()).isTrue();
    }

    @Test
    void aRunWithWarningsFiresAtWarningSeverityAndIsRaisedWhenARunFails() {
        start(1);

        send(run("e1", Outcome.WARNING, T0));
        send(run("e2", Outcome.FAILED, T0.plusSeconds(60)));

        List<Alert> out = alerts.readValuesToList();
        assertThat(out).extracting(Alert::severity).containsExactly(Severity.WARNING, Severity.CRITICAL);
        assertThat(out.get(1).startsAt()).isEqualTo(T0);
    }

    @Test
    void eventsWithoutAVerdictLeaveAlertsAlone() {
        start(1);

        send(run("e1", Outcome.FAILED, T0));
        send(new BackupEvent("e2", Source.RETROSPECT, EventType.BACKUP_STARTED, Outcome.NONE, T0.plusSeconds(5),
                T0.plusSeconds(5), JOB, null, null, null, Map.of(), null));

        assertThat(alerts.readValuesToList()).extracting(Alert::status).containsExactly(AlertStatus.FIRING);
    }

    private void send(BackupEvent event) {
        events.pipeInput(event.job().asString(), event, event.receivedAt());
    }

    private static BackupEvent run(String id, Outcome outcome, Instant at) {
        ErrorInfo error = outcome == Outcome.FAILED ? new ErrorInfo(null, "ERP01: snapshot creation failed\nWIN7: 0 errors") : null;
        return new BackupEvent(id, Source.XSIBACKUP, EventType.BACKUP_FINISHED, outcome, at, at, JOB, null,
                new Measures(null, null, 845L, outcome == Outcome.WARNING ? 3 : 0, null, null), error, Map.of(), null);
    }
}
