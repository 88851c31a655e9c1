package dev.vigil.notifier.routing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.vigil.model.Alert;
import dev.vigil.model.AlertStatus;
import dev.vigil.model.JobKey;
import dev.vigil.model.Rules;
import dev.vigil.model.Severity;
import dev.vigil.model.Source;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Matchers as Alertmanager's: exact or an anchored RE2 pattern; no pattern can throw or stall. */
class RouteMatchersTests {

    static Alert alert(String job) {
        JobKey key = new JobKey("demo", "3723707", job);
        return new Alert(Alert.fingerprint(Rules.FAILED_BACKUP, key), Rules.FAILED_BACKUP, Severity.CRITICAL,
                AlertStatus.FIRING, key, Source.XSIBACKUP, "s", Map.of(), Instant.EPOCH, null, "e");
    }

    @Test
    void exactAndAnchoredPatterns() {
        assertThat(Route.matches(Map.of("job", "WIN7"), alert("win7"))).isTrue();
        assertThat(Route.matches(Map.of("job", "~WIN.*"), alert("WIN7,ERP01"))).isTrue();
        assertThat(Route.matches(Map.of("job", "~WIN"), alert("WIN7"))).as("anchored").isFalse();
        assertThat(Route.matches(Map.of("job", "~("), alert("("))).as("does not compile: matches nothing").isFalse();
    }

    @Test
    @Timeout(5)
    void aPatternThatBacktracksExponentiallyInJavaRunsInLinearTime() {
        String job = "a".repeat(500) + "!";
        assertThat(Route.matches(Map.of("job", "~(a+)+$"), alert(job))).isFalse();
        assertThat(Route.matches(Map.of("job", "~(a|aa)*b"), alert(job))).isFalse();
    }

    @Test
    void whatCannotBeUsedIsSaid() {
        assertThat(Route.invalid(Map.of("account", "~(a"))).contains("not a valid regular expression");
        assertThat(Route.invalid(Map.of("acount", "1"))).contains("Unknown label 'acount'");
        assertThat(Route.invalid(Map.of("job", "x".repeat(1_001)))).contains("1,000");
        assertThat(Route.invalid(Map.of("job", "~WIN.*", "severity", "critical"))).isNull();
        Route broken = new Route(Map.of("job", "~("), "directory-email", false, java.util.List.of(), null, null, null);
        assertThatThrownBy(() -> new Router(new dev.vigil.notifier.NotifierProperties(null, null, java.util.List.of(),
                broken, null, null), null)).hasMessageContaining("not a valid regular expression");
    }

    /**
     * RE2 matches in linear time but compiles counted repetitions written out: {@code (a{1000}){1000}} is a program of a
     * million instructions, and six such silences ran the notifier out of memory. Such a pattern is refused, and one
     * stored before matches nothing.
     */
    @Test
    @Timeout(5)
    void aPatternThatExpandsPastTheLimitIsRefusedAndMatchesNothing() {
        for (String pattern : new String[] {"(a{1000}){1000}", "((x{30}){30}){30}", "(.{1,1000}){1000}",
                "\\Q[\\E(a{1000}){1000}", "[[:alpha:]](a{1000}){1000}", "[]](a{1000}){1000}", "(?:(?:a{100}){100}){10}",
                "\\p{Greek}(a{1000}){1000}"}) {
            assertThat(Route.invalid(Map.of("job", "~" + pattern))).as(pattern).contains("too large");
            assertThat(Route.matches(Map.of("job", "~" + pattern), alert("a".repeat(1000)))).as(pattern).isFalse();
        }
        for (String pattern : new String[] {"\\d{4}-\\d{2}-\\d{2}", "WIN[0-9]{1,3}", "[{]{2}x", "\\{1000}", "a{,5}",
                "backup-(db|web)[0-9]{2}", "[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}",
                ".{0,100}esxi.{0,100}", "\\d{1,5}\\.\\d{1,5}\\.\\d{1,5}\\.\\d{1,5}", "a{1000}b{1000}"}) {
            assertThat(Route.invalid(Map.of("job", "~" + pattern))).as(pattern).isNull();
        }
        assertThat(Route.matches(Map.of("job", "~WIN[0-9]{1,3}"), alert("WIN7"))).isTrue();
        assertThat(Route.expansion("(a{1000}){1000}")).isGreaterThan(Route.MAX_EXPANSION);
        assertThat(Route.expansion("[{1000}]")).as("a brace in a class is a character").isEqualTo(1);
        assertThat(Route.expansion("[0-9a-f]{8}-[0-9a-f]{4}")).isEqualTo(13);
    }
}
