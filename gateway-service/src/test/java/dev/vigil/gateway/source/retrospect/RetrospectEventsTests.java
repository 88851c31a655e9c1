package dev.vigil.gateway.source.retrospect;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.model.BackupEvent;
import dev.vigil.model.EventType;
import dev.vigil.model.Outcome;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Vectors R1–R10 of the source spec (§4) and the rules of §1.2–§1.5. */
class RetrospectEventsTests {

    static final ZoneId ZURICH = ZoneId.of("Europe/Zurich");
    static final Instant RECEIVED = Instant.parse("2026-11-21T12:00:00Z");

    static BackupEvent parse(String... argv) {
        return RetrospectEvents.toEvent("id", List.of(argv), "engine-01", "mac", "acme", "3723707", "engine", ZURICH,
                RECEIVED, String.join(" ", argv));
    }

    static Instant local(String dateTime) {
        return LocalDateTime.parse(dateTime).atZone(ZURICH).toInstant();
    }

    @Test
    void r1EndSourceSuccessWithMeasuresInBytesAndSeconds() {
        BackupEvent e = parse("EndSource", "Daily Backup", "My Computer/Mac HD", "/Volumes/Mac HD/", "My Computer",
                "216827", "102", "21", "11/21/2016 18:19", "11/21/2016 18:19", "11/21/2016 18:19", "Backup Set A",
                "Normal", "Mac HD", "0", "0", "successful");

        assertThat(e.type()).isEqualTo(EventType.SOURCE_FINISHED);
        assertThat(e.outcome()).isEqualTo(Outcome.SUCCESS);
        assertThat(e.job().job()).isEqualTo("Daily Backup/My Computer/Mac HD");
        assertThat(e.attributes()).containsEntry("client", "My Computer").containsEntry("volume", "Mac HD")
                .doesNotContainKey("malformed");
        assertThat(e.measures().bytes()).isEqualTo(216827L * 1024);
        assertThat(e.measures().files()).isEqualTo(102L);
        assertThat(e.measures().durationSeconds()).isEqualTo(21L);
        assertThat(e.occurredAt()).isEqualTo(local("2016-11-21T18:19"));
        assertThat(e.error()).isNull();
    }

    @Test
    void r2EndScriptWithAFatalCodeFailed() {
        BackupEvent e = parse("EndScript", "Daily Backup", "7", "-530", "backup client not found");

        assertThat(e.type()).isEqualTo(EventType.BACKUP_FINISHED);
        assertThat(e.outcome()).isEqualTo(Outcome.FAILED);
        assertThat(e.measures().errorCount()).isEqualTo(7);
        assertThat(e.error().code()).isEqualTo("-530");
        assertThat(e.error().message()).isEqualTo("backup client not found");
        assertThat(e.occurredAt()).isEqualTo(RECEIVED); // EndScript has no date
        assertThat(e.job().job()).isEqualTo("Daily Backup");
    }

    @Test
    void r3EndScriptWithNonFatalErrorsIsAWarning() {
        BackupEvent e = parse("EndScript", "Daily Backup", "3", "0", "successful");
        assertThat(e.outcome()).isEqualTo(Outcome.WARNING);
        assertThat(e.measures().errorCount()).isEqualTo(3);
    }

    @Test
    void r4StartAppWithATwelveHourDateAndNoInterventionFile() {
        BackupEvent e = parse("StartApp", "2/10/2016 12:01 AM", "true");

        assertThat(e.type()).isEqualTo(EventType.APP_STARTED);
        assertThat(e.occurredAt()).isEqualTo(local("2016-02-10T00:01"));
        assertThat(e.attributes()).containsEntry("autoLaunched", "true").doesNotContainKey("interventionFile")
                .doesNotContainKey("malformed");
    }

    @Test
    void r5FatalBackupErrorWithFiveArgumentsWhoseLastIsTheInterventionFile() {
        BackupEvent e = parse("FatalBackupError", "Weekly Backup", "Device trouble: 1-Backup Set A", "-102",
                "trouble communicating", "/Library/Application Support/Retrospect/intv0000.reh");

        assertThat(e.type()).isEqualTo(EventType.FATAL_ERROR);
        assertThat(e.outcome()).isEqualTo(Outcome.FAILED);
        assertThat(e.error().code()).isEqualTo("-102");
        assertThat(e.attributes()).doesNotContainKey("errorZone")
                .containsEntry("interventionFile", "/Library/Application Support/Retrospect/intv0000.reh");
    }

    @Test
    void r6FatalBackupErrorWithSixArguments() {
        BackupEvent e = parse("FatalBackupError", "Weekly Backup", "Device trouble: 1-Backup Set A", "-102",
                "trouble communicating", "device", "/x/intv0000.reh");

        assertThat(e.attributes()).containsEntry("errorZone", "device").containsEntry("interventionFile", "/x/intv0000.reh");
    }

