package dev.vigil.rules;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.kafka.IngestControl;
import dev.vigil.kafka.VigilSerdes;
import dev.vigil.model.Alert;
import dev.vigil.model.AlertStatus;
import dev.vigil.model.BackupEvent;
import dev.vigil.model.EventType;
import dev.vigil.model.JobKey;
import dev.vigil.model.Measures;
import dev.vigil.model.Outcome;
import dev.vigil.model.Rules;
import dev.vigil.model.Source;
import dev.vigil.rules.job.JobState;
import dev.vigil.rules.job.Values;
import dev.vigil.rules.rule.EventRule;
import io.micrometer.core.instrument.Metrics;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.streams.test.TestRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * One test per kind of poison that can reach {@code backup.events}: after each, an ordinary failure of another job
 * must still become an alert, and nothing may have stopped the topology.
 */
class PoisonTests {

    static final Instant T0 = Instant.parse("2026-03-02T08:00:00Z");
    static final JobKey VICTIM = new JobKey("acme", "3723707", "poisoned");
    static final JobKey OTHER = new JobKey("acme", "3723708", "ordinary");
    private final SimpleMeterRegistry meters = new SimpleMeterRegistry();
    private RulesDriver rules;

    @BeforeEach
    void meters() {
        Metrics.addRegistry(meters);
    }

    @AfterEach
    void stop() {
        Metrics.removeRegistry(meters);
        if (rules != null) {
            rules.close();
        }
    }

    private void start(Map<String, String> settings) {
        rules = new RulesDriver(settings, T0);
    }

    /** The proof that the rules still work: an ordinary failed backup of another job becomes a FIRING alert. */
    private void anOrdinaryFailureStillAlerts(Instant at) {
        rules.send(rules.failed(OTHER, at, "datastore full"));
        List<Alert> fired = rules.alerts();
        assertThat(fired).filteredOn(a -> a.job().equals(OTHER)).extracting(Alert::rule, Alert::status)
                .containsExactly(org.assertj.core.groups.Tuple.tuple(Rules.FAILED_BACKUP, AlertStatus.FIRING));
    }

    private double ignored(String field) {
        var counter = meters.find(Values.IGNORED).tag("field", field).counter();
        return counter == null ? 0 : counter.count();
    }

    @ParameterizedTest
    @ValueSource(strings = {"soon", "-5", "99999999999999999999", "", " 7x", "1e3", "NaN"})
    void anAttributeThatIsNoCountIsIgnoredAndCounted(String value) {
        start(Map.of());
        rules.send(rules.event(VICTIM, EventType.MEDIA_REQUEST, Outcome.NONE, T0, Map.of("waitedMinutes", value)));
        rules.send(rules.event(VICTIM, EventType.LOGIN, Outcome.FAILED, T0, Map.of("attempts", value)));
        assertThat(rules.alerts()).as("an unreadable wait raises nothing and clears nothing").isEmpty();
        assertThat(ignored("waitedMinutes")).isEqualTo(1);
        anOrdinaryFailureStillAlerts(T0.plusSeconds(1));
    }

    @Test
    void attributesOfATypeARuleDoesNotHandleAreNeverParsed() {
        start(Map.of());
        rules.send(rules.event(VICTIM, EventType.BACKUP_STARTED, Outcome.NONE, T0,
                Map.of("waitedMinutes", "soon", "attempts", "many", "nextRunAt", "tomorrow")));
        assertThat(ignored("waitedMinutes") + ignored("attempts") + ignored("nextRunAt")).isZero();
        anOrdinaryFailureStillAlerts(T0.plusSeconds(1));
    }

    @Test
    void sixFailuresWith200kBMessagesLeaveTheJobStateSmall() {
        start(Map.of());
        String message = "x".repeat(100_000) + "\n" + "y".repeat(99_990) + "\nERROR: the last line";
        for (int i = 0; i < 6; i++) {
            rules.send(rules.failed(VICTIM, T0.plusSeconds(i), message));
        }
        JobState state = rules.state(VICTIM);
        int size = VigilSerdes.json(JobState.class).serializer().serialize("", state).length;
        System.out.printf("job state after six failures with 200 kB messages: %d bytes%n", size);
        assertThat(size).isLessThan(16 * 1024);
        Alert alert = state.openAlerts().get(Rules.FAILED_BACKUP);
        assertThat(alert.details().get("errorMessage")).hasSizeLessThanOrEqualTo(1_000)
                .startsWith("xxx").endsWith("ERROR: the last line").contains("characters left out");
        anOrdinaryFailureStillAlerts(T0.plusSeconds(10));
    }

