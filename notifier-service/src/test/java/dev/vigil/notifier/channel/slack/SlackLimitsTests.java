package dev.vigil.notifier.channel.slack;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.model.Alert;
import dev.vigil.model.AlertStatus;
import dev.vigil.model.JobKey;
import dev.vigil.model.Rules;
import dev.vigil.model.Severity;
import dev.vigil.model.Source;
import dev.vigil.notifier.delivery.DeliveryRequest;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Every Slack message fits Slack's Block Kit limits (a section's text 3,000 characters, a field's 2,000), whatever
 * the job name and summary hold: an XSIBackup job over 120 VMs names them all (4.7 kB), and escaping can triple a
 * text ({@code &} becomes {@code &amp;}). What is cut says so.
 */
class SlackLimitsTests {

    private static Alert alert(String job, String summary) {
        JobKey key = new JobKey("demo", "3723707", job);
        return new Alert(Alert.fingerprint(Rules.FAILED_BACKUP, key), Rules.FAILED_BACKUP, Severity.CRITICAL,
                AlertStatus.FIRING, key, Source.XSIBACKUP, summary, Map.of(), Instant.parse("2026-11-30T02:00:00Z"),
                null, "e-1");
    }

    private static String vms(int count) {
        return String.join(",", IntStream.range(0, count).mapToObj(i -> String.format("VM-PROD-DATABASE-%03d", i)).toList());
    }

    @SuppressWarnings("unchecked")
    private static List<String> sectionTexts(Map<String, Object> message) {
        List<String> texts = new ArrayList<>();
        for (Map<String, Object> block : (List<Map<String, Object>>) message.get("blocks")) {
            if (block.get("text") instanceof Map<?, ?> text) {
                texts.add((String) text.get("text"));
            }
        }
        return texts;
    }

    @SuppressWarnings("unchecked")
    private static List<String> fieldTexts(Map<String, Object> message) {
        List<String> texts = new ArrayList<>();
        for (Map<String, Object> block : (List<Map<String, Object>>) message.get("blocks")) {
            if (block.get("fields") instanceof List<?> fields) {
                fields.forEach(f -> texts.add((String) ((Map<String, Object>) f).get("text")));
            }
        }
        return texts;
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 60, 120, 125, 240, 2_000})
    void anAlertFitsWhateverItsJobIsCalled(int vmCount) {
        String job = vms(vmCount);
        Map<String, Object> message = SlackChannel.message(alert(job, "XSIBackup job " + job + " failed"));

        assertThat(sectionTexts(message)).allSatisfy(t -> assertThat(t).hasSizeLessThanOrEqualTo(SlackChannel.SECTION_TEXT));
        assertThat(fieldTexts(message)).allSatisfy(t -> assertThat(t).hasSizeLessThanOrEqualTo(SlackChannel.FIELD_TEXT));
        assertThat((String) message.get("text")).hasSizeLessThanOrEqualTo(SlackChannel.FALLBACK_TEXT);
        if (job.length() > SlackChannel.FIELD_TEXT) {
            assertThat(fieldTexts(message).get(0)).contains("more characters)").startsWith("*Job*\nVM-PROD-DATABASE-000,");
        } else {
            assertThat(fieldTexts(message).get(0)).isEqualTo("*Job*\n" + job);
        }
    }

    @Test
    void escapingThatGrowsATextIsCountedAndNoEntityIsCut() {
        String ampersands = "R&D ".repeat(1_500); // 6,000 characters, 10,500 once escaped
        Map<String, Object> message = SlackChannel.message(alert(ampersands, ampersands));
        for (String text : sectionTexts(message)) {
            assertThat(text).hasSizeLessThanOrEqualTo(SlackChannel.SECTION_TEXT);
            assertThat(text.replaceAll("&(amp|lt|gt);", "")).doesNotContain("&");
        }
        for (String text : fieldTexts(message)) {
            assertThat(text).hasSizeLessThanOrEqualTo(SlackChannel.FIELD_TEXT);
            assertThat(text.replaceAll("&(amp|lt|gt);", "")).doesNotContain("&");
        }
    }

    @Test
    void fitCutsExactlyAtTheLimitAndSaysHowMuchIsLeftOut() {
        assertThat(SlackChannel.fit("a".repeat(2_000), 2_000)).hasSize(2_000).doesNotContain("more");
        String cut = SlackChannel.fit("a".repeat(2_001), 2_000);
        assertThat(cut).hasSizeLessThanOrEqualTo(2_000).endsWith(" more characters)");
        int kept = cut.indexOf('…');
        assertThat(cut).contains("(" + (2_001 - kept) + " more characters)");
        assertThat(SlackChannel.fit("🙂".repeat(1_500), 1_001)).hasSizeLessThanOrEqualTo(1_001)
                .doesNotContain("\uFFFD").matches(t -> !Character.isHighSurrogate(t.charAt(t.indexOf('…') - 1)));
    }

    @Test
    void aGroupOfHugeAlertsFitsToo() {
        List<Alert> alerts = IntStream.range(0, 60).mapToObj(i -> alert(vms(200) + "-" + i, "failed " + vms(200))).toList();
        DeliveryRequest request = new DeliveryRequest("d-1", alerts.get(0), "ops", "slack", "ops", "en", List.of(), 0,
                alerts, "ops/group");
        Map<String, Object> message = SlackChannel.groupMessage(request);
        assertThat(sectionTexts(message)).allSatisfy(t -> assertThat(t).hasSizeLessThanOrEqualTo(SlackChannel.SECTION_TEXT));
        assertThat((List<?>) message.get("blocks")).hasSizeLessThanOrEqualTo(50);
    }
}
