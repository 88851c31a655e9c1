package dev.vigil.notifier.channel.email;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.model.Alert;
import dev.vigil.model.AlertStatus;
import dev.vigil.model.JobKey;
import dev.vigil.model.Rules;
import dev.vigil.model.Severity;
import dev.vigil.model.Source;
import dev.vigil.notifier.delivery.DeliveryRequest;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * A mail a person reads: one sentence, what to do, the facts in words (no raw keys), times in the account's zone,
 * human durations, the error lines and a link to the job in the console; in English and German, text and HTML.
 */
class MailRenderingTests {

    static final JobKey JOB = new JobKey("demo", "3723707", "Daily/WIN7,ERP01");
    static final Instant STARTED = Instant.parse("2026-11-30T06:47:00Z"); // 07:47 in Zurich (CET)
    static final Instant LAST_GOOD = Instant.parse("2026-11-29T01:30:00Z");

    final MailRenderer renderer = new MailRenderer(ZoneId.of("Europe/Zurich"),
            job -> new dev.vigil.notifier.NotifierProperties.Mail("v <v@x>", java.util.Locale.ENGLISH,
                    ZoneId.of("Europe/Zurich"), URI.create("https://vigil.example.org")).jobLink(job));

    static Alert failed() {
        Map<String, String> details = new LinkedHashMap<>();
        details.put("outcome", "FAILED");
        details.put("consecutiveFailures", "3");
        details.put("source", "XSIBACKUP");
        details.put("errorCode", "-102");
        details.put("errorMessage", "ERP01: snapshot creation failed\nWIN7: 0 errors");
        details.put("durationSeconds", "845");
        details.put("lastSuccessAt", LAST_GOOD.toString());
        details.put("failureThreshold", "1");
        details.put("host", "esxi-01.example.org");
        return new Alert(Alert.fingerprint(Rules.FAILED_BACKUP, JOB), Rules.FAILED_BACKUP, Severity.CRITICAL,
                AlertStatus.FIRING, JOB, Source.XSIBACKUP,
                "Backup Daily/WIN7,ERP01 of account 3723707 failed: ERP01: snapshot creation failed", details,
                STARTED, null, "e1");
    }

    MailRenderer.Mail render(Alert alert, String language) {
        return renderer.render(new DeliveryRequest("d", alert, "owners", "email", "owner@example.org", language,
                List.of(), 0));
    }

    @Test
    void aFailureInEnglishSaysWhatHappenedWhatToDoAndEveryFactInWords() {
        MailRenderer.Mail mail = render(failed(), "en");

        assertThat(mail.subject()).isEqualTo("[Vigil] Backup Daily/WIN7,ERP01 of account 3723707 failed: ERP01: snapshot creation failed");
        assertThat(mail.text())
                .startsWith("Backup Daily/WIN7,ERP01 of account 3723707 failed: ERP01: snapshot creation failed\n")
                .contains("A critical problem since 2026-11-30 07:47 CET.")
                .contains("Error lines:\n  > ERP01: snapshot creation failed\n  > WIN7: 0 errors")
                .contains("What to do: Read the error lines, fix the cause on the host")
                .contains("Host: esxi-01.example.org")
                .contains("Job: Daily/WIN7,ERP01")
                .contains("Account: 3723707")
                .contains("Backup product: XSIBackup")
                .contains("Since: 2026-11-30 07:47 CET")
                .contains("Last good run: 2026-11-29 02:30 CET")
                .contains("Failed runs in a row: 3")
                .contains("Error code: -102")
                .contains("Run time: 14 min 5 s")
                .contains("Open the job in Vigil: https://vigil.example.org/job/" + JOB.urlId());
        assertThat(mail.text()).doesNotContain("durationSeconds", "consecutiveFailures", "lastSuccessAt", "FAILED",
                "failureThreshold", "2026-11-30T06:47");
        assertThat(mail.html())
                .contains("esxi-01.example.org", "Failed runs in a row", "14 min 5 s", "2026-11-29 02:30 CET",
                        "ERP01: snapshot creation failed\nWIN7: 0 errors",
                        "href=\"https://vigil.example.org/job/" + JOB.urlId() + "\"")
                .doesNotContain("durationSeconds");
    }

    @Test
    void theSameFailureInGermanUsesGermanWordsAndTheZonesGermanName() {
        MailRenderer.Mail mail = render(failed(), "de");

        assertThat(mail.subject()).isEqualTo("[Vigil] Sicherung Daily/WIN7,ERP01 des Kontos 3723707 ist fehlgeschlagen: ERP01: snapshot creation failed");
        assertThat(mail.text())
                .contains("Ein kritisches Problem seit 2026-11-30 07:47 MEZ.")
                .contains("Fehlermeldungen:\n  > ERP01: snapshot creation failed")
                .contains("Was zu tun ist: Lesen Sie die Fehlermeldungen")
                .contains("Rechner: esxi-01.example.org")
                .contains("Auftrag: Daily/WIN7,ERP01")
                .contains("Konto: 3723707")
                .contains("Sicherungsprodukt: XSIBackup")
                .contains("Letzter erfolgreicher Lauf: 2026-11-29 02:30 MEZ")
                .contains("Fehlgeschlagene Läufe in Folge: 3")
                .contains("Laufzeit: 14 min 5 s")
                .contains("Den Auftrag in Vigil öffnen: https://vigil.example.org/job/" + JOB.urlId());
        assertThat(mail.html()).contains("lang=\"de\"", "Fehlgeschlagene Läufe in Folge", "Laufzeit");
    }