    @Test
    void theStateOfAJobWithEveryAlertOpenAndEveryValueAtItsLimitStaysBounded() {
        start(Map.of());
        String big = "z".repeat(300_000);
        Map<String, String> attributes = new java.util.HashMap<>();
        for (int i = 0; i < 200; i++) {
            attributes.put("attribute-" + i + big.substring(0, i), big);
        }
        attributes.put("waitedMinutes", "600");
        attributes.put("attempts", "9");
        for (EventType type : EventType.values()) {
            if (type == EventType.HEARTBEAT) {
                continue;
            }
            BackupEvent event = rules.event(VICTIM, type, Outcome.FAILED, T0.plusSeconds(type.ordinal()), attributes);
            rules.send(new BackupEvent(big.substring(0, 5_000) + type, event.source(), type, Outcome.FAILED,
                    event.occurredAt(), event.receivedAt(), VICTIM, big.substring(0, 5_000),
                    new Measures(1L, 1L, 1L, 1, 99L, 100L), new dev.vigil.model.ErrorInfo(big, big), attributes, big));
        }
        JobState state = rules.state(VICTIM);
        int size = VigilSerdes.json(JobState.class).serializer().serialize("", state).length;
        System.out.printf("job state with %d alerts open, every value at its limit: %d bytes%n",
                state.openAlerts().size(), size);
        assertThat(state.openAlerts()).hasSizeGreaterThanOrEqualTo(5);
        assertThat(size).isLessThan(64 * 1024);
        anOrdinaryFailureStillAlerts(T0.plusSeconds(100));
    }

    @ParameterizedTest
    @ValueSource(strings = {"99999999999999d", "-1d", "0s", "1d2h", "soon", "9223372036854775807w"})
    void aPeriodThatIsNoPeriodExpectsNothing(String period) {
        start(Map.of("vigil.rules.schedule.start-grace", "5s", "vigil.rules.schedule.tolerance", "5s"));
        for (int i = 0; i < 3; i++) {
            rules.send(rules.event(VICTIM, EventType.BACKUP_FINISHED, Outcome.SUCCESS, T0.plusSeconds(i),
                    Map.of("schedule.kind", "period", "schedule.period", period)));
        }
        rules.heartbeats(T0, T0.plus(Duration.ofMinutes(2)), Duration.ofSeconds(5));
        assertThat(rules.alerts()).isEmpty();
        assertThat(rules.state(VICTIM).nextRunAt()).isNull();
        assertThat(ignored("schedule.period")).isEqualTo(3);
        anOrdinaryFailureStillAlerts(T0.plus(Duration.ofMinutes(3)));
    }

    @ParameterizedTest
    @ValueSource(strings = {"61 25 * * *", "* * *", "", "0 2 30 2 *"})
    void aCronThatDoesNotParseOrNeverFiresExpectsNothing(String cron) {
        start(Map.of("vigil.rules.schedule.start-grace", "5s", "vigil.rules.schedule.tolerance", "5s"));
        rules.send(rules.event(VICTIM, EventType.BACKUP_FINISHED, Outcome.SUCCESS, T0,
                Map.of("schedule.kind", "registration", "schedule.cron", cron, "schedule.zone", "Europe/Zurich")));
        rules.send(rules.event(new JobKey("acme", "3723707", "zoned"), EventType.BACKUP_FINISHED, Outcome.SUCCESS, T0,
                Map.of("schedule.kind", "registration", "schedule.cron", "0 2 * * *", "schedule.zone", "Mars/Olympus")));
        rules.send(rules.event(VICTIM, EventType.SCHEDULE_DECLARED, Outcome.NONE, T0,
                Map.of("schedule.kind", "custom", "schedule.cron", cron)));
        rules.heartbeats(T0, T0.plus(Duration.ofMinutes(1)), Duration.ofSeconds(5));
        assertThat(rules.alerts()).isEmpty();
        anOrdinaryFailureStillAlerts(T0.plus(Duration.ofMinutes(2)));
    }

    @Test
    void anEventTypeVigilDoesNotKnowIsDeadLetteredAndTheNextRecordIsProcessed() {
        start(Map.of());
        String json = new String(VigilSerdes.json(BackupEvent.class).serializer().serialize("",
                rules.failed(VICTIM, T0, "x")), StandardCharsets.UTF_8).replace("BACKUP_FINISHED", "SOMETHING_NEW");
        rules.rawEvents.pipeInput(VICTIM.asString(), json.getBytes(StandardCharsets.UTF_8), T0);
        var dead = rules.deadLetters.readRecord();
        assertThat(new String(dead.value(), StandardCharsets.UTF_8)).isEqualTo(json);
        assertThat(new String(dead.headers().lastHeader("__streams.errors.topic").value(), StandardCharsets.UTF_8))
                .isEqualTo("backup.events");
        assertThat(meters.find("vigil.dead.letters").tag("topic", "backup.events").counter().count()).isEqualTo(1);
        anOrdinaryFailureStillAlerts(T0.plusSeconds(1));
    }

