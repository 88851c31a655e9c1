package dev.vigil.rules;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.model.AccountSettings;
import dev.vigil.model.Alert;
import dev.vigil.model.AlertStatus;
import dev.vigil.rules.job.JobState;
import dev.vigil.model.BackupEvent;
import dev.vigil.model.ErrorInfo;
import dev.vigil.model.EventType;
import dev.vigil.model.JobKey;
import dev.vigil.model.Outcome;
import dev.vigil.model.Rules;
import dev.vigil.model.Source;
import dev.vigil.model.Topics;
import dev.vigil.kafka.VigilSerdes;
import dev.vigil.rules.schedule.Schedule;
import java.time.Duration;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Every verdict right: deadlines at any precision, runs not events, outages of Vigil, DST, changed schedules, dedup. */
class VerdictTests {

    static final Instant T0 = Instant.parse("2026-03-02T08:00:00Z");
    static final JobKey JOB = new JobKey("acme", "3723707", "nightly");
    static final Map<String, String> COMPRESSED = Map.of("vigil.rules.schedule.start-grace", "5s",
            "vigil.rules.schedule.tolerance", "5s", "vigil.rules.schedule.max-run-time", "90s",
            "vigil.rules.schedule.ingest-gap", "10s", "vigil.rules.schedule.outage-settle", "60s");
    private RulesDriver rules;

    @AfterEach
    void stop() {
        if (rules != null) {
            rules.close();
        }
    }

    private void start(Map<String, String> overrides) {
        Map<String, String> settings = new HashMap<>(COMPRESSED);
        settings.putAll(overrides);
        rules = new RulesDriver(settings, T0);
    }

    /** An event stamped with a receive time in nanoseconds, as {@code Instant.now()} gives it. */
    private BackupEvent ping(String id, EventType type, Outcome outcome, Instant at, Map<String, String> attributes) {
        Instant precise = at.plusNanos(123_456_789);
        return new BackupEvent(id, Source.GENERIC, type, outcome, precise, precise, JOB, null, null,
                outcome == Outcome.FAILED ? new ErrorInfo("1", "failed") : null, attributes, null);
    }

    private static Map<String, String> period(String period) {
        return Map.of("schedule.kind", "period", "schedule.period", period);
    }

    @Test
    void aPeriodDeadlineFiresAtAReceiveTimeWithNanosecondsAndExactlyOnce() {
        start(Map.of());
        rules.send(ping("p1", EventType.BACKUP_FINISHED, Outcome.SUCCESS, T0, period("20s")));
        rules.heartbeats(T0, T0.plusSeconds(24), Duration.ofSeconds(1));
        assertThat(rules.alerts()).as("late but within the grace").isEmpty();
        rules.heartbeats(T0.plusSeconds(25), T0.plusSeconds(35), Duration.ofSeconds(1));
        List<Alert> alerts = rules.alerts();
        assertThat(alerts).extracting(Alert::rule).containsExactly(Rules.MISSED_SCHEDULE);
        rules.heartbeats(T0.plusSeconds(36), T0.plusSeconds(44), Duration.ofSeconds(1));
        assertThat(rules.alerts()).as("the alert stays open; the next missed run updates nothing yet").isEmpty();
    }

    @Test
    void aStartWithoutAFinishFailsAfterTheMaximumRunTime() {
        start(Map.of());
        rules.send(ping("s1", EventType.BACKUP_STARTED, Outcome.NONE, T0, Map.of()));
        rules.heartbeats(T0, T0.plusSeconds(89), Duration.ofSeconds(1));
        assertThat(rules.alerts()).isEmpty();
        rules.heartbeats(T0.plusSeconds(90), T0.plusSeconds(95), Duration.ofSeconds(1));
        Alert failed = rules.alerts.readValue();
        assertThat(failed.rule()).isEqualTo(Rules.FAILED_BACKUP);
        assertThat(failed.summary()).contains("has not finished after 1 min 30 s");
    }

    private BackupEvent healthchecks(String id, EventType type, Outcome outcome, Instant at, String rid) {
        Instant precise = at.plusNanos(123_456_789);
        return new BackupEvent(id, Source.HEALTHCHECKS, type, outcome, precise, precise, JOB, rid, null,
                outcome == Outcome.FAILED ? new ErrorInfo("1", "failed") : null, Map.of(), null);
    }

