package dev.vigil.notifier.channel.email;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.model.Alert;
import dev.vigil.model.AlertStatus;
import dev.vigil.model.JobKey;
import dev.vigil.model.Rules;
import dev.vigil.model.Severity;
import dev.vigil.model.Source;
import dev.vigil.notifier.delivery.DeliveryRequest;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/** A mail's subject is one line within its limit, however long the job name; the body still names the whole job. */
class MailLimitsTests {

    @Test
    void theSubjectOfAJobOver120VmsIsOneShortLineAndTheBodyKeepsTheName() {
        String job = String.join(",", IntStream.range(0, 240).mapToObj(i -> "VM-PROD-DATABASE-" + i).toList());
        JobKey key = new JobKey("demo", "3723707", job);
        Alert alert = new Alert(Alert.fingerprint(Rules.FAILED_BACKUP, key), Rules.FAILED_BACKUP, Severity.CRITICAL,
                AlertStatus.FIRING, key, Source.XSIBACKUP, "Backup " + job + "\r\nBcc: x@example.org failed", Map.of(),
                Instant.EPOCH, null, "e");
        MailRenderer.Mail mail = new MailRenderer().render(new DeliveryRequest("d", alert, "owner", "email",
                "owner@example.org", "en", List.of(), 0, List.of(alert), null));

        assertThat(mail.subject()).hasSizeLessThanOrEqualTo(MailRenderer.SUBJECT_LIMIT).endsWith("…")
                .doesNotContain("\r").doesNotContain("\n");
        assertThat(mail.text()).contains("VM-PROD-DATABASE-239");
        assertThat(new MailRenderer.Mail("x".repeat(MailRenderer.SUBJECT_LIMIT), "", "").subject())
                .hasSize(MailRenderer.SUBJECT_LIMIT);
    }
}