    @ParameterizedTest
    @ValueSource(strings = {"not json at all", "{\"id\":\"x\"}", "[1,2,3]", "{\"id\":", "\u0000\u0001\u00ff"})
    void bytesThatAreNoEventAreDeadLettered(String bytes) {
        start(Map.of());
        rules.rawEvents.pipeInput(VICTIM.asString(), bytes.getBytes(StandardCharsets.ISO_8859_1), T0);
        assertThat(rules.deadLetters.readRecord().value()).isEqualTo(bytes.getBytes(StandardCharsets.ISO_8859_1));
        anOrdinaryFailureStillAlerts(T0.plusSeconds(1));
    }

    @Test
    void aRuleThatThrowsCostsOnlyItsRecordWhichIsDeadLettered() {
        List<EventRule> withABrokenRule = new ArrayList<>();
        withABrokenRule.add(new EventRule() {
            @Override
            public String name() {
                return "broken";
            }

            @Override
            public Optional<dev.vigil.rules.rule.Condition> evaluate(BackupEvent event, JobState state,
                                                                     dev.vigil.model.AccountSettings settings) {
                if (event.job().equals(VICTIM)) {
                    throw new IllegalStateException("a bug in a rule");
                }
                return Optional.empty();
            }
        });
        withABrokenRule.addAll(AlertTopology.eventRules(RulesTestSupport.properties(Map.of())));
        rules = new RulesDriver(Map.of(), T0, withABrokenRule);
        rules.send(rules.failed(VICTIM, T0, "x"));
        var dead = rules.deadLetters.readRecord();
        assertThat(new String(dead.headers().lastHeader("__streams.errors.message").value(),
                StandardCharsets.UTF_8)).isEqualTo("a bug in a rule");
        anOrdinaryFailureStillAlerts(T0.plusSeconds(1));
    }

    @Test
    void aClientSentHeartbeatNeitherFiresNorMovesADeadline() {
        start(Map.of("vigil.rules.schedule.start-grace", "5s", "vigil.rules.schedule.tolerance", "5s", "vigil.rules.schedule.ingest-gap", "1h"));
        rules.send(rules.event(VICTIM, EventType.BACKUP_FINISHED, Outcome.SUCCESS, T0,
                Map.of("schedule.kind", "period", "schedule.period", "1m")));
        rules.heartbeat(T0.plusSeconds(30));
        Instant forged = Instant.parse("2099-01-01T00:00:00Z");
        // through a hook: no control header
        rules.send(new BackupEvent("forged-1", Source.GENERIC, EventType.HEARTBEAT, Outcome.NONE, forged, forged,
                new JobKey("acme", "3723707", "x"), null, null, null, Map.of(), null));
        rules.send(new BackupEvent("forged-2", Source.GENERIC, EventType.HEARTBEAT, Outcome.NONE, forged, forged,
                new JobKey(IngestControl.RESERVED_TENANT, "gateway", "g1"), null, null, null, Map.of(), null));
        // with the header, but stamped far ahead of its own record
        RecordHeaders headers = new RecordHeaders();
        headers.add(IngestControl.HEADER, IngestControl.HEARTBEAT.getBytes(StandardCharsets.UTF_8));
        BackupEvent ahead = new BackupEvent("forged-3", Source.GENERIC, EventType.HEARTBEAT, Outcome.NONE, forged, forged,
                new JobKey(IngestControl.RESERVED_TENANT, "gateway", "g1"), null, null, null, Map.of(), null);
        rules.events.pipeInput(new TestRecord<>(ahead.job().asString(), ahead, headers, T0.plusSeconds(31)));
        rules.driver.advanceWallClockTime(Duration.ofSeconds(5));
        assertThat(rules.alerts()).as("no verdict from a forged clock").isEmpty();
        assertThat(rules.state(VICTIM).nextRunAt()).isEqualTo(T0.plus(Duration.ofMinutes(1)));
        assertThat(ignored("heartbeat")).isEqualTo(3);

        rules.heartbeats(T0.plusSeconds(35), T0.plusSeconds(70), Duration.ofSeconds(5));
        assertThat(rules.alerts()).extracting(Alert::rule).containsExactly(Rules.MISSED_SCHEDULE);
        anOrdinaryFailureStillAlerts(T0.plusSeconds(71));
    }