    /**
     * Overlapping runs told apart by healthchecks' {@code rid}: the success of the first run does not end the second,
     * which is still watched and told when it hangs; an end without a run id, or a failure, ends what is running.
     */
    @Test
    void aPingsSuccessOfAnotherRunLeavesTheRunningOneWatched() {
        start(Map.of());
        rules.send(healthchecks("a-start", EventType.BACKUP_STARTED, Outcome.NONE, T0, "aaaaaaaa-0000-4000-8000-000000000001"));
        rules.send(healthchecks("b-start", EventType.BACKUP_STARTED, Outcome.NONE, T0.plusSeconds(30),
                "bbbbbbbb-0000-4000-8000-000000000002"));
        rules.send(healthchecks("a-end", EventType.BACKUP_FINISHED, Outcome.SUCCESS, T0.plusSeconds(40),
                "aaaaaaaa-0000-4000-8000-000000000001"));
        assertThat(rules.state(JOB).runningSince()).as("run b is still running").isNotNull();
        rules.heartbeats(T0, T0.plusSeconds(115), Duration.ofSeconds(1));
        assertThat(rules.alerts()).as("b started 30 s in: 90 s later").isEmpty();
        rules.heartbeats(T0.plusSeconds(120), T0.plusSeconds(125), Duration.ofSeconds(1));
        assertThat(rules.alerts()).extracting(Alert::rule).containsExactly(Rules.FAILED_BACKUP);

        rules.send(healthchecks("c-start", EventType.BACKUP_STARTED, Outcome.NONE, T0.plusSeconds(200),
                "cccccccc-0000-4000-8000-000000000003"));
        rules.send(healthchecks("d-end", EventType.BACKUP_FINISHED, Outcome.SUCCESS, T0.plusSeconds(210), null));
        assertThat(rules.state(JOB).runningSince()).as("an end without a run id ends it").isNull();
        rules.send(healthchecks("e-start", EventType.BACKUP_STARTED, Outcome.NONE, T0.plusSeconds(300),
                "eeeeeeee-0000-4000-8000-000000000005"));
        rules.send(healthchecks("f-fail", EventType.BACKUP_FINISHED, Outcome.FAILED, T0.plusSeconds(310),
                "ffffffff-0000-4000-8000-000000000006"));
        assertThat(rules.state(JOB).runningSince()).as("a failure ends it").isNull();
    }

    /** A ping as the gateway makes it for a rid without a ts: its id is the rid and the kind, its time its receipt. */
    private BackupEvent ridPing(EventType type, Outcome outcome, Instant at, String rid, String kind) {
        return new BackupEvent("hc-reg-" + rid + "-" + kind, Source.HEALTHCHECKS, type, outcome, at, at, JOB, rid, null,
                outcome == Outcome.FAILED ? new ErrorInfo("1", "failed") : null, Map.of(), null);
    }

    /**
     * healthchecks lets a client pick its run ids by "a deterministic process", the same one every run: each run's
     * failure counts and is told again after a success, while a retried call of the same ping (same id within
     * seconds) is one.
     */
    @Test
    void aRunIdReusedRunAfterRunCountsEachRun() {
        start(Map.of());
        String rid = "aaaaaaaa-0000-4000-8000-00000000000a";
        rules.send(ridPing(EventType.BACKUP_FINISHED, Outcome.FAILED, T0, rid, "fail"));
        rules.send(ridPing(EventType.BACKUP_FINISHED, Outcome.FAILED, T0.plusSeconds(10), rid, "fail")); // a retry
        rules.send(ridPing(EventType.BACKUP_FINISHED, Outcome.SUCCESS, T0.plusSeconds(3600), rid, "success"));
        rules.send(ridPing(EventType.BACKUP_STARTED, Outcome.NONE, T0.plusSeconds(7200), rid, "start"));
        rules.send(ridPing(EventType.BACKUP_FINISHED, Outcome.FAILED, T0.plusSeconds(7260), rid, "fail"));
        rules.send(ridPing(EventType.BACKUP_STARTED, Outcome.NONE, T0.plusSeconds(10_800), rid, "start"));
        rules.send(ridPing(EventType.BACKUP_FINISHED, Outcome.FAILED, T0.plusSeconds(10_860), rid, "fail"));
        assertThat(rules.alerts()).extracting(Alert::rule, Alert::status).containsExactly(
                org.assertj.core.groups.Tuple.tuple(Rules.FAILED_BACKUP, AlertStatus.FIRING),
                org.assertj.core.groups.Tuple.tuple(Rules.FAILED_BACKUP, AlertStatus.RESOLVED),
                org.assertj.core.groups.Tuple.tuple(Rules.FAILED_BACKUP, AlertStatus.FIRING));
        assertThat(rules.state(JOB).consecutiveFailures()).as("two runs failed since the success").isEqualTo(2);
        rules.send(ridPing(EventType.BACKUP_FINISHED, Outcome.FAILED, T0.plusSeconds(86_400), rid, "fail"));
        assertThat(rules.state(JOB).consecutiveFailures()).as("a run without a start counts too").isEqualTo(3);
    }

