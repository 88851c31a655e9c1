package dev.vigil.console.web;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** A job's status in one word, worst first, and which silences pause a whole job. */
class JobViewTests {

    static final Instant NOW = Instant.parse("2026-11-30T08:00:00Z");

    static Map<String, Object> job(String key, Object... pairs) {
        Map<String, Object> summary = new HashMap<>();
        summary.put("job", key);
        summary.put("openAlerts", List.of());
        summary.put("source", "XSIBACKUP");
        for (int i = 0; i < pairs.length; i += 2) {
            summary.put((String) pairs[i], pairs[i + 1]);
        }
        return summary;
    }

    static Map<String, Object> silence(Map<String, String> matchers, String starts, String ends) {
        return Map.of("id", "s1", "matchers", matchers, "startsAt", starts, "endsAt", ends);
    }

    @Test
    void theStatusSaysTheWorstFirst() {
        assertThat(JobView.of(job("t/a/j", "openAlerts", List.of("failed-backup: x", "quota: y")), List.of(), NOW).status())
                .isEqualTo(JobView.Status.FAILING);
        assertThat(JobView.of(job("t/a/j", "openAlerts", List.of("missed-schedule: x")), List.of(), NOW).status())
                .isEqualTo(JobView.Status.LATE);
        assertThat(JobView.of(job("t/a/j", "nextRunAt", "2026-11-30T06:00:00Z", "graceSeconds", 3600,
                "lastEndAt", "2026-11-29T06:00:00Z"), List.of(), NOW).status()).as("past its grace").isEqualTo(JobView.Status.LATE);
        assertThat(JobView.of(job("t/a/j", "nextRunAt", "2026-11-30T07:30:00Z", "graceSeconds", 3600,
                "lastEndAt", "2026-11-29T06:00:00Z"), List.of(), NOW).status()).as("within its grace").isEqualTo(JobView.Status.UP);
        assertThat(JobView.of(job("t/a/j", "openAlerts", List.of("quota: y")), List.of(), NOW).status())
                .isEqualTo(JobView.Status.WARNING);
        assertThat(JobView.of(job("t/a/j", "runningSince", "2026-11-30T07:50:00Z"), List.of(), NOW).status())
                .isEqualTo(JobView.Status.RUNNING);
        assertThat(JobView.of(job("t/a/j"), List.of(), NOW).status()).isEqualTo(JobView.Status.NEW);
        assertThat(JobView.Status.FAILING).isLessThan(JobView.Status.LATE);
    }

    @Test
    void aSilenceOfTheWholeJobPausesItAndOneOfARuleOrAnotherJobDoesNot() {
        Map<String, Object> failing = job("t/acct/Daily/Mac HD", "openAlerts", List.of("failed-backup: x"));
        String from = "2026-11-30T07:00:00Z";
        String until = "2026-11-30T09:00:00Z";
        assertThat(JobView.of(failing, List.of(silence(Map.of("tenant", "t", "account", "acct"), from, until)), NOW)
                .status()).isEqualTo(JobView.Status.PAUSED);
        assertThat(JobView.of(failing, List.of(silence(Map.of("job", "~Daily/.*", "source", "xsibackup"), from, until)), NOW)
                .status()).isEqualTo(JobView.Status.PAUSED);
        assertThat(JobView.of(failing, List.of(silence(Map.of("account", "acct", "rule", "quota"), from, until)), NOW)
                .status()).as("one rule only").isEqualTo(JobView.Status.FAILING);
        assertThat(JobView.of(failing, List.of(silence(Map.of("account", "other"), from, until)), NOW).status())
                .isEqualTo(JobView.Status.FAILING);
        assertThat(JobView.of(failing, List.of(silence(Map.of("account", "acct"), "2026-11-30T08:30:00Z", until)), NOW)
                .status()).as("a window to come").isEqualTo(JobView.Status.FAILING);
        assertThat(JobView.of(failing, List.of(silence(Map.of("account", "acct"), from, "2026-11-30T08:00:00Z")), NOW)
                .status()).as("ended").isEqualTo(JobView.Status.FAILING);
        assertThat(JobView.of(failing, List.of(silence(Map.of("job", "~(unclosed"), from, until)), NOW).status())
                .as("a broken regex matches nothing").isEqualTo(JobView.Status.FAILING);
        assertThat(JobView.of(failing, List.of(silence(Map.of(), from, until)), NOW).status())
                .isEqualTo(JobView.Status.FAILING);
    }

    @Test
    void filtersMatchStatusSourceAccountAndText() {
        JobView view = JobView.of(job("t/acct/WIN7,ERP01", "host", "esxi-01", "openAlerts", List.of("failed-backup: snapshot")),
                List.of(), NOW);
        assertThat(view.matches("failing", "xsibackup", "acct", "ESXI")).isTrue();
        assertThat(view.matches("", null, " ", "snapshot")).isTrue();
        assertThat(view.matches("up", null, null, null)).isFalse();
        assertThat(view.matches(null, "retrospect", null, null)).isFalse();
        assertThat(view.matches(null, null, "other", null)).isFalse();
        assertThat(view.page()).isEqualTo("/job/" + new dev.vigil.model.JobKey("t", "acct", "WIN7,ERP01").urlId());
        String odd = "a/../b%2e%2e/c;d%00e?f#g";
        String page = JobView.of(job("t/a b/" + odd), List.of(), NOW).page();
        assertThat(page).matches("/job/[A-Za-z0-9_-]+");
        assertThat(dev.vigil.model.JobKey.fromUrlId(page.substring(5))).isEqualTo(new dev.vigil.model.JobKey("t", "a b", odd));
        assertThat(JobView.of(job("t/acct/*"), List.of(), NOW).page()).isEqualTo("/jobs?account=acct");
    }
}