    @Test
    void fatalBackupErrorWithTheFourArgumentsOfTheShHarnessIsAccepted() {
        BackupEvent e = parse("FatalBackupError", "Weekly Backup", "Device trouble", "-102", "trouble communicating");
        assertThat(e.attributes()).doesNotContainKeys("malformed", "errorZone", "interventionFile");
    }

    @Test
    void r7SchedStopIsAnAliasOfStopSched() {
        BackupEvent e = parse("SchedStop", "Weekly Backup", "11/22/2016 22:00", "/x/intv0000.reh");

        assertThat(e.type()).isEqualTo(EventType.SCHEDULED_STOP);
        assertThat(e.occurredAt()).isEqualTo(local("2016-11-22T22:00"));
        assertThat(e.attributes()).containsEntry("alias", "SchedStop");
    }

    @Test
    void r8PasswordEntryFailedAfterSevenAttempts() {
        BackupEvent e = parse("PasswordEntry", "Suzy's iMac", "7", "-1017", "insufficient permissions");

        assertThat(e.type()).isEqualTo(EventType.LOGIN);
        assertThat(e.outcome()).isEqualTo(Outcome.FAILED);
        assertThat(e.attributes()).containsEntry("attempts", "7");
        assertThat(e.error().code()).isEqualTo("-1017");
        assertThat(e.job().job()).isEqualTo("Suzy's iMac");
    }

    @Test
    void passwordEntrySuccessIsErrCodeZeroWhateverTheAttempts() {
        assertThat(parse("PasswordEntry", "Suzy's iMac", "0", "0", "successful").outcome()).isEqualTo(Outcome.SUCCESS);
        assertThat(parse("PasswordEntry", "Suzy's iMac", "1", "0", "successful").outcome()).isEqualTo(Outcome.SUCCESS);
    }

    @Test
    void r9AnomalyAlertKeepsTheCountsAndNeverTheInterventionFileWritten() {
        BackupEvent e = parse("AnomalyAlert", "Daily", "Mac HD", "/Volumes/Mac HD/", "JG's MacBook", "All Files",
                "5000", "1200", "24", "/x/intv0003.reh");

        assertThat(e.type()).isEqualTo(EventType.ANOMALY);
        assertThat(e.attributes()).containsEntry("watchedFiles", "5000").containsEntry("changedFiles", "1200")
                .containsEntry("changedPercent", "24");
        assertThat(e.job().job()).isEqualTo("Daily/JG's MacBook/Mac HD");
    }

    @Test
    void anomalyValuesNoCountCanBeAreKeptAsideNotUsed() {
        BackupEvent e = parse("AnomalyAlert", "D", "v", "/", "c", "s", "-5", "99999999999999", "NaN", "/x.reh");
        assertThat(e.attributes()).containsEntry("watchedFiles.ignored", "-5").containsEntry("changedFiles",
                "99999999999999").containsEntry("changedPercent.ignored", "NaN")
                .doesNotContainKeys("watchedFiles", "changedPercent");
        assertThat(parse("AnomalyAlert", "D", "v", "/", "c", "s", "10", "2", "120", "/x.reh").attributes())
                .containsEntry("changedPercent.ignored", "120");
        assertThat(parse("AnomalyAlert", "D", "v", "/", "c", "s", "10", "2", "20.5", "/x.reh").attributes())
                .containsEntry("changedPercent", "20.5");
    }

    @Test
    void r10WindowsQuotesAreStripped() {
        BackupEvent e = parse("\"EndScript\"", "\"Nightly\"", "\"0\"", "\"0\"", "\"successful\"");

        assertThat(e.type()).isEqualTo(EventType.BACKUP_FINISHED);
        assertThat(e.outcome()).isEqualTo(Outcome.SUCCESS);
        assertThat(e.job().job()).isEqualTo("Nightly");
    }

    @ParameterizedTest
    @CsvSource({"AppStart,APP_STARTED", "AppEnd,APP_STOPPED", "BackupServerStart,SERVER_STARTED",
            "BackupServerStop,SERVER_STOPPED", "MediaRequestTimedOut,MEDIA_REQUEST_TIMED_OUT", "SchedStop,SCHEDULED_STOP",
            "StopSource,SOURCE_FINISHED", "endscript,BACKUP_FINISHED"})
    void legacyAndMisspelledNamesMapToTheCanonicalEvents(String name, EventType type) {
        assertThat(parse(name, "x").type()).isEqualTo(type);
    }

    @Test
    void missingArgumentsAreFlaggedNotRefused() {
        BackupEvent e = parse("EndScript", "Daily Backup");

        assertThat(e.type()).isEqualTo(EventType.BACKUP_FINISHED);
        assertThat(e.attributes()).containsEntry("malformed", "true")
                .containsEntry("missingArgs", "numErrors,fatalErrCode,fatalErrMsg");
    }

    @Test
    void extraArgumentsAreKept() {
        BackupEvent e = parse("NextExec", "Daily", "11/22/2016 22:00", "surprise");
        assertThat(e.attributes()).containsEntry("extraArgs", "surprise");
        assertThat(e.attributes()).containsEntry("nextRunAt", local("2016-11-22T22:00").toString());
    }