    /** A failure retried after curl's longer back-off (minutes) is the same failed run; a day later it is another. */
    @Test
    void aFailureRetriedMinutesLaterIsTheSameRun() {
        start(Map.of());
        String rid = "cccccccc-0000-4000-8000-00000000000c";
        rules.send(ridPing(EventType.BACKUP_FINISHED, Outcome.FAILED, T0, rid, "fail"));
        rules.send(ridPing(EventType.BACKUP_FINISHED, Outcome.FAILED, T0.plusSeconds(120), rid, "fail"));
        rules.send(ridPing(EventType.BACKUP_FINISHED, Outcome.FAILED, T0.plusSeconds(540), rid, "fail"));
        assertThat(rules.state(JOB).consecutiveFailures()).isEqualTo(1);
        rules.send(ridPing(EventType.BACKUP_FINISHED, Outcome.FAILED, T0.plusSeconds(86_400), rid, "fail"));
        assertThat(rules.state(JOB).consecutiveFailures()).isEqualTo(2);
    }

    /**
     * The calls of {@code curl -m 10 --retry 5} against a slow answer land about 12 s apart: each within 30 s of the
     * one before is the same call, however long the retrying lasts.
     */
    @Test
    void retriesOfOnePingKeepBeingOneWhileTheyComeWithinSecondsOfEachOther() {
        start(Map.of());
        String rid = "bbbbbbbb-0000-4000-8000-00000000000b";
        for (int at : new int[] {0, 11, 23, 37, 52}) {
            rules.send(ridPing(EventType.BACKUP_FINISHED, Outcome.FAILED, T0.plusSeconds(at), rid, "fail"));
        }
        assertThat(rules.state(JOB).consecutiveFailures()).isEqualTo(1);
        assertThat(rules.alerts()).hasSize(1);
    }

    @Test
    void aFatalErrorAndTheFailedEndOfTheSameRunCountAsOneFailedRun() {
        start(Map.of());
        rules.driver.createInputTopic(Topics.ACCOUNTS, new StringSerializer(),
                VigilSerdes.json(AccountSettings.class).serializer()).pipeInput("3723707",
                new AccountSettings("3723707", "acme", null, 3, T0.minus(Duration.ofDays(90)), true, T0));
        for (int run = 0; run < 3; run++) {
            Instant at = T0.plus(Duration.ofHours(run));
            rules.send(ping("start" + run, EventType.BACKUP_STARTED, Outcome.NONE, at, Map.of()));
            rules.send(ping("fatal" + run, EventType.FATAL_ERROR, Outcome.FAILED, at.plusSeconds(10), Map.of()));
            rules.send(ping("end" + run, EventType.BACKUP_FINISHED, Outcome.FAILED, at.plusSeconds(20), Map.of()));
            assertThat(rules.state(JOB).consecutiveFailures()).isEqualTo(run + 1);
            if (run < 2) {
                assertThat(rules.alerts()).as("run %d of 3", run + 1).isEmpty();
            }
        }
        assertThat(rules.alerts()).extracting(Alert::rule, Alert::status)
                .containsExactly(org.assertj.core.groups.Tuple.tuple(Rules.FAILED_BACKUP, AlertStatus.FIRING));
    }

    @Test
    void callsWithoutAStartAreOneRunEachAndARunIdIsOneRun() {
        start(Map.of());
        rules.send(ping("x1", EventType.BACKUP_FINISHED, Outcome.FAILED, T0, Map.of()));
        rules.send(ping("x2", EventType.BACKUP_FINISHED, Outcome.FAILED, T0.plusSeconds(60), Map.of()));
        assertThat(rules.state(JOB).consecutiveFailures()).isEqualTo(2);
        BackupEvent a = ping("r1", EventType.FATAL_ERROR, Outcome.FAILED, T0.plusSeconds(120), Map.of());
        BackupEvent b = ping("r2", EventType.BACKUP_FINISHED, Outcome.FAILED, T0.plusSeconds(121), Map.of());
        rules.send(new BackupEvent(a.id(), a.source(), a.type(), a.outcome(), a.occurredAt(), a.receivedAt(), JOB,
                "run-7", null, a.error(), Map.of(), null));
        rules.send(new BackupEvent(b.id(), b.source(), b.type(), b.outcome(), b.occurredAt(), b.receivedAt(), JOB,
                "run-7", null, b.error(), Map.of(), null));
        assertThat(rules.state(JOB).consecutiveFailures()).isEqualTo(3);
    }

    /** A run id that cannot be written as UTF-8 (a lone surrogate) is still one run once the state is stored. */
    @Test
    void aRunIdWithALoneSurrogateIsStillOneRun() {
        start(Map.of());
        BackupEvent a = ping("s1", EventType.FATAL_ERROR, Outcome.FAILED, T0, Map.of());
        BackupEvent b = ping("s2", EventType.BACKUP_FINISHED, Outcome.FAILED, T0.plusSeconds(1), Map.of());
        rules.send(new BackupEvent(a.id(), a.source(), a.type(), a.outcome(), a.occurredAt(), a.receivedAt(), JOB,
                "run-\uD800", null, a.error(), Map.of(), null));
        rules.send(new BackupEvent(b.id(), b.source(), b.type(), b.outcome(), b.occurredAt(), b.receivedAt(), JOB,
                "run-\uD800", null, b.error(), Map.of(), null));
        assertThat(rules.state(JOB).consecutiveFailures()).isEqualTo(1);
        assertThat(rules.state(JOB).lastFailedRunId()).isEqualTo("run-\uFFFD");
    }