    @Test
    void aResolvedMailSaysHowLongItLasted() {
        Alert resolved = failed().resolve(STARTED.plus(Duration.ofMinutes(125)),
                "Backup Daily/WIN7,ERP01 of account 3723707 succeeded again (problem lasted 2 h 5 min)", "e2");

        MailRenderer.Mail en = render(resolved, "en");
        assertThat(en.subject()).startsWith("[Vigil] Resolved: ");
        assertThat(en.text()).contains("was resolved 2026-11-30 09:52 CET; it lasted 2 h 5 min.")
                .contains("Resolved: 2026-11-30 09:52 CET (2 h 5 min)")
                .contains("What to do: Nothing to do.")
                .contains("Host: esxi-01.example.org")
                // the failed run's facts belong to the failure, not to its end
                .doesNotContain("Run time").doesNotContain("Failed runs in a row").doesNotContain("snapshot creation failed\n");
        MailRenderer.Mail de = render(resolved, "de");
        assertThat(de.text()).contains("es dauerte 2 h 5 min").contains("Behoben: 2026-11-30 09:52 MEZ (2 h 5 min)");
    }

    @Test
    void anAccountWideAlertNamesNoJobAndLinksToTheAccountsJobs() {
        JobKey account = new JobKey("stoney", "3723708", "*");
        Alert neverUsed = new Alert(Alert.fingerprint(Rules.NEVER_USED, account), Rules.NEVER_USED, Severity.WARNING,
                AlertStatus.FIRING, account, Source.STONEY, "Account 3723708 never sent a backup",
                Map.of("createdAt", "2026-01-01T12:00:00Z"), STARTED, null, "e4");
        MailRenderer.Mail mail = render(neverUsed, "de");
        assertThat(mail.text()).contains("Angelegt: 2026-01-01 13:00 MEZ").doesNotContain("Auftrag: *")
                .doesNotContain("Created at").contains("https://vigil.example.org/jobs?account=3723708");
    }

    @Test
    void summerTimeIsWrittenInTheZonesSummerName() {
        Alert alert = failed();
        Alert summer = new Alert(alert.fingerprint(), alert.rule(), alert.severity(), alert.status(), alert.job(),
                alert.source(), alert.summary(), alert.details(), Instant.parse("2026-07-01T10:00:00Z"), null, "e");
        assertThat(render(summer, "en").text()).contains("Since: 2026-07-01 12:00 CEST");
    }

    @Test
    void aDigestIsATableWithHostJobAccountAndLink() {
        Alert one = failed();
        JobKey other = new JobKey("demo", "3723707", "FILESRV");
        Alert two = new Alert(Alert.fingerprint(Rules.MISSED_SCHEDULE, other), Rules.MISSED_SCHEDULE, Severity.WARNING,
                AlertStatus.FIRING, other, Source.XSIBACKUP, "Backup FILESRV of account 3723707 did not run",
                Map.of("host", "esxi-02"), STARTED, null, "e3");
        MailRenderer.Mail mail = renderer.render(new DeliveryRequest("d", one, "owners", "email", "owner@example.org",
                "en", List.of(), 0, List.of(one, two), "owners{account=\"3723707\"}"));

        assertThat(mail.html()).contains("<table", "<th scope=\"col\"", "esxi-02", "FILESRV",
                "https://vigil.example.org/job/" + other.urlId());
        assertThat(mail.text()).contains("2 backup alerts, 2 of them firing and 0 resolved.")
                .contains("Host esxi-02 · Job FILESRV · Account 3723707");
    }

    @Test
    void aRuleWithoutWordsOfItsOwnUsesItsSummaryTheGeneralAdviceAndItsKeysAsWords() {
        Alert custom = new Alert(Alert.fingerprint("tape-rotation", JOB), "tape-rotation", Severity.WARNING,
                AlertStatus.FIRING, JOB, Source.XSIBACKUP, "Tape set B was not rotated",
                Map.of("daysOverdue", "3", "host", "esxi-01.example.org"), STARTED, null, "e4");

        MailRenderer.Mail en = render(custom, "en");
        MailRenderer.Mail de = render(custom, "de");

        assertThat(en.subject()).contains("Tape set B was not rotated");
        assertThat(en.text()).contains("Tape set B was not rotated").contains("Days overdue: 3")
                .contains("Host: esxi-01.example.org").contains("What to do: Look at the job on the backup host");
        assertThat(de.text()).contains("Tape set B was not rotated").contains("Days overdue: 3")
                .contains("Rechner: esxi-01.example.org").contains("Was zu tun ist: Prüfen Sie den Auftrag");
    }
}