    @ParameterizedTest
    @ValueSource(strings = {"+1000000000-01-01T00:00:00Z", "-1000000000-01-01T00:00:00Z", "2099-01-01T00:00:00Z",
            "1970-01-01T00:00:00Z"})
    void aTimeFarFromTheIngestTimeIsReplacedByIt(String time) {
        start(Map.of("vigil.rules.schedule.start-grace", "5s", "vigil.rules.schedule.tolerance", "5s"));
        Instant claimed = Instant.parse(time);
        rules.send(new BackupEvent("t1", Source.GENERIC, EventType.BACKUP_FINISHED, Outcome.SUCCESS, claimed, T0,
                VICTIM, null, null, null, Map.of("schedule.kind", "period", "schedule.period", "1m"), null));
        rules.send(new BackupEvent("t2", Source.GENERIC, EventType.BACKUP_STARTED, Outcome.NONE, claimed, null,
                VICTIM, null, null, null, Map.of("schedule.kind", "period", "schedule.period", "1m"), null));
        assertThat(rules.state(VICTIM).lastEndAt()).isEqualTo(T0);
        assertThat(rules.state(VICTIM).nextRunAt()).isEqualTo(T0.plus(Duration.ofMinutes(1)));
        assertThat(ignored("occurredAt")).isEqualTo(2);
        anOrdinaryFailureStillAlerts(T0.plusSeconds(1));
    }

    @ParameterizedTest
    @ValueSource(strings = {"Daily/My Computer/Mac HD", "a|b|c", "it's \"quoted\"", "R&D 100% done", "ü/日本語/🙂",
            "trailing/", "|", "x\u2028y"})
    void aJobKeyWithAnyCharacterRoundTripsThroughStateDeadlinesAndAlerts(String name) {
        start(Map.of("vigil.rules.schedule.start-grace", "5s", "vigil.rules.schedule.tolerance", "5s"));
        JobKey sent = new JobKey("acme", "3723707", name);
        JobKey job = sent.bounded(); // a line separator is no part of a name: it becomes a space
        rules.send(rules.event(sent, EventType.BACKUP_FINISHED, Outcome.SUCCESS, T0,
                Map.of("schedule.kind", "period", "schedule.period", "1m")));
        rules.heartbeats(T0, T0.plusSeconds(70), Duration.ofSeconds(5));
        Alert missed = rules.alerts.readValue();
        assertThat(missed.job()).isEqualTo(job);
        assertThat(missed.fingerprint()).isEqualTo(Alert.fingerprint(Rules.MISSED_SCHEDULE, job));
        rules.send(rules.event(sent, EventType.BACKUP_FINISHED, Outcome.SUCCESS, T0.plusSeconds(75), Map.of()));
        Alert resolved = rules.alerts.readValue();
        assertThat(resolved.status()).isEqualTo(AlertStatus.RESOLVED);
        assertThat(resolved.fingerprint()).isEqualTo(missed.fingerprint());
        assertThat(rules.state(job).openAlerts()).isEmpty();
    }

    /** An XSIBackup job over 450 VMs (5.4 kB), or a name full of control and bidi characters, is still a job. */
    @Test
    void aJobOfAnyLengthOrCharacterIsJudgedAndToldUnderAShortenedCleanName() {
        start(Map.of());
        String vms = java.util.stream.IntStream.range(0, 450).mapToObj(i -> String.format("VM-%03d", i))
                .collect(java.util.stream.Collectors.joining(","));
        JobKey huge = new JobKey("acme", "3723707", vms);
        JobKey hugeToo = new JobKey("acme", "3723707", vms + ",VM-450");
        JobKey hostile = new JobKey("acme", "3723707", "nightly\u0007\u001b[31m\r\nBcc: x@evil\u202Egpj.exe\u200b");

        for (JobKey job : List.of(huge, hugeToo, hostile)) {
            rules.send(rules.failed(job, T0, "snapshot creation failed"));
        }
        List<Alert> fired = rules.alerts();
        assertThat(fired).hasSize(3).allSatisfy(alert -> {
            assertThat(alert.rule()).isEqualTo(Rules.FAILED_BACKUP);
            assertThat(alert.status()).isEqualTo(AlertStatus.FIRING);
            assertThat(alert.job().job()).hasSizeLessThanOrEqualTo(JobKey.NAME_LIMIT)
                    .doesNotContain("\u0007", "\u001b", "\r", "\n", "\u202E", "\u200b");
        });
        assertThat(fired).extracting(a -> a.job().job()).doesNotHaveDuplicates()
                .anySatisfy(name -> assertThat(name).startsWith("VM-000,VM-001,").contains("…#"))
                .contains("nightly  [31m  Bcc: x@evil gpj.exe ");
        assertThat(ignored("job")).isEqualTo(3);

        rules.send(rules.event(huge, EventType.BACKUP_FINISHED, Outcome.SUCCESS, T0.plusSeconds(60), Map.of()));
        assertThat(rules.alerts()).singleElement().satisfies(resolved -> {
            assertThat(resolved.status()).isEqualTo(AlertStatus.RESOLVED);
            assertThat(resolved.job()).isEqualTo(huge.bounded());
        });
        anOrdinaryFailureStillAlerts(T0.plusSeconds(61));
    }
}