    /**
     * An attribute value that cannot be written as UTF-8 (JSON's escape of one half of a pair; Jackson refuses one in a
     * name) is an alert's detail in the same well-formed form in the alert and in the state.
     */
    @Test
    void anAttributeWithALoneSurrogateIsTheSameInTheAlertAndTheState() {
        start(Map.of());
        BackupEvent check = ping("sc1", EventType.SCRIPT_CHECK_FAILED, Outcome.NONE, T0, Map.of("k", "vLONE",
                "reason", "no media"));
        String json = new String(dev.vigil.model.Json.write(check), java.nio.charset.StandardCharsets.UTF_8)
                .replace("vLONE", "v\\udc00");
        rules.rawEvents.pipeInput(JOB.asString(), json.getBytes(java.nio.charset.StandardCharsets.UTF_8),
                check.receivedAt());
        assertThat(rules.alerts()).singleElement().satisfies(alert -> assertThat(alert.details())
                .containsEntry("k", "v\uFFFD"));
        assertThat(rules.state(JOB).openAlerts().values()).singleElement().satisfies(alert -> assertThat(alert.details())
                .containsEntry("k", "v\uFFFD"));
    }

    @Test
    void aDeadlineInsideAGatewayOutageWaitsForTheHeldBackHooks() {
        start(Map.of());
        rules.send(ping("o1", EventType.BACKUP_FINISHED, Outcome.SUCCESS, T0, period("30s")));
        rules.heartbeats(T0, T0.plusSeconds(20), Duration.ofSeconds(1));
        // the gateway is down from +20 s to +85 s; the run at +30 s waits in the client
        rules.heartbeats(T0.plusSeconds(85), T0.plusSeconds(100), Duration.ofSeconds(1));
        assertThat(rules.alerts()).as("the deadline at +35 s fell into the outage: it waits").isEmpty();
        rules.send(new BackupEvent("o2", Source.GENERIC, EventType.BACKUP_FINISHED, Outcome.SUCCESS,
                T0.plusSeconds(30), T0.plusSeconds(101), JOB, null, null, null, period("30s"), null));
        rules.heartbeats(T0.plusSeconds(101), T0.plusSeconds(160), Duration.ofSeconds(1));
        assertThat(rules.alerts()).as("the held-back run arrived: no false alarm, and no verdict on +60 s while settling"
                + " (the outage's, from +85 s, and the held hook's, from its receipt at +101 s)").isEmpty();
        rules.heartbeats(T0.plusSeconds(161), T0.plusSeconds(166), Duration.ofSeconds(1));
        Alert missed = rules.alerts.readValue();
        assertThat(missed.rule()).isEqualTo(Rules.MISSED_SCHEDULE);
        assertThat(missed.details()).containsEntry("expectedAt", T0.plusSeconds(60).toString());
        assertThat(missed.summary()).contains("Vigil itself was not receiving hooks from");
    }

    /** An event that happened at {@code at} and reached Vigil at {@code received} (held back by its client). */
    private static BackupEvent late(String id, EventType type, Outcome outcome, Instant at, Instant received,
                                    Map<String, String> attributes) {
        return new BackupEvent(id, Source.GENERIC, type, outcome, at, received, JOB, null, null,
                outcome == Outcome.FAILED ? new ErrorInfo("1", "failed") : null, attributes, null);
    }

    /**
     * A client's own outage: its spool arrives while Vigil runs, hook by hook. A start older than the maximum run time
     * is not told as unfinished before the rest of the spool could arrive (the outage settle after its receipt); its
     * end arriving then ends it, and a start whose end never comes is told after that wait.
     */
    @Test
    void aStartItsClientHeldBackWaitsForTheRestOfTheSpool() {
        start(Map.of());
        rules.heartbeats(T0, T0.plusSeconds(200), Duration.ofSeconds(1));
        rules.send(late("held-start", EventType.BACKUP_STARTED, Outcome.NONE, T0.plusSeconds(50), T0.plusSeconds(200),
                Map.of()));
        rules.heartbeats(T0.plusSeconds(201), T0.plusSeconds(205), Duration.ofSeconds(1));
        assertThat(rules.alerts()).as("due 90 s after its start, long past: it waits for the spool").isEmpty();
        rules.send(late("held-end", EventType.BACKUP_FINISHED, Outcome.SUCCESS, T0.plusSeconds(60), T0.plusSeconds(206),
                Map.of()));
        rules.heartbeats(T0.plusSeconds(206), T0.plusSeconds(300), Duration.ofSeconds(1));
        assertThat(rules.alerts()).as("its end came").isEmpty();

        rules.send(late("lone-start", EventType.BACKUP_STARTED, Outcome.NONE, T0.plusSeconds(100), T0.plusSeconds(301),
                Map.of()));
        rules.heartbeats(T0.plusSeconds(302), T0.plusSeconds(360), Duration.ofSeconds(1));
        assertThat(rules.alerts()).as("until 60 s after its receipt").isEmpty();
        rules.heartbeats(T0.plusSeconds(361), T0.plusSeconds(363), Duration.ofSeconds(1));
        Alert failed = rules.alerts.readValue();
        assertThat(failed.rule()).isEqualTo(Rules.FAILED_BACKUP);
        assertThat(failed.details()).containsEntry("startedAt", T0.plusSeconds(100).toString());
    }

