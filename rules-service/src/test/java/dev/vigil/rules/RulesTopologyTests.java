package dev.vigil.rules;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.kafka.IngestControl;
import dev.vigil.kafka.VigilSerdes;
import dev.vigil.model.AccountSettings;
import dev.vigil.model.Alert;
import dev.vigil.model.AlertStatus;
import dev.vigil.model.BackupEvent;
import dev.vigil.model.EventType;
import dev.vigil.model.JobKey;
import dev.vigil.model.Measures;
import dev.vigil.model.Outcome;
import dev.vigil.model.Rules;
import dev.vigil.model.Severity;
import dev.vigil.model.Source;
import dev.vigil.model.Topics;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.test.TestRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Every rule through the real topology, with stream time, wall-clock time and gateway heartbeats driven by hand. */
class RulesTopologyTests {

    private static final JobKey STONEY = new JobKey("stoney", "3723707", "laptop");
    private final AtomicInteger ids = new AtomicInteger();
    private TopologyTestDriver driver;
    private TestInputTopic<String, BackupEvent> events;
    private TestOutputTopic<String, Alert> alerts;

    /**
     * The topology with {@code settings}. Heartbeats are sent sparsely here (one stands for a stretch of continuous
     * ingest), so unless a test says otherwise no gap between them counts as an outage of Vigil.
     */
    private void start(Map<String, String> settings) {
        Map<String, String> all = new HashMap<>(Map.of("vigil.rules.schedule.ingest-gap", "3650d"));
        all.putAll(settings);
        StreamsBuilder builder = new StreamsBuilder();
        AlertTopology.build(builder, RulesTestSupport.properties(all), 1);
        Properties config = new Properties();
        config.put(StreamsConfig.APPLICATION_ID_CONFIG, "rules-test");
        config.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "unused:9092");
        driver = new TopologyTestDriver(builder.build(), config, Instant.parse("2014-01-27T00:00:00Z"));
        events = driver.createInputTopic(Topics.EVENTS, new StringSerializer(), VigilSerdes.json(BackupEvent.class).serializer());
        alerts = driver.createOutputTopic(Topics.ALERTS, new StringDeserializer(), VigilSerdes.json(Alert.class).deserializer());
    }

    @AfterEach
    void stop() {
        driver.close();
    }

    @Test
    void s2AMissedCustomScheduleFiresWhenTheWatermarkPassesTheDeadlineAndTheNextRunResolves() {
        start(Map.of("vigil.rules.schedule.start-grace", "2h"));
        send(schedule(STONEY, at("2014-01-27T10:00:00+01:00"), "0 20 * * 1,3,5", "+01:00"));
        send(run(STONEY, EventType.BACKUP_STARTED, Outcome.NONE, at("2014-01-27T20:00:03+01:00")));
        send(run(STONEY, EventType.BACKUP_FINISHED, Outcome.SUCCESS, at("2014-01-27T20:40:00+01:00")));
        heartbeat(at("2014-01-29T21:59:00+01:00"));
        assertThat(alerts.isEmpty()).as("not yet due: Wed 20:00 + 2 h grace").isTrue();

        heartbeat(at("2014-01-30T09:00:00+01:00"));

        Alert missed = alerts.readValue();
        assertThat(missed.rule()).isEqualTo(Rules.MISSED_SCHEDULE);
        assertThat(missed.status()).isEqualTo(AlertStatus.FIRING);
        assertThat(missed.summary()).isEqualTo("Backup laptop of account 3723707 did not run as scheduled at 2014-01-29 20:00 +01:00");
        assertThat(missed.details()).containsEntry("expectedAt", "2014-01-29T19:00:00Z");
        assertThat(alerts.isEmpty()).isTrue();

        send(run(STONEY, EventType.BACKUP_STARTED, Outcome.NONE, at("2014-01-31T20:00:10+01:00")));
        Alert resolved = alerts.readValue();
        assertThat(resolved.status()).isEqualTo(AlertStatus.RESOLVED);
        assertThat(resolved.summary()).startsWith("Backup laptop of account 3723707 ran again (problem lasted");
    }

    @Test
    void whileVigilIsNotIngestingMissedVerdictsAreHeldAndTheBacklogIsSeenFirst() {
        JobKey job = new JobKey("acme", "3723707", "nightly");
        start(Map.of("vigil.rules.schedule.jobs[0].job", job.asString(), "vigil.rules.schedule.jobs[0].cron", "0 2 * * *",
                "vigil.rules.schedule.jobs[0].zone", "UTC"));
        send(run(job, EventType.BACKUP_FINISHED, Outcome.SUCCESS, Instant.parse("2014-01-27T02:05:00Z")));
        heartbeat(Instant.parse("2014-01-27T12:00:00Z"));

        // Vigil's ingest stops (no heartbeats) for a day; the clock goes on.
        driver.advanceWallClockTime(Duration.ofHours(30));
        assertThat(alerts.isEmpty()).as("no verdict without proof that data is complete").isTrue();

        // Ingest resumes: the backlog (the run that did happen) comes before the heartbeats behind it.
        send(run(job, EventType.BACKUP_FINISHED, Outcome.SUCCESS, Instant.parse("2014-01-28T02:03:00Z")));
        heartbeat(Instant.parse("2014-01-28T09:00:00Z"));
        assertThat(alerts.isEmpty()).as("the run happened: no false alarm after our own outage").isTrue();

        // The next day nothing runs: that one is a real miss.
        heartbeat(Instant.parse("2014-01-29T03:30:00Z"));
        assertThat(alerts.readValue().rule()).isEqualTo(Rules.MISSED_SCHEDULE);
    }

    @Test
    void aPeriodOnTheRegistrationExpectsARunEveryPeriod() {
        start(Map.of("vigil.rules.schedule.start-grace", "1h"));
        JobKey job = new JobKey("acme", "3723707", "borg-nightly");
        Instant first = Instant.parse("2014-01-27T02:00:00Z");
        send(event(job, EventType.BACKUP_FINISHED, Outcome.SUCCESS, first,
                Map.of("schedule.kind", "period", "schedule.period", "1d"), null));
        heartbeat(first.plus(Duration.ofHours(24)).plus(Duration.ofMinutes(59)));
        assertThat(alerts.isEmpty()).isTrue();

        heartbeat(first.plus(Duration.ofHours(25)).plusSeconds(1));

        Alert missed = alerts.readValue();
        assertThat(missed.rule()).isEqualTo(Rules.MISSED_SCHEDULE);
        assertThat(missed.details()).containsEntry("schedule", "at least every 1 days");
    }

    @Test
    void aCronOnTheRegistrationIsUsedWhenTheSourceDeclaresNone() {
        start(Map.of());
        JobKey job = new JobKey("acme", "3723707", "WIN7,ERP01");
        send(event(job, EventType.BACKUP_FINISHED, Outcome.SUCCESS, Instant.parse("2014-01-27T22:30:00Z"),
                Map.of("schedule.kind", "registration", "schedule.cron", "30 22 * * *", "schedule.zone", "UTC"), null));
        heartbeat(Instant.parse("2014-01-29T00:00:00Z"));
        assertThat(alerts.readValue().summary())
                .isEqualTo("Backup WIN7,ERP01 of account 3723707 did not run as scheduled at 2014-01-28 22:30 +00:00");
    }

    @Test
    void aRunThatStartedButNeverEndedFailsAfterTheMaximumRunTime() {
        start(Map.of("vigil.rules.schedule.max-run-time", "24h"));
        Instant started = Instant.parse("2014-01-27T20:00:00Z");
        send(run(STONEY, EventType.BACKUP_STARTED, Outcome.NONE, started));
        heartbeat(started.plus(Duration.ofHours(23)));
        assertThat(alerts.isEmpty()).isTrue();

        heartbeat(started.plus(Duration.ofHours(25)));

        Alert failed = alerts.readValue();
        assertThat(failed.rule()).isEqualTo(Rules.FAILED_BACKUP);
        assertThat(failed.severity()).isEqualTo(Severity.CRITICAL);
        assertThat(failed.summary()).contains("has not finished after 1 d 0 h");
        send(run(STONEY, EventType.BACKUP_FINISHED, Outcome.SUCCESS, started.plus(Duration.ofHours(26))));
        assertThat(alerts.readValue().status()).isEqualTo(AlertStatus.RESOLVED);
    }

    @Test
    void s3QuotaOverTheThresholdFiresAndResolvesOnlyBelowTheHysteresis() {
        start(Map.of());
        JobKey quota = new JobKey("stoney", "3723707", "quota");
        send(quota(quota, 7800 + 900, Instant.parse("2014-01-27T08:00:00Z")));     // 84.96 %
        Alert firing = alerts.readValue();
        assertThat(firing.rule()).isEqualTo(Rules.QUOTA);
        assertThat(firing.summary()).isEqualTo("Backup storage of account 3723707 is almost full (85% used: 8.5 GiB of 10.0 GiB)");

        send(quota(quota, 7_900, Instant.parse("2014-01-27T09:00:00Z")));           // 77 %: inside the band
        assertThat(alerts.readValuesToList()).noneMatch(a -> a.rule().equals(Rules.QUOTA));

        send(quota(quota, 7_000, Instant.parse("2014-01-27T10:00:00Z")));           // 68 %
        assertThat(alerts.readValuesToList()).filteredOn(a -> a.rule().equals(Rules.QUOTA))
                .extracting(Alert::status).containsExactly(AlertStatus.RESOLVED);
    }

    @Test
    void aQuotaGrowingTowardsFullIsForecastDaysAhead() {
        start(Map.of("vigil.rules.quota.threshold-percent", "99"));
        JobKey quota = new JobKey("stoney", "3723707", "quota");
        for (int day = 0; day < 4; day++) {
            send(quota(quota, 5_000 + day * 1_000, Instant.parse("2014-01-20T08:00:00Z").plus(Duration.ofDays(day))));
        }
        Alert forecast = alerts.readValuesToList().stream().filter(a -> a.rule().equals(Rules.QUOTA_FORECAST))
                .findFirst().orElseThrow();
        assertThat(forecast.summary()).isEqualTo("Backup storage of account 3723707 will be full in about 3 days at its current growth");
    }

    @Test
    void aRunMuchSmallerThanItsBaselineIsAnAnomalyAndAnOrdinaryRunResolvesIt() {
        start(Map.of());
        JobKey job = new JobKey("acme", "3723707", "Daily Backup/My Computer/Mac HD");
        Instant t = Instant.parse("2014-01-20T20:00:00Z");
        for (int i = 0; i < 6; i++) {
            send(finished(job, 2_000_000_000L + i * 10_000_000L, 10_000L + i, 1_800L + i, t.plus(Duration.ofDays(i))));
        }
        assertThat(alerts.isEmpty()).isTrue();

        send(finished(job, 12_000_000L, 40L, 30L, t.plus(Duration.ofDays(6))));
        Alert anomaly = alerts.readValue();
        assertThat(anomaly.rule()).isEqualTo(Rules.ANOMALY);
        assertThat(anomaly.summary()).startsWith("Backup Daily Backup/My Computer/Mac HD of account 3723707 looks unusual: bytes 11 MiB against a usual 1.9 GiB (much less)");

        send(finished(job, 2_010_000_000L, 10_002L, 1_801L, t.plus(Duration.ofDays(7))));
        assertThat(alerts.readValue().status()).isEqualTo(AlertStatus.RESOLVED);
    }

    @Test
    void retrospectsOwnAnomalyAlertIsRaisedAsItIs() {
        start(Map.of());
        send(event(new JobKey("acme", "3723707", "Daily/JG's MacBook/Mac HD"), EventType.ANOMALY, Outcome.WARNING,
                Instant.parse("2014-01-27T20:00:00Z"), Map.of("watchedFiles", "5000", "changedFiles", "1200",
                        "changedPercent", "24"), null));
        assertThat(alerts.readValue().summary()).isEqualTo(
                "Retrospect found unusual changes in Daily/JG's MacBook/Mac HD: 1200 of 5000 watched files changed (24 %)");
    }

    @Test
    void repeatedFailedLoginsAreASecuritySignalUntilALoginSucceeds() {
        start(Map.of());
        JobKey job = new JobKey("acme", "3723707", "Suzy's iMac");
        send(event(job, EventType.LOGIN, Outcome.FAILED, Instant.parse("2014-01-27T20:00:00Z"), Map.of("attempts", "7"), null));
        Alert login = alerts.readValue();
        assertThat(login.severity()).isEqualTo(Severity.CRITICAL);
        assertThat(login.summary()).isEqualTo("7 failed password attempts for Suzy's iMac");
        send(event(job, EventType.LOGIN, Outcome.SUCCESS, Instant.parse("2014-01-27T21:00:00Z"), Map.of("attempts", "1"), null));
        assertThat(alerts.readValue().status()).isEqualTo(AlertStatus.RESOLVED);
    }

    @Test
    void scriptCheckFailedAndACutOffScriptAreRaised() {
        start(Map.of());
        JobKey job = new JobKey("acme", "3723707", "Weekly Backup");
        send(event(job, EventType.SCRIPT_CHECK_FAILED, Outcome.WARNING, Instant.parse("2014-01-27T20:00:00Z"),
                Map.of("reason", "no media", "nextRunAt", "2014-01-28T22:00:00Z"), null));
        send(event(job, EventType.SCHEDULED_STOP, Outcome.WARNING, Instant.parse("2014-01-27T21:00:00Z"), Map.of(), null));
        assertThat(alerts.readValuesToList()).extracting(Alert::rule).containsExactly(Rules.SCRIPT_CHECK, Rules.SCHEDULE_CUT);
    }

    @Test
    void waitingTooLongForMediaIsRaisedAndANewRequestCycleClearsIt() {
        start(Map.of());
        JobKey set = new JobKey("acme", "3723707", "Backup Set A");
        send(event(set, EventType.MEDIA_REQUEST, Outcome.NONE, Instant.parse("2014-01-27T20:00:00Z"),
                Map.of("waitedMinutes", "30", "member", "1-Backup Set A"), null));
        assertThat(alerts.isEmpty()).isTrue();
        send(event(set, EventType.MEDIA_REQUEST, Outcome.NONE, Instant.parse("2014-01-27T20:35:00Z"),
                Map.of("waitedMinutes", "65", "member", "1-Backup Set A"), null));
        assertThat(alerts.readValue().summary()).isEqualTo("Retrospect has been waiting 65 minutes for media of Backup Set A (1-Backup Set A)");
        send(event(set, EventType.MEDIA_REQUEST, Outcome.NONE, Instant.parse("2014-01-28T20:00:00Z"),
                Map.of("waitedMinutes", "0", "member", "2-Backup Set A"), null));
        assertThat(alerts.readValue().status()).isEqualTo(AlertStatus.RESOLVED);
    }

    @Test
    void aClientOlderThanTheMinimumIsReported() {
        start(Map.of("vigil.rules.client-versions[Sepiola Online Backup Client]", "2.4.0"));
        send(event(STONEY, EventType.BACKUP_STARTED, Outcome.NONE, Instant.parse("2014-01-27T20:00:00Z"),
                Map.of("client.identifier", "Sepiola Online Backup Client", "client.version", "2.3.9"), null));
        Alert old = alerts.readValue();
        assertThat(old.rule()).isEqualTo(Rules.CLIENT_TOO_OLD);
        assertThat(old.severity()).isEqualTo(Severity.INFO);
    }

    @Test
    void anAccountsOwnSettingsFromTheDirectoryWinOverTheDefaults() {
        start(Map.of());
        accounts().pipeInput("3723707", new AccountSettings("3723707", "stoney", 90.0, 2, Instant.parse("2013-01-01T00:00:00Z"),
                true, Instant.parse("2014-01-27T00:00:00Z")));
        send(run(STONEY, EventType.BACKUP_FINISHED, Outcome.FAILED, Instant.parse("2014-01-27T20:00:00Z")));
        send(quota(new JobKey("stoney", "3723707", "quota"), 8_700, Instant.parse("2014-01-27T21:00:00Z")));
        assertThat(alerts.isEmpty()).as("one failure of two allowed; 85 %% under the account's 90 %%").isTrue();

        send(run(STONEY, EventType.BACKUP_FINISHED, Outcome.FAILED, Instant.parse("2014-01-28T20:00:00Z")));
        Alert failed = alerts.readValue();
        assertThat(failed.rule()).isEqualTo(Rules.FAILED_BACKUP);
        assertThat(failed.details()).containsEntry("failureThreshold", "2");
    }

    @Test
    void anAccountThatNeverSentAnythingIsReportedAndItsFirstEventResolvesIt() {
        start(Map.of("vigil.rules.never-used.after", "30d"));
        accounts().pipeInput("4711", new AccountSettings("4711", "stoney", null, null,
                driverNow().minus(Duration.ofDays(40)), true, driverNow()));
        accounts().pipeInput("4712", new AccountSettings("4712", "stoney", null, null,
                driverNow().minus(Duration.ofDays(3)), true, driverNow()));
        driver.advanceWallClockTime(Duration.ofMinutes(1));
        assertThat(alerts.isEmpty()).as("no heartbeat yet: nothing is judged").isTrue();
        heartbeat(driverNow());
        driver.advanceWallClockTime(Duration.ofMinutes(1));

        Alert never = alerts.readValue();
        assertThat(never.rule()).isEqualTo(Rules.NEVER_USED);
        assertThat(never.job().account()).isEqualTo("4711");
        assertThat(never.summary()).isEqualTo("Account 4711 has not sent a single backup in the 40 days since it was created");
        assertThat(alerts.isEmpty()).as("4712 is only 3 days old").isTrue();

        send(run(new JobKey("stoney", "4711", "laptop"), EventType.BACKUP_STARTED, Outcome.NONE, driverNow()));
        driver.advanceWallClockTime(Duration.ofMinutes(1));
        assertThat(alerts.readValuesToList()).extracting(Alert::status).containsExactly(AlertStatus.RESOLVED);

        accounts().pipeInput("4713", new AccountSettings("4713", "stoney", null, null,
                driverNow().minus(Duration.ofDays(50)), true, driverNow()));
        driver.advanceWallClockTime(Duration.ofMinutes(1));
        assertThat(alerts.readValue().job().account()).isEqualTo("4713");
        accounts().pipeInput("4713", null);
        driver.advanceWallClockTime(Duration.ofMinutes(1));
        Alert gone = alerts.readValue();
        assertThat(gone.status()).isEqualTo(AlertStatus.RESOLVED);
        assertThat(gone.summary()).isEqualTo("Account 4713 was removed from the directory");
    }

    private Instant driverNow() {
        return Instant.parse("2014-01-27T00:00:00Z");
    }

    private TestInputTopic<String, AccountSettings> accounts() {
        return driver.createInputTopic(Topics.ACCOUNTS, new StringSerializer(), VigilSerdes.json(AccountSettings.class).serializer());
    }

    /** A heartbeat as the gateway writes it: the reserved job, the control header, its stamp as record time. */
    private void heartbeat(Instant at) {
        BackupEvent beat = new BackupEvent("hb-" + ids.incrementAndGet(), Source.GENERIC, EventType.HEARTBEAT,
                Outcome.NONE, at, at, new JobKey("vigil", "gateway", "g1"), null, null, null, Map.of(), null);
        RecordHeaders headers = new RecordHeaders();
        headers.add(IngestControl.HEADER, IngestControl.HEARTBEAT.getBytes(StandardCharsets.UTF_8));
        events.pipeInput(new TestRecord<>(beat.job().asString(), beat, headers, at));
        driver.advanceWallClockTime(Duration.ofSeconds(1));
    }

    private void send(BackupEvent event) {
        events.pipeInput(event.job().asString(), event, event.receivedAt());
    }

    private BackupEvent run(JobKey job, EventType type, Outcome outcome, Instant at) {
        return event(job, type, outcome, at, Map.of(), null);
    }

    private BackupEvent finished(JobKey job, long bytes, long files, long seconds, Instant at) {
        return event(job, EventType.SOURCE_FINISHED, Outcome.SUCCESS, at, Map.of(),
                new Measures(bytes, files, seconds, 0, null, null));
    }

    private BackupEvent quota(JobKey job, long usedMiB, Instant at) {
        long mib = 1024L * 1024;
        return event(job, EventType.QUOTA_REPORTED, Outcome.NONE, at, Map.of(),
                new Measures(null, null, null, null, usedMiB * mib, 10_240 * mib));
    }

    private BackupEvent schedule(JobKey job, Instant at, String cron, String zone) {
        return event(job, EventType.SCHEDULE_DECLARED, Outcome.NONE, at,
                Map.of("schedule.kind", "custom", "schedule.cron", cron, "schedule.zone", zone), null);
    }

    private BackupEvent event(JobKey job, EventType type, Outcome outcome, Instant at, Map<String, String> attributes,
                              Measures measures) {
        return new BackupEvent("e" + ids.incrementAndGet(), Source.STONEY, type, outcome, at, at, job, null, measures,
                null, new HashMap<>(attributes), null);
    }

    private static Instant at(String offsetDateTime) {
        return OffsetDateTime.parse(offsetDateTime).toInstant();
    }
}
