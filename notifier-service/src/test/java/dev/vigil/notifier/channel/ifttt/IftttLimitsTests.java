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
}