    /**
     * A job that really went quiet is told while its client is offline; when the client's spool of the runs it made
     * meanwhile arrives hook by hook, the runs still in the spool are not told as missed in between.
     */
    @Test
    void aClientsSpoolOfMissedRunsResolvesWithoutFlapping() {
        start(Map.of());
        rules.send(ping("r0", EventType.BACKUP_FINISHED, Outcome.SUCCESS, T0, period("30s")));
        rules.heartbeats(T0, T0.plusSeconds(40), Duration.ofSeconds(1));
        assertThat(rules.alerts()).extracting(Alert::rule, Alert::status)
                .containsExactly(org.assertj.core.groups.Tuple.tuple(Rules.MISSED_SCHEDULE, AlertStatus.FIRING));
        rules.heartbeats(T0.plusSeconds(41), T0.plusSeconds(200), Duration.ofSeconds(1));
        rules.alerts();
        Instant received = T0.plusSeconds(201);
        for (int run = 1; run <= 5; run++) { // runs at +30 ... +150, two seconds apart
            rules.send(late("r" + run, EventType.BACKUP_FINISHED, Outcome.SUCCESS, T0.plusSeconds(30L * run), received,
                    period("30s")));
            rules.heartbeats(received, received.plusSeconds(1), Duration.ofSeconds(1));
            received = received.plusSeconds(2);
        }
        assertThat(rules.alerts()).extracting(Alert::rule, Alert::status)
                .containsExactly(org.assertj.core.groups.Tuple.tuple(Rules.MISSED_SCHEDULE, AlertStatus.RESOLVED));
        rules.heartbeats(received, T0.plusSeconds(260), Duration.ofSeconds(1));
        assertThat(rules.alerts()).as("the next run is due at +185 s, held until 60 s after the last hook").isEmpty();
        rules.heartbeats(T0.plusSeconds(261), T0.plusSeconds(275), Duration.ofSeconds(1));
        assertThat(rules.alerts()).extracting(Alert::rule, Alert::status)
                .containsExactly(org.assertj.core.groups.Tuple.tuple(Rules.MISSED_SCHEDULE, AlertStatus.FIRING));
    }

    /**
     * A hold that puts several expected runs' deadlines at one instant: each is judged in turn, none is lost. A run a
     * client held back, early within the tolerance of its every-minute cron, fulfils the first expected run; the next
     * (+120 s), due within the same hold, is still told.
     */
    @Test
    void deadlinesTheHoldPutsAtOneInstantAreEachJudged() {
        start(Map.of());
        Map<String, String> everyMinute = Map.of("schedule.kind", "registration", "schedule.cron", "* * * * *");
        rules.heartbeats(T0, T0.plusSeconds(200), Duration.ofSeconds(1));
        rules.send(late("m1", EventType.BACKUP_FINISHED, Outcome.SUCCESS, T0.plusSeconds(55), T0.plusSeconds(200),
                everyMinute));
        rules.heartbeats(T0.plusSeconds(201), T0.plusSeconds(259), Duration.ofSeconds(1));
        assertThat(rules.alerts()).isEmpty();
        rules.heartbeats(T0.plusSeconds(260), T0.plusSeconds(266), Duration.ofSeconds(1));
        Alert missed = rules.alerts.readValue();
        assertThat(missed.rule()).isEqualTo(Rules.MISSED_SCHEDULE);
        assertThat(missed.details()).containsEntry("expectedAt", T0.plusSeconds(120).toString());
        assertThat(missed.startsAt()).as("dated by its deadline, not by the hold").isEqualTo(T0.plusSeconds(125));
        assertThat(rules.state(JOB).missedRuns()).as("+120, +180 and +240 s, judged one after another").isEqualTo(3);
        assertThat(rules.state(JOB).nextRunAt()).isEqualTo(T0.plusSeconds(300));
    }