    @Test
    void anUnknownEventIsKeptWithItsRawArguments() {
        BackupEvent e = parse("BrandNewEvent", "a", "b");

        assertThat(e.type()).isEqualTo(EventType.UNKNOWN);
        assertThat(e.attributes()).containsEntry("event", "BrandNewEvent").containsEntry("argv", "a\u001fb");
        assertThat(e.job().job()).isEqualTo("engine");
    }

    @Test
    void mediaRequestWaitIsInMinutesAndTheTimeoutIsAWarning() {
        BackupEvent waiting = parse("MediaRequest", "Backup Set A", "1-Backup Set A", "false", "15", "/x/intv.reh");
        BackupEvent timedOut = parse("TimedOutMediaRequest", "Backup Set A", "1-Backup Set A", "false", "60");

        assertThat(waiting.attributes()).containsEntry("waitedMinutes", "15").containsEntry("mediaIsKnown", "false");
        assertThat(waiting.job().job()).isEqualTo("Backup Set A");
        assertThat(timedOut.outcome()).isEqualTo(Outcome.WARNING);
    }

    @Test
    void scriptCheckFailedCarriesTheNextRunAndTheError() {
        BackupEvent e = parse("ScriptCheckFailed", "Daily", "11/22/2016 22:00", "no media", "-1", "unknown error");

        assertThat(e.type()).isEqualTo(EventType.SCRIPT_CHECK_FAILED);
        assertThat(e.attributes()).containsEntry("nextRunAt", local("2016-11-22T22:00").toString())
                .containsEntry("reason", "no media");
        assertThat(e.error().code()).isEqualTo("-1");
    }

    @ParameterizedTest
    @CsvSource(delimiter = ';', value = {"11/21/2016 18:06;2016-11-21T18:06", "2/10/2017 15:39;2017-02-10T15:39",
            "2/10/2016 12:01 AM;2016-02-10T00:01", "1/1/2000 12:01 AM;2000-01-01T00:01", "12/14/99 16:32 PM;1999-12-14T16:32",
            "3/5/2016 1:05 pm;2016-03-05T13:05"})
    void localeDatesWithoutSeconds(String text, String expected) {
        assertThat(RetrospectDates.parse(text, ZURICH)).contains(local(expected));
    }

    @Test
    void anUnparseableDateKeepsTheTextAndUsesTheReceiveTime() {
        BackupEvent e = parse("StartScript", "Daily", "21.11.2016 18:06", "/x/intv.reh");
        assertThat(e.occurredAt()).isEqualTo(RECEIVED);
        assertThat(e.attributes()).containsEntry("unparsedDate", "21.11.2016 18:06");
    }

    @Test
    void generatedArgumentListsNeverThrow() {
        Random random = new Random(42);
        String[] names = {"EndSource", "EndScript", "FatalBackupError", "StartApp", "PasswordEntry", "MediaRequest",
                "AnomalyAlert", "ScriptCheckFailed", "x", ""};
        for (int i = 0; i < 5_000; i++) {
            String[] argv = new String[random.nextInt(20)];
            for (int j = 0; j < argv.length; j++) {
                argv[j] = j == 0 ? names[random.nextInt(names.length)] : randomText(random);
            }
            BackupEvent e = RetrospectEvents.toEvent("id", Arrays.asList(argv), null, null, "t", "a", "engine", ZURICH,
                    RECEIVED, "");
            assertThat(e.job().job()).isNotNull();
        }
    }

    static String randomText(Random random) {
        int kind = random.nextInt(5);
        return switch (kind) {
            case 0 -> Integer.toString(random.nextInt() % 100_000);
            case 1 -> "\"" + random.nextInt(10) + "\"";
            case 2 -> (random.nextInt(12) + 1) + "/" + (random.nextInt(31) + 1) + "/20" + random.nextInt(30) + " 2" + random.nextInt(9) + ":61";
            case 3 -> "";
            default -> {
                StringBuilder text = new StringBuilder();
                for (int k = random.nextInt(30); k > 0; k--) {
                    text.append((char) random.nextInt(0x3000));
                }
                yield text.toString();
            }
        };
    }

    /** A call without its verdict is no verdict: it must never resolve a failure as a success would. */
    @org.junit.jupiter.api.Test
    void anEndScriptWithoutItsFatalCodeIsNoVerdict() {
        dev.vigil.model.BackupEvent event = RetrospectEvents.toEvent("id", java.util.List.of("EndScript", "Daily/My Computer"),
                "h", "Linux", "acme", "3723707", "engine", java.time.ZoneId.of("UTC"), java.time.Instant.EPOCH, "raw");
        org.assertj.core.api.Assertions.assertThat(event.outcome()).isEqualTo(dev.vigil.model.Outcome.NONE);
        org.assertj.core.api.Assertions.assertThat(event.attributes()).containsEntry("malformed", "true");
    }
}
