package dev.vigil.notifier.channel.ifttt;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** IFTTT values reach a phone's notification: one clean line each, cut with a visible marker at the limit. */
class IftttLimitsTests {

    @Test
    void valuesAreOneLineWithinTheLimit() {
        String limit = "x".repeat(IftttSettings.VALUE_LIMIT);
        assertThat(IftttChannel.value(limit)).isEqualTo(limit);
        assertThat(IftttChannel.value(limit + "y")).hasSize(IftttSettings.VALUE_LIMIT).endsWith("…");
        assertThat(IftttChannel.value("a\nb\u202Ec\u0000d")).isEqualTo("a b c d");
        assertThat(IftttChannel.value(null)).isEmpty();
    }

    @Test
    void aGroupsJobsAreNamedAsFarAsTheyFitAndTheRestCounted() {
        java.util.List<String> jobs = java.util.stream.IntStream.range(0, 500)
                .mapToObj(i -> String.format("acme/3723707/vm-%03d", i)).toList();
        String value = IftttChannel.jobs(jobs);
        assertThat(value).hasSizeLessThanOrEqualTo(IftttSettings.VALUE_LIMIT).startsWith("acme/3723707/vm-000, ");
        java.util.regex.Matcher more = java.util.regex.Pattern.compile("… and (\\d+) more$").matcher(value);
        assertThat(more.find()).isTrue();
        long named = value.chars().filter(c -> c == ',').count() + 1;
        assertThat(named + Integer.parseInt(more.group(1))).isEqualTo(500);

        assertThat(IftttChannel.jobs(java.util.List.of("a", "b"))).isEqualTo("a, b");
        assertThat(IftttChannel.jobs(java.util.List.of("x".repeat(5_000), "b"))).hasSizeLessThanOrEqualTo(1_000)
                .endsWith("… and 2 more");
    }
}