    /**
     * A spool holding a run that never ended and the next run: the first is told as unfinished when the next one's
     * start shows it ran out of time, and the next run's success resolves that.
     */
    @Test
    void aStartAfterTheOpenRunRanOutOfTimeTellsThatRunAtOnce() {
        start(Map.of());
        rules.heartbeats(T0, T0.plusSeconds(300), Duration.ofSeconds(1));
        rules.send(late("s1", EventType.BACKUP_STARTED, Outcome.NONE, T0, T0.plusSeconds(300), Map.of()));
        rules.send(late("s2", EventType.BACKUP_STARTED, Outcome.NONE, T0.plusSeconds(100), T0.plusSeconds(300), Map.of()));
        rules.send(late("e2", EventType.BACKUP_FINISHED, Outcome.SUCCESS, T0.plusSeconds(110), T0.plusSeconds(300),
                Map.of()));
        List<Alert> alerts = rules.alerts();
        assertThat(alerts).extracting(Alert::rule, Alert::status).containsExactly(
                org.assertj.core.groups.Tuple.tuple(Rules.FAILED_BACKUP, AlertStatus.FIRING),
                org.assertj.core.groups.Tuple.tuple(Rules.FAILED_BACKUP, AlertStatus.RESOLVED));
        assertThat(alerts.get(0).details()).containsEntry("startedAt", T0.toString());
        assertThat(alerts.get(0).startsAt()).isEqualTo(T0.plusSeconds(90));
        rules.heartbeats(T0.plusSeconds(301), T0.plusSeconds(400), Duration.ofSeconds(1));
        assertThat(rules.alerts()).isEmpty();
    }

    /**
     * Retrospect's handler sends the live call before its spool: the running run's start, then an earlier run's start
     * and end. The earlier run is history and its end counted; the running run stays watched and is told when it hangs.
     */
    @Test
    void anEarlierRunsSpoolAfterALiveStartLeavesTheLiveRunWatched() {
        start(Map.of());
        rules.heartbeats(T0, T0.plusSeconds(400), Duration.ofSeconds(1));
        rules.send(late("live", EventType.BACKUP_STARTED, Outcome.NONE, T0.plusSeconds(400), T0.plusSeconds(400), Map.of()));
        rules.send(late("old-s", EventType.BACKUP_STARTED, Outcome.NONE, T0.plusSeconds(10), T0.plusSeconds(401), Map.of()));
        rules.send(late("old-e", EventType.BACKUP_FINISHED, Outcome.SUCCESS, T0.plusSeconds(60), T0.plusSeconds(402),
                Map.of()));
        assertThat(rules.state(JOB).runningSince()).isEqualTo(T0.plusSeconds(400));
        assertThat(rules.state(JOB).lastEndAt()).as("the earlier run is counted").isEqualTo(T0.plusSeconds(60));
        assertThat(rules.history(JOB)).extracting(JobState.Entry::eventId).contains("old-s", "old-e");
        assertThat(rules.alerts()).isEmpty();
        rules.heartbeats(T0.plusSeconds(401), T0.plusSeconds(495), Duration.ofSeconds(1));
        Alert hung = rules.alerts.readValue();
        assertThat(hung.summary()).contains("has not finished");
        assertThat(hung.details()).containsEntry("startedAt", T0.plusSeconds(400).toString());
    }

    /** A record stamped far ahead of Vigil's ingest (not the gateway's clock) holds nothing. */
    @Test
    void aReceiveTimeFarAheadOfTheWatermarkHoldsNothing() {
        start(Map.of());
        rules.heartbeats(T0, T0.plusSeconds(10), Duration.ofSeconds(1));
        Instant farAhead = Instant.parse("9000-01-01T00:00:00Z");
        // dated a day before it (within the 30 days a source's own time is believed), so it would count as held back
        rules.send(late("s", EventType.BACKUP_STARTED, Outcome.NONE, farAhead.minusSeconds(86_400), farAhead, Map.of()));
        assertThat(rules.state(JOB).runningSince()).isEqualTo(farAhead.minusSeconds(86_400));
        assertThat(rules.state(JOB).heldUntil()).isNull();
    }

    /** Only run hooks hold verdicts: logs a client sends with a slow clock cannot put off a hung run's verdict. */
    @Test
    void logsFromASlowClockDoNotPutOffAVerdict() {
        start(Map.of());
        rules.send(ping("s", EventType.BACKUP_STARTED, Outcome.NONE, T0, Map.of()));
        for (int i = 0; i < 20; i++) {
            Instant now = T0.plusSeconds(5L * i);
            rules.send(late("log" + i, EventType.LOG, Outcome.NONE, now.minusSeconds(120), now, Map.of()));
            rules.heartbeats(now, now.plusSeconds(4), Duration.ofSeconds(1));
        }
        assertThat(rules.alerts()).extracting(Alert::rule).containsExactly(Rules.FAILED_BACKUP);
    }

    @Test
    void aJobThatReallyDidNotRunDuringAnOutageIsToldAfterTheSettleTime() {
        start(Map.of());
        rules.send(ping("o1", EventType.BACKUP_FINISHED, Outcome.SUCCESS, T0, period("30s")));
        rules.heartbeats(T0, T0.plusSeconds(20), Duration.ofSeconds(1));
        rules.heartbeats(T0.plusSeconds(85), T0.plusSeconds(144), Duration.ofSeconds(1));
        assertThat(rules.alerts()).isEmpty();
        rules.heartbeats(T0.plusSeconds(145), T0.plusSeconds(147), Duration.ofSeconds(1));
        Alert missed = rules.alerts.readValue();
        assertThat(missed.details()).containsEntry("expectedAt", T0.plusMillis(30_123).toString())
                .containsKey("vigilOutage");
    }

    @ParameterizedTest
    @CsvSource({
            // zone, cron, after, expected next runs (cron(8): the skipped time right after the jump, a repeated one once)
            "Europe/Zurich, 30 2 * * *, 2026-03-28T12:00:00+01:00, 2026-03-29T03:00+02:00 2026-03-30T02:30+02:00",
            "Europe/Zurich, 30 2 * * *, 2026-10-24T12:00:00+02:00, 2026-10-25T02:30+02:00 2026-10-26T02:30+01:00",
            "America/New_York, 30 2 * * *, 2026-03-07T12:00:00-05:00, 2026-03-08T03:00-04:00 2026-03-09T02:30-04:00",
            "America/New_York, 30 1 * * *, 2026-10-31T12:00:00-04:00, 2026-11-01T01:30-04:00 2026-11-02T01:30-05:00",
            "Europe/Zurich, 0 3 * * *, 2026-03-28T12:00:00+01:00, 2026-03-29T03:00+02:00 2026-03-30T03:00+02:00",
            // wildcards in the hour run "based on the new time": the skipped 02:30 is not expected, both 02:30s are
            "Europe/Zurich, 30 * * * *, 2026-03-29T01:45:00+01:00, 2026-03-29T03:30+02:00 2026-03-29T04:30+02:00",
            "Europe/Zurich, 30 * * * *, 2026-10-25T01:45:00+02:00, 2026-10-25T02:30+02:00 2026-10-25T02:30+01:00",
            // both day fields restricted: a day matching either runs (the 1st of the month, and every Monday)
            "UTC, 0 2 1 * 1, 2026-11-30T12:00:00Z, 2026-12-01T02:00Z 2026-12-07T02:00Z 2026-12-14T02:00Z",
            "UTC, 0 0 29 2 1, 2026-11-30T12:00:00Z, 2027-02-01T00:00Z 2027-02-08T00:00Z",
            "Europe/Zurich, 0 3 13 * 5, 2026-11-12T12:00:00+01:00, 2026-11-13T03:00+01:00 2026-11-20T03:00+01:00",
            // a day field starting with * is not restricted (cron(8)): both must match
            "UTC, 0 2 */2 * 1, 2026-11-30T12:00:00Z, 2026-12-07T02:00Z 2026-12-21T02:00Z",
    })
    void cronFollowsDebianCronAcrossDaylightSavingTime(String zone, String cron, String after, String expected) {
        Schedule schedule = Schedule.cron(cron, zone, "registration");
        Instant at = ZonedDateTime.parse(after).toInstant();
        String[] runs = expected.split(" ");
        for (String run : runs) {
            at = schedule.next(at);
            assertThat(at).isEqualTo(java.time.OffsetDateTime.parse(run).toInstant());
        }
    }

    @Test
    void onTheSpringForwardDayAJobThatDidNotRunIsToldRightAfterTheJump() {
        start(Map.of("vigil.rules.schedule.start-grace", "30m", "vigil.rules.schedule.tolerance", "15m",
                "vigil.rules.schedule.ingest-gap", "3650d"));
        Instant saturday = ZonedDateTime.parse("2026-03-28T02:30:00+01:00").toInstant();
        rules.send(rules.event(JOB, EventType.BACKUP_FINISHED, Outcome.SUCCESS, saturday,
                Map.of("schedule.kind", "registration", "schedule.cron", "30 2 * * *", "schedule.zone", "Europe/Zurich")));
        assertThat(rules.state(JOB).nextRunAt()).isEqualTo(ZonedDateTime.parse("2026-03-29T03:00:00+02:00").toInstant());
        rules.heartbeat(ZonedDateTime.parse("2026-03-29T03:29:00+02:00").toInstant());
        assertThat(rules.alerts()).isEmpty();
        rules.heartbeat(ZonedDateTime.parse("2026-03-29T03:31:00+02:00").toInstant());
        assertThat(rules.alerts()).extracting(Alert::rule).containsExactly(Rules.MISSED_SCHEDULE);
    }

    @Test
    void onTheFallBackDayTheRepeatedTimeIsExpectedOnce() {
        start(Map.of("vigil.rules.schedule.start-grace", "30m", "vigil.rules.schedule.tolerance", "15m",
                "vigil.rules.schedule.ingest-gap", "3650d"));
        Map<String, String> registration = Map.of("schedule.kind", "registration", "schedule.cron", "30 2 * * *",
                "schedule.zone", "Europe/Zurich");
        rules.send(rules.event(JOB, EventType.BACKUP_FINISHED, Outcome.SUCCESS,
                ZonedDateTime.parse("2026-10-25T02:31:00+02:00").toInstant(), registration));
        rules.heartbeat(ZonedDateTime.parse("2026-10-25T03:30:00+01:00").toInstant());
        assertThat(rules.alerts()).as("02:30 CET is the same 02:30, already run").isEmpty();
        assertThat(rules.state(JOB).nextRunAt()).isEqualTo(ZonedDateTime.parse("2026-10-26T02:30:00+01:00").toInstant());
    }

    @Test
    void aChangedScheduleOnTheRegistrationReplacesTheOldOneAndARemovedOneExpectsNothing() {
        start(Map.of("vigil.rules.schedule.ingest-gap", "3650d", "vigil.rules.schedule.start-grace", "30m",
                "vigil.rules.schedule.tolerance", "15m"));
        Map<String, String> at2 = Map.of("schedule.kind", "registration", "schedule.cron", "0 2 * * *", "schedule.zone", "UTC");
        Map<String, String> at4 = Map.of("schedule.kind", "registration", "schedule.cron", "0 4 * * *", "schedule.zone", "UTC");
        Instant day1 = Instant.parse("2026-05-01T02:00:00Z");
        rules.send(rules.event(JOB, EventType.BACKUP_FINISHED, Outcome.SUCCESS, day1, at2));
        rules.send(rules.event(JOB, EventType.BACKUP_FINISHED, Outcome.SUCCESS, day1.plus(Duration.ofHours(26)), at4));
        assertThat(rules.state(JOB).nextRunAt()).isEqualTo(Instant.parse("2026-05-03T04:00:00Z"));
        rules.heartbeat(Instant.parse("2026-05-03T03:00:00Z"));
        assertThat(rules.alerts()).as("02:00 is no longer expected").isEmpty();
        rules.send(rules.event(JOB, EventType.BACKUP_FINISHED, Outcome.SUCCESS, Instant.parse("2026-05-03T04:00:00Z"),
                Map.of()));
        assertThat(rules.state(JOB).schedule()).isNull();
        rules.heartbeat(Instant.parse("2026-05-10T00:00:00Z"));
        assertThat(rules.alerts()).isEmpty();
    }

    @Test
    void aRetriedHookIsRecognisedAfterManyOthersAndForgottenAfterTheDedupWindow() {
        start(Map.of("vigil.rules.dedup-window", "1h"));
        BackupEvent first = rules.failed(JOB, T0, "disk full");
        rules.send(first);
        for (int i = 0; i < 200; i++) {
            rules.send(rules.event(JOB, EventType.LOG, Outcome.NONE, T0.plusSeconds(i), Map.of()));
        }
        rules.send(new BackupEvent(first.id(), first.source(), first.type(), first.outcome(), first.occurredAt(),
                T0.plusSeconds(300), JOB, null, null, first.error(), Map.of(), null));
        assertThat(rules.state(JOB).consecutiveFailures()).as("the retry after 200 others").isEqualTo(1);
        Instant later = T0.plus(Duration.ofHours(3));
        rules.send(new BackupEvent(first.id(), first.source(), first.type(), first.outcome(), later, later, JOB, null,
                null, first.error(), Map.of(), null));
        assertThat(rules.state(JOB).consecutiveFailures()).as("an id reused after the window is a new run")
                .isEqualTo(2);
    }

    @Test
    void aLateStartAfterItsEndOpensNoRunAndALateVerdictChangesNothing() {
        start(Map.of());
        // the end came live, the start it belongs to was held back in a spool and arrives after it
        rules.send(ping("end", EventType.BACKUP_FINISHED, Outcome.SUCCESS, T0.plusSeconds(40), Map.of()));
        rules.send(ping("start", EventType.BACKUP_STARTED, Outcome.NONE, T0, Map.of()));
        assertThat(rules.state(JOB).runningSince()).isNull();
        rules.heartbeats(T0.plusSeconds(40), T0.plusSeconds(200), Duration.ofSeconds(5));
        assertThat(rules.alerts()).as("no 'has not finished' for a run that ended").isEmpty();

        // an older failure arriving after a newer success: history only
        rules.send(ping("old-fail", EventType.BACKUP_FINISHED, Outcome.FAILED, T0.minusSeconds(600), Map.of()));
        assertThat(rules.alerts()).isEmpty();
        assertThat(rules.state(JOB).consecutiveFailures()).isZero();
        assertThat(rules.history(JOB)).extracting(h -> h.eventId()).contains("old-fail");

        // a newer failure fires; an older success arriving after it does not resolve it
        rules.send(ping("new-fail", EventType.BACKUP_FINISHED, Outcome.FAILED, T0.plusSeconds(300), Map.of()));
        assertThat(rules.alerts()).extracting(Alert::status).containsExactly(AlertStatus.FIRING);
        rules.send(ping("old-ok", EventType.BACKUP_FINISHED, Outcome.SUCCESS, T0.plusSeconds(100), Map.of()));
        assertThat(rules.alerts()).isEmpty();
        assertThat(rules.state(JOB).openAlerts()).containsKey(Rules.FAILED_BACKUP);
    }
}
